import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MERCHANT_DISPUTE_STATUSES, type MerchantDisputeStatus } from '@app/merchants';
import { ALL_EVENTS, DEFAULT_SECRET_GRACE_SECONDS, MAX_SECRET_GRACE_SECONDS, WEBHOOK_EVENT_TYPES } from '@app/webhooks';

/** Text evidence fields are bounded so six of them fit the JSON body limit, also in Chinese. */
const FIELD_MAX = 5000;

export class ListDisputesQueryDto {
  @ApiPropertyOptional({ enum: MERCHANT_DISPUTE_STATUSES })
  @IsOptional()
  @IsIn(MERCHANT_DISPUTE_STATUSES as unknown as string[])
  status?: MerchantDisputeStatus;

  @ApiPropertyOptional({ description: 'Only disputes whose evidence_due_by is before this time (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  due_before?: string;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

const textField = (description: string) => ApiPropertyOptional({ description: `${description} Up to ${FIELD_MAX} characters; null clears it.`, nullable: true, type: String });

export class StageEvidenceDto {
  @textField('Receipt or order details shown to the buyer.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  receipt?: string | null;

  @textField('What was sold.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  product_description?: string | null;

  @textField('Shipping or delivery proof: carrier, tracking number, delivery date, signature (counts as proof_of_delivery).')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  shipping_proof?: string | null;

  @textField('Communication with the customer.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  customer_communication?: string | null;

  @textField('The refund policy the customer agreed to.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  refund_policy?: string | null;

  @textField('Carrier and tracking number of the shipment.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  tracking_number?: string | null;

  @textField('Proof the service was provided or the transaction completed (booking, usage log, completion record).')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  service_documentation?: string | null;

  @textField('The cancellation policy the customer agreed to, and how it was shown to them.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  cancellation_policy?: string | null;

  @textField('Why the refund the customer expects is not owed (credit_not_processed).')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  refund_refusal_explanation?: string | null;

  @textField('What tells the two charges apart (separate orders, receipts, deliveries).')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  duplicate_charge_documentation?: string | null;

  @textField('Proof the account holder authorised the payment (device, login, delivery address, earlier orders).')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  authorisation_proof?: string | null;

  @textField('Anything else.')
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_MAX)
  uncategorized_text?: string | null;
}

export class SubmitEvidenceDto {
  @ApiPropertyOptional({ description: 'Your case in a paragraph; a list of the staged evidence when absent.', maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  summary?: string;
}

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://merchant.example.com/webhooks/disputes', description: 'https (http only outside production); must resolve to public addresses.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    example: ['dispute.awaiting_merchant', 'dispute.resolved'],
    description: `Event types to receive, or ["${ALL_EVENTS}"].`,
    enum: [...WEBHOOK_EVENT_TYPES, ALL_EVENTS],
    isArray: true,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  events!: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ description: 'A new URL: the same rules as on create (https, public addresses only).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: `Replaces the event types, or ["${ALL_EVENTS}"].`, enum: [...WEBHOOK_EVENT_TYPES, ALL_EVENTS], isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  events?: string[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, description: 'null clears it.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'true stops deliveries; false enables an endpoint that was disabled (by you, a 410 or days of failures).' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_SECRET_GRACE_SECONDS,
    default: DEFAULT_SECRET_GRACE_SECONDS,
    description: 'How long the current secret keeps signing beside the new one; 0 ends it now (a leaked secret).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SECRET_GRACE_SECONDS)
  expires_in_seconds?: number;
}

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ description: 'Only deliveries to this endpoint.' }) @IsOptional() @IsString() @MaxLength(100) endpoint_id?: string;
  @ApiPropertyOptional({ description: 'Only deliveries of this event (the webhook-id header).' }) @IsOptional() @IsString() @MaxLength(100) event_id?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
