import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MERCHANT_REFUND_REQUEST_STATUSES, type MerchantRefundRequestStatus } from '@app/merchants';

export class ListRefundRequestsQueryDto {
  @ApiPropertyOptional({ enum: MERCHANT_REFUND_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(MERCHANT_REFUND_REQUEST_STATUSES as unknown as string[])
  status?: MerchantRefundRequestStatus;

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

export class ApproveRefundRequestDto {
  @ApiPropertyOptional({
    description:
      'Minor units (fen). Absent: everything the policy allows (the amount less the non-refundable fee). Less than that: a partial refund, if the policy allows partial refunds. More: 422 REFUND_EXCEEDS_REMAINING.',
    example: 5000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ description: 'Shown to the customer; up to 2000 characters.', example: 'Returned unopened' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}

export class RejectRefundRequestDto {
  @ApiProperty({ description: 'Why: shown to the customer, who may contest it (support then decides). Up to 2000 characters.', example: 'The item was used' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
