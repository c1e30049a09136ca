import { ApiProperty } from '@nestjs/swagger';
import { REFUND_MISMATCH_KINDS, type RefundMismatchKind } from '@app/domain';

/** The refund reconciliation's answers, as OpenAPI schemas. */

export class WalletRefundSideDto {
  @ApiProperty({ type: String, nullable: true }) refundId!: string | null;
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amountMinor!: number | null;
}

export class OurRefundSideDto {
  @ApiProperty({ type: String, nullable: true }) status!: string | null;
  @ApiProperty({ type: Number, nullable: true }) amountMinor!: number | null;
}

export class RefundMismatchDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: REFUND_MISMATCH_KINDS }) kind!: RefundMismatchKind;
  @ApiProperty() idempotencyKey!: string;
  @ApiProperty({ type: String, nullable: true }) transactionRef!: string | null;
  @ApiProperty({ type: String, nullable: true }) caseId!: string | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty({ type: WalletRefundSideDto }) wallet!: WalletRefundSideDto;
  @ApiProperty({ type: OurRefundSideDto }) ours!: OurRefundSideDto;
  @ApiProperty() firstSeenAt!: string;
  @ApiProperty() lastSeenAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
}

export class RefundMismatchListDto {
  @ApiProperty({ type: [RefundMismatchDto] }) data!: RefundMismatchDto[];
}

export class MismatchCountsDto {
  @ApiProperty() paid_not_recorded!: number;
  @ApiProperty() recorded_not_paid!: number;
  @ApiProperty() amount_mismatch!: number;
}

export class RefundReconciliationReportDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: "Refunds looked at, ours and the wallet's together (by key)." }) examined!: number;
  @ApiProperty({ type: MismatchCountsDto, description: 'Findings of this pass, by kind.' }) mismatches!: MismatchCountsDto;
  @ApiProperty({ description: 'Earlier findings this pass no longer sees.' }) resolved!: number;
}
