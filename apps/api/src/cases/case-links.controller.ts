import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAgent, type AuthenticatedAgent } from '@app/auth';
import { GetRelatedCases, LinkCases, MergeCase, UnlinkCases, type Actor } from '@app/cases';
import { LinkCaseDto, MergeCaseDto } from './queue-work.dto';
import { MergedCaseDto, RelatedCasesDto } from './case-responses.dto';

const actorOf = (agent: AuthenticatedAgent): Actor => ({ kind: 'agent', id: agent.id, role: agent.role, label: agent.email });

/** A case's relations: the customer's and the transaction's other cases, links, and merging a duplicate. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases/:id')
export class CaseLinksController {
  constructor(
    private readonly getRelatedCases: GetRelatedCases,
    private readonly linkCases: LinkCases,
    private readonly unlinkCases: UnlinkCases,
    private readonly mergeCase: MergeCase,
  ) {}

  @Get('related')
  @ApiOperation({ summary: "The customer's other cases, the transaction's other cases, and the cases linked to this one" })
  @ApiOkResponse({ type: RelatedCasesDto })
  related(@Param('id') id: string) {
    return this.getRelatedCases.execute(id);
  }

  @Post('links')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link another case to this one (symmetrical, on both timelines); linking again changes nothing' })
  @ApiOkResponse({ type: RelatedCasesDto })
  async link(@Param('id') id: string, @Body() body: LinkCaseDto, @CurrentAgent() agent: AuthenticatedAgent) {
    await this.linkCases.execute({ caseId: id, otherCaseId: body.caseId }, actorOf(agent));
    return this.getRelatedCases.execute(id);
  }

  @Delete('links/:otherId')
  @HttpCode(200)
  @ApiOperation({ summary: "Remove a link (on both timelines); a merge's link stays" })
  @ApiOkResponse({ type: RelatedCasesDto })
  async unlink(@Param('id') id: string, @Param('otherId') otherId: string, @CurrentAgent() agent: AuthenticatedAgent) {
    await this.unlinkCases.execute({ caseId: id, otherCaseId: otherId }, actorOf(agent));
    return this.getRelatedCases.execute(id);
  }

  @Post('merge')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Merge this case (a duplicate) into an open case of the same customer or transaction: it closes (state merged) with a pointer, its notes and evidence move over; one transaction, and repeating it returns the same answer',
  })
  @ApiOkResponse({ type: MergedCaseDto })
  merge(@Param('id') id: string, @Body() body: MergeCaseDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.mergeCase.execute({ caseId: id, intoCaseId: body.intoCaseId, expectedVersion: body.expectedVersion }, actorOf(agent));
  }
}
