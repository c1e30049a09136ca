import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListSharedCustomerEvidence } from '@app/evidence';
import { CurrentMerchant, type AuthenticatedMerchant } from '@app/merchants';
import { MerchantApi } from './merchant-api';
import { EvidenceFileListResponse } from './merchant-responses.dto';

/**
 * The customer's evidence on a dispute that support shared with the merchant (only those files);
 * they download through the dispute's evidence file route like their own files.
 */
@ApiTags('merchant: disputes')
@MerchantApi()
@Controller('v1/merchant/disputes')
export class MerchantDisputeCustomerEvidenceController {
  constructor(private readonly sharedEvidence: ListSharedCustomerEvidence) {}

  @Get(':id/customer-evidence')
  @ApiOperation({ summary: "The customer's evidence files support shared with you (download: GET /v1/merchant/disputes/{id}/evidence/files/{fileId}/content)" })
  @ApiOkResponse({ type: EvidenceFileListResponse })
  list(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.sharedEvidence.execute({ merchant, caseId: id, caseKind: 'dispute' });
  }
}
