import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_KINDS, CHANNELS, EVIDENCE_TYPES, PRIORITIES, type CaseKind, type Channel, type EvidenceType, type Priority } from '@app/domain';

/**
 * The agent API's answers about cases, as OpenAPI schemas: the admin UI's types are generated from
 * these (apps/admin/src/api/generated/schema.ts), and test/e2e/api-responses-conform checks real
 * answers against them. They describe the views the use cases return (CaseView, TimelineEntry, …).
 */

export class MoneyDto {
  @ApiProperty({ description: 'Integer minor units (fen).' }) amountMinor!: number;
  @ApiProperty() currency!: string;
}

export class CaseCustomerDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class PersonRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() displayName!: string;
}

export class CustomerContactDto {
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale!: 'zh-CN' | 'en';
  @ApiProperty() pushEnabled!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Masked: 138****5678.' }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Masked: w***@example.com.' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) wechatOpenId!: string | null;
}

export class CaseSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: CASE_KINDS }) kind!: CaseKind;
  @ApiProperty({ description: 'Dotted state path, e.g. investigation.reviewing.' }) state!: string;
  @ApiProperty({ enum: ['active', 'done'] }) status!: 'active' | 'done';
  @ApiProperty() version!: number;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: CaseCustomerDto }) customer!: CaseCustomerDto;
  @ApiProperty({ type: String, nullable: true }) merchantId!: string | null;
  @ApiProperty({ description: "False for a merchant's test-mode case (made with its test helpers): no real money or customer." }) livemode!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The test clock the test case lives on.' }) testClockId!: string | null;
  @ApiProperty({ type: String, nullable: true }) transactionRef!: string | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) amount!: MoneyDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) assignee!: PersonRefDto | null;
  @ApiProperty({ type: String, nullable: true }) nextDeadlineAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/** A queue row: the summary with the customer's contact, masked. */
export class CaseListItemDto extends CaseSummaryDto {
  @ApiProperty({ type: CustomerContactDto, nullable: true }) customerContact!: CustomerContactDto | null;
}

export class CasePageDto {
  @ApiProperty({ type: [CaseListItemDto] }) items!: CaseListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page.' }) nextCursor!: string | null;
}

export class DeadlineDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ description: 'The machine event that fires at dueAt.' }) event!: string;
  @ApiProperty({ type: Number, nullable: true, description: "Working minutes left on the case's SLA calendar (null without a policy)." }) businessMinutesLeft!: number | null;
}

export class SlaClockDto {
  @ApiProperty() target!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ enum: ['calendar', 'business'] }) mode!: 'calendar' | 'business';
  @ApiProperty() targetMinutes!: number;
  @ApiProperty({ type: String, nullable: true }) dueAt!: string | null;
  @ApiProperty({ description: "In the clock's own mode; negative when overdue." }) minutesLeft!: number;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) metAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) breachedAt!: string | null;
  @ApiProperty({ type: [String] }) remindersSent!: string[];
}

export class CaseSlaDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ type: [SlaClockDto] }) clocks!: SlaClockDto[];
}

export class RefundDto {
  @ApiProperty() id!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['requested', 'processing', 'succeeded', 'failed'] }) status!: 'requested' | 'processing' | 'succeeded' | 'failed';
  @ApiProperty({ type: String, nullable: true }) walletRefundId!: string | null;
  @ApiProperty({ type: String, nullable: true }) expectedArrivalAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) settledAt!: string | null;
}

export class MerchantReachabilityDto {
  @ApiProperty() reachable!: boolean;
  @ApiProperty({ enum: ['no_merchant', 'merchant_not_registered', 'no_active_key_or_webhook'], nullable: true, description: 'Null when reachable.' })
  reason!: 'no_merchant' | 'merchant_not_registered' | 'no_active_key_or_webhook' | null;
}

/** One side's evidence against what the dispute reason requires of it. */
export class EvidenceRequirementsStatusDto {
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true }) required!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true }) optional!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true, description: 'Every type handed in, in catalogue order.' }) provided!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true, description: 'Required types not yet handed in: empty when the side may submit.' }) missing!: EvidenceType[];
}

export class EvidenceRequirementsDto {
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['merchant', 'wallet_user'] }) counterparty!: 'merchant' | 'wallet_user';
  @ApiProperty({ type: EvidenceRequirementsStatusDto, nullable: true }) merchant!: EvidenceRequirementsStatusDto | null;
  @ApiProperty({ type: EvidenceRequirementsStatusDto, nullable: true }) customer!: EvidenceRequirementsStatusDto | null;
}

export class CustomerRatingDto {
  @ApiProperty() score!: number;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CaseDetailDto extends CaseSummaryDto {
  @ApiProperty() machineVersion!: number;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "The machine's context: decisions, refunded amount, open information requests, …" })
  details!: Record<string, unknown> | null;
  @ApiProperty({ type: [String], description: 'Events the asking agent may send now (without FORWARD_TO_MERCHANT while the merchant cannot be reached).' })
  allowedEvents!: string[];
  @ApiProperty({ type: MerchantReachabilityDto, nullable: true, description: 'Disputes only.' }) merchantReachability!: MerchantReachabilityDto | null;
  @ApiProperty({ type: EvidenceRequirementsDto, nullable: true, description: 'Disputes only.' }) evidenceRequirements!: EvidenceRequirementsDto | null;
  @ApiProperty({ type: [DeadlineDto] }) deadlines!: DeadlineDto[];
  @ApiProperty({ type: CaseSlaDto, nullable: true }) sla!: CaseSlaDto | null;
  @ApiProperty({ type: String, nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ type: CustomerRatingDto, nullable: true }) customerRating!: CustomerRatingDto | null;
  @ApiProperty({ type: [RefundDto], description: 'Oldest first.' }) refunds!: RefundDto[];
  @ApiProperty({ type: CustomerContactDto, nullable: true }) customerContact!: CustomerContactDto | null;
}

export class TimelineActorDto {
  @ApiProperty() kind!: string;
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], description: "The case event's number; for merged records `delivery-<id>` or `reveal-<id>`." })
  id!: number | string;
  @ApiProperty({ enum: ['machine', 'annotation', 'notification', 'contact_reveal'] }) category!: 'machine' | 'annotation' | 'notification' | 'contact_reveal';
  @ApiProperty() type!: string;
  @ApiProperty({ type: TimelineActorDto }) actor!: TimelineActorDto;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ type: Number, nullable: true }) caseVersion!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiProperty() at!: string;
}

export class CreatedNoteDto {
  @ApiProperty({ description: "The note's number on the case's timeline." }) id!: number;
}

export class RevealedContactDto {
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() wechatOpenId?: string;
}

export class SavedViewQueryValuesDto {
  @ApiPropertyOptional() tab?: string;
  @ApiPropertyOptional() kind?: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional() priority?: string;
  @ApiPropertyOptional() channel?: string;
  @ApiPropertyOptional() q?: string;
  @ApiPropertyOptional() sort?: string;
  @ApiPropertyOptional() livemode?: string;
}

export class SavedViewOwnerDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class SavedViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: SavedViewQueryValuesDto }) query!: SavedViewQueryValuesDto;
  @ApiProperty() shared!: boolean;
  @ApiProperty({ type: SavedViewOwnerDto }) owner!: SavedViewOwnerDto;
  @ApiProperty({ description: 'Whether the asking agent may rename, share or delete it.' }) mine!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ApprovalProposalDto {
  @ApiProperty({ type: String, nullable: true }) action!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amountMinor!: number | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ enum: ['credit', 'debit'], nullable: true }) direction!: 'credit' | 'debit' | null;
  @ApiProperty({ type: PersonRefDto, nullable: true }) proposedBy!: PersonRefDto | null;
}

export class ApprovalDecisionEventsDto {
  @ApiProperty({ type: String, nullable: true }) approve!: string | null;
  @ApiProperty({ type: String, nullable: true }) reject!: string | null;
}

export class ApprovalItemDto {
  @ApiProperty({ type: CaseSummaryDto }) case!: CaseSummaryDto;
  @ApiProperty({ type: ApprovalProposalDto }) proposal!: ApprovalProposalDto;
  @ApiProperty() waitingSince!: string;
  @ApiProperty({ type: String, nullable: true }) dueAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: ApprovalDecisionEventsDto, description: 'The events the signed-in person may decide it with (none for the proposer).' })
  decideWith!: ApprovalDecisionEventsDto;
}

export class ApprovalPageDto {
  @ApiProperty({ type: [ApprovalItemDto] }) items!: ApprovalItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CaseLinkDto {
  @ApiProperty({ type: CaseSummaryDto }) case!: CaseSummaryDto;
  @ApiProperty({ enum: ['related', 'duplicate'] }) kind!: 'related' | 'duplicate';
  @ApiProperty({ type: String, nullable: true }) linkedBy!: string | null;
  @ApiProperty() linkedAt!: string;
}

export class RelatedCasesDto {
  @ApiProperty() caseId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The original this case was merged into, when it is a merged duplicate.' }) mergedInto!: string | null;
  @ApiProperty({ type: [CaseSummaryDto] }) sameCustomer!: CaseSummaryDto[];
  @ApiProperty({ type: [CaseSummaryDto] }) sameTransaction!: CaseSummaryDto[];
  @ApiProperty({ type: [CaseLinkDto] }) links!: CaseLinkDto[];
}

export class MergedCaseDto {
  @ApiProperty() intoCaseId!: string;
  @ApiProperty({ type: CaseDetailDto, description: 'The duplicate as the merge left it (state merged).' }) duplicate!: CaseDetailDto;
}

export class RedrivenDto {
  @ApiProperty({ type: [String], description: 'What was put back to work (none when nothing had failed).' }) redriven!: string[];
}

export class DeadlinesRedrivenDto {
  @ApiProperty({ type: [String], description: 'Failed deadlines put back on the clock, earliest due first.' }) redriven!: string[];
  @ApiProperty({
    type: [String],
    description:
      'Failed deadlines settled as stale instead: the case has moved past them (it left the state, or set the same timer again; the SLA clock stopped or paused since; the window is closed).',
  })
  settledAsStale!: string[];
}
