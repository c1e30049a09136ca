import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAgent, type AuthenticatedAgent } from '@app/auth';
import { ListCaseMessages, PostCaseMessage } from '@app/customers';
import { CaseConversationDto, CaseMessageDto, CaseMessagesQueryDto, PostCaseMessageDto } from './conversation.dto';

/** The conversation on a case, for agents: both sides, and replies to either. Internal notes stay on the timeline. */
@ApiTags('conversation')
@ApiBearerAuth()
@Controller('v1/cases/:id/messages')
export class CaseMessagesController {
  constructor(
    private readonly listMessages: ListCaseMessages,
    private readonly postMessage: PostCaseMessage,
  ) {}

  @Get()
  @ApiOperation({ summary: "The case's messages with the customer and the merchant, oldest first, and the language a reply to each goes out in" })
  @ApiOkResponse({ type: CaseConversationDto })
  list(@Param('id') id: string, @Query() query: CaseMessagesQueryDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.listMessages.execute({ caseId: id, party: query.party }, { kind: 'agent', id: agent.id });
  }

  @Post()
  @ApiOperation({ summary: 'Write to the customer or (disputes) the merchant; the notification leaves through the outbox committed with the message' })
  @ApiCreatedResponse({ type: CaseMessageDto })
  post(@Param('id') id: string, @Body() body: PostCaseMessageDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.postMessage.execute({ caseId: id, ...body }, { kind: 'agent', id: agent.id });
  }
}
