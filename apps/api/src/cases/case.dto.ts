import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CASE_KINDS,
  CHANNELS,
  CONTACT_FIELDS,
  CUSTOMER_LOCALES,
  EMAIL_PATTERN,
  PHONE_PATTERN,
  PRIORITIES,
  SECURITY_REPORTS,
  WECHAT_OPENID_PATTERN,
  type CaseKind,
  type Channel,
  type ContactField,
  type CustomerLocale,
  type Priority,
  type SecurityReport,
} from '@app/domain';

export class MoneyDto {
  @ApiProperty({ description: 'Integer amount in the minor unit of the currency (fen for CNY).', example: 12800 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as CNY' })
  currency!: string;
}

export class CustomerDto {
  @ApiProperty({ description: 'The wallet user id.', example: 'u_10086' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @ApiPropertyOptional({ example: '王小明' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_LOCALES, default: 'zh-CN', description: 'The language the customer is written to in.' })
  @IsOptional()
  @IsIn(CUSTOMER_LOCALES as unknown as string[])
  locale?: CustomerLocale;

  @ApiPropertyOptional({ example: '+8613812345678', description: 'For SMS; E.164 (a leading + and 7–15 digits). Stored sealed, shown masked.' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be a phone number in E.164 form, e.g. +8613812345678' })
  phone?: string;

  @ApiPropertyOptional({ example: 'wang@example.com', description: 'Stored sealed, shown masked.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email?: string;

  @ApiPropertyOptional({ description: 'WeChat openid of the customer for the official account. Stored sealed, shown masked.' })
  @IsOptional()
  @IsString()
  @Matches(WECHAT_OPENID_PATTERN, { message: 'wechatOpenId must be 16–64 letters, digits, - or _' })
  wechatOpenId?: string;

  @ApiPropertyOptional({ default: false, description: 'Whether the wallet app may send this user push notifications.' })
  @IsOptional()
  @IsBoolean()
  pushEnabled?: boolean;
}

export class RevealContactDto {
  @ApiPropertyOptional({ enum: CONTACT_FIELDS, isArray: true, description: 'Which fields to show in full; all by default.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(CONTACT_FIELDS as unknown as string[], { each: true })
  fields?: ContactField[];
}

export class OpenCaseDto {
  @ApiProperty({ enum: CASE_KINDS })
  @IsIn(CASE_KINDS as unknown as string[])
  kind!: CaseKind;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS as unknown as string[])
  channel!: Channel;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(PRIORITIES as unknown as string[])
  priority?: Priority;

  @ApiProperty({ example: 'Order never arrived' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiProperty({ type: CustomerDto })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiPropertyOptional({ example: 'm_2001' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  merchantId?: string;

  @ApiPropertyOptional({ example: 'TX-20261125-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  transactionRef?: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'Required for disputes and refund requests.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({
    description:
      'Dispute reason: not_received, not_as_described, not_completed, duplicate_charge, unauthorised, credit_not_processed, cancelled, peer_transfer (a transfer to another wallet user; no merchant). The old `duplicate` is read as duplicate_charge.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reason?: string;

  @ApiPropertyOptional({ description: 'When the purchase was made (refund requests).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  purchasedAt?: string;

  @ApiPropertyOptional({
    enum: SECURITY_REPORTS,
    description: 'account_security only: a stolen account (default; frozen at once, urgent 24/7 SLA) or a forgotten password (verified, then reset).',
  })
  @IsOptional()
  @IsIn(SECURITY_REPORTS as unknown as string[])
  securityReport?: SecurityReport;
}

const EVENT_NAME = /^[A-Z][A-Z_]*$/;
const SEND_EVENT_FIELDS = new Set(['type', 'payload', 'expectedVersion']);

export class SendEventDto {
  @ApiProperty({ example: 'DECIDE_PARTIAL_REFUND', description: "One of the case's allowedEvents." })
  @IsString()
  @Matches(EVENT_NAME, { message: 'type must be an event name such as FORWARD_TO_MERCHANT' })
  type!: string;

  @ApiPropertyOptional({ example: { amountMinor: 5000, reason: 'Item partly damaged' } })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiProperty({ description: 'The case version you saw; a different current version is a 409.' })
  @IsInt()
  @Min(1)
  expectedVersion!: number;

  /**
   * The decorators above, as one check (AcceptsAsSent, libs/http validation.ts): every event an agent sends
   * comes through here. case.dto.spec.ts holds it to class-validator's verdict.
   */
  static acceptsAsSent(body: unknown): boolean {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
    for (const field of Object.keys(body)) if (!SEND_EVENT_FIELDS.has(field)) return false;
    const { type, payload, expectedVersion } = body as Record<string, unknown>;
    return (
      typeof type === 'string' &&
      EVENT_NAME.test(type) &&
      // @IsOptional lets null through as well as a missing field.
      (payload === undefined || payload === null || (typeof payload === 'object' && !Array.isArray(payload))) &&
      typeof expectedVersion === 'number' &&
      Number.isInteger(expectedVersion) &&
      expectedVersion >= 1
    );
  }
}

export class AssignDto {
  @ApiProperty({ nullable: true, description: 'Agent id, or null to unassign.' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  assigneeId!: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class NoteDto {
  @ApiProperty({ example: '客户来电补充了快递单号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  body!: string;
}

export class ListCasesQueryDto {
  @IsOptional() @IsIn(CASE_KINDS as unknown as string[]) kind?: CaseKind;
  @IsOptional() @IsString() @MaxLength(200) state?: string;
  @IsOptional() @IsIn(['active', 'done']) status?: 'active' | 'done';
  @IsOptional() @IsIn(PRIORITIES as unknown as string[]) priority?: Priority;
  @IsOptional() @IsIn(CHANNELS as unknown as string[]) channel?: Channel;
  @IsOptional() @IsString() @MaxLength(200) merchantId?: string;
  @ApiPropertyOptional({ description: 'Agent id, `me`, or `none` for unassigned.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assigneeId?: string;
  @ApiPropertyOptional({ description: "false: merchants' test-mode cases (made with their test helpers) instead of live ones, which are listed by default." })
  @IsOptional()
  @IsIn(['true', 'false'])
  livemode?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'true: cases an SLA breach escalated to supervisors; false: the others.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  escalated?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'Only cases whose next deadline or SLA breach falls before this instant (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
  @ApiPropertyOptional({ description: 'Text search: subject, description, customer, transaction.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @IsOptional() @IsIn(['nextDeadline', 'createdAt']) sort?: 'nextDeadline' | 'createdAt';
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
