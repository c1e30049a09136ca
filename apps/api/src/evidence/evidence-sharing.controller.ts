import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentAgent, type AuthenticatedAgent } from '@app/auth';
import { ShareEvidenceWithMerchant } from '@app/evidence';
import { EvidenceFileResponse } from '../merchant/merchant-responses.dto';

/** An agent decides which of the customer's files the merchant may see, one at a time. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class EvidenceSharingController {
  constructor(private readonly share: ShareEvidenceWithMerchant) {}

  @Post(':id/evidence/files/:fileId/share-with-merchant')
  @HttpCode(200)
  @ApiOperation({ summary: "Share one of the customer's evidence files with the case's merchant (recorded on the timeline; sharing again changes nothing)" })
  @ApiOkResponse({ type: EvidenceFileResponse })
  shareWithMerchant(@Param('id') id: string, @Param('fileId') fileId: string, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.share.execute({ caseId: id, fileId, agentId: agent.id });
  }
}
