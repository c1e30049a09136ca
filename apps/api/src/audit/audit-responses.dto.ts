import { ApiProperty } from '@nestjs/swagger';

/** The audit routes' answers (admin audit log, case log proofs and anchors), as OpenAPI schemas. */

export class AdminAuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty() actorLabel!: string;
  @ApiProperty({ example: 'sla_policy.updated' }) action!: string;
  @ApiProperty() targetType!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
}

export class AdminAuditPageDto {
  @ApiProperty({ type: [AdminAuditEntryDto] }) data!: AdminAuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for the next page; null on the last.' }) nextBefore!: string | null;
}

export class CaseLogProblemDto {
  @ApiProperty() kind!: string;
  @ApiProperty({ type: String, nullable: true }) caseId!: string | null;
  @ApiProperty({ description: 'The timeline row (case_events.id) or, for anchor problems, the anchor id.' }) rowId!: string;
  @ApiProperty() detail!: string;
}

export class CaseLogLinkDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ type: String, nullable: true }) prevHash!: string | null;
  @ApiProperty() hash!: string;
  @ApiProperty() createdAt!: string;
}

export class CaseLogHeadDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() hash!: string;
}

export class CaseLogAnchorRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() hash!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() headHash!: string;
}

export class CaseLogProofDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [CaseLogProblemDto] }) problems!: CaseLogProblemDto[];
  @ApiProperty({ type: [CaseLogLinkDto] }) chain!: CaseLogLinkDto[];
  @ApiProperty({ type: CaseLogHeadDto, nullable: true }) head!: CaseLogHeadDto | null;
  @ApiProperty({ type: CaseLogAnchorRefDto, nullable: true, description: 'The newest anchor that vouches for a row of this case.' }) anchor!: CaseLogAnchorRefDto | null;
}

export class AnchorDto {
  @ApiProperty() id!: string;
  @ApiProperty() hash!: string;
  @ApiProperty({ type: String, nullable: true }) prevHash!: string | null;
  @ApiProperty() headCount!: number;
  @ApiProperty() createdAt!: string;
}

export class AnchorPageDto {
  @ApiProperty({ type: [AnchorDto] }) data!: AnchorDto[];
  @ApiProperty({ type: String, nullable: true }) nextBefore!: string | null;
}
