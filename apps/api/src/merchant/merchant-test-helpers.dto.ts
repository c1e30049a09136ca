import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateTestClockDto {
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00.000Z', description: "The clock's starting time (ISO 8601); now when absent." })
  @IsOptional()
  @IsISO8601({ strict: true })
  frozen_time?: string;

  @ApiPropertyOptional({ example: 'silent merchant suite' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class AdvanceTestClockDto {
  @ApiProperty({ example: '2026-12-09T00:00:00.000Z', description: "The clock's new time (ISO 8601), after its current one." })
  @IsISO8601({ strict: true })
  frozen_time!: string;
}

export class CreateTestCaseDto {
  @ApiProperty({ example: 10000, description: 'Minor units (fen): the simulated payment and the amount disputed or asked back.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiPropertyOptional({ example: 'CNY', default: 'CNY' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiProperty({ example: 'not_received', description: "Disputes: not_received, not_as_described, duplicate or unauthorised. Refund requests: the customer's words." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({ description: 'A test clock of yours: the case lives on its time, and its deadlines fire when the clock is advanced.' })
  @IsOptional()
  @IsUUID()
  test_clock?: string;

  @ApiPropertyOptional({ description: "Refund requests: when the purchase was made (ISO 8601); the case's now by default." })
  @IsOptional()
  @IsISO8601({ strict: true })
  purchased_at?: string;
}
