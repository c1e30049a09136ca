import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EvidenceFileResponse, EvidenceResponse } from '../merchant/merchant-responses.dto';

/** The agent evidence routes' answers: the merchant's view of a dispute's evidence, and the customer's files beside it. */

export class CaseEvidenceDto extends EvidenceResponse {
  @ApiPropertyOptional({ type: [EvidenceFileResponse], description: "The customer's files (uploaded by the customer, or by an agent for them)." })
  customer_files?: EvidenceFileResponse[];
}

export class UploadedCustomerEvidenceDto {
  @ApiProperty() case_id!: string;
  @ApiProperty({ type: [EvidenceFileResponse] }) files!: EvidenceFileResponse[];
}
