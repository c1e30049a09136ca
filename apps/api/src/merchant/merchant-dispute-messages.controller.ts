import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListCaseMessages, PostCaseMessage, toMerchantMessageView } from '@app/customers';
import { CurrentMerchant, type AuthenticatedMerchant } from '@app/merchants';
import { MerchantPostMessageDto } from '../conversation/conversation.dto';
import { Idempotent, MerchantApi } from './merchant-api';
import { MerchantMessageListResponse, MerchantMessageResponse } from './merchant-responses.dto';

/** The merchant's side of a dispute's conversation with support; another merchant's dispute is a 404. */
@ApiTags('merchant: disputes')
@MerchantApi()
@Controller('v1/merchant/disputes/:id/messages')
export class MerchantDisputeMessagesController {
  constructor(
    private readonly listMessages: ListCaseMessages,
    private readonly postMessage: PostCaseMessage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Messages between you and support on this dispute, oldest first' })
  @ApiOkResponse({ type: MerchantMessageListResponse })
  async list(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    const conversation = await this.listMessages.execute({ caseId: id }, { kind: 'merchant', id: merchant.id, livemode: merchant.livemode });
    return { object: 'list', data: conversation.messages.map(toMerchantMessageView) };
  }

  @Post()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Write to support about this dispute (it lands in the agent inbox)' })
  @ApiOkResponse({ type: MerchantMessageResponse })
  async post(@Param('id') id: string, @Body() body: MerchantPostMessageDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return toMerchantMessageView(
      await this.postMessage.execute({ caseId: id, body: body.body, locale: body.locale }, { kind: 'merchant', id: merchant.id, livemode: merchant.livemode }),
    );
  }
}
