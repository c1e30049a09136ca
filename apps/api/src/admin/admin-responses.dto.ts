import { ApiProperty } from '@nestjs/swagger';

/** The admin routes' answers about merchants, their keys and refund policies, as OpenAPI schemas. */

export class MerchantDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdAt!: string;
}

export class MerchantPageDto {
  @ApiProperty({ type: [MerchantDto] }) data!: MerchantDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() merchantId!: string;
  @ApiProperty({ enum: ['secret', 'restricted'] }) kind!: 'secret' | 'restricted';
  @ApiProperty({ description: 'False for a test-mode key (sk_test_…/rk_test_…).' }) livemode!: boolean;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: 'The first characters of the key, e.g. sk_live_AbCd, to recognise it.' }) prefix!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The whole key: shown this once.' }) key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RefundPolicyViewDto {
  @ApiProperty() merchantId!: string;
  @ApiProperty({ enum: ['merchant', 'global'], description: "merchant: the merchant's own policy; global: none is set, the global one applies." }) source!: 'merchant' | 'global';
  @ApiProperty() refundWindowDays!: number;
  @ApiProperty() partialRefundsAllowed!: boolean;
  @ApiProperty({ description: "Kept back from every refund, in the purchase currency's minor units." }) nonRefundableFeeMinor!: number;
  @ApiProperty({ type: String, nullable: true }) updatedAt!: string | null;
}
