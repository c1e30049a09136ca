import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CUSTOMER_LOCALES, MAX_CUSTOMER_PAGE, MAX_MESSAGE_LENGTH, MESSAGE_LOCALES } from '@app/customers';

export class ListCustomerCasesQueryDto {
  @ApiPropertyOptional({ description: 'next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CUSTOMER_PAGE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_CUSTOMER_PAGE)
  limit?: number;

  // Read by RequestedLocale; declared so the query validation accepts it.
  @IsOptional() @IsIn(CUSTOMER_LOCALES as unknown as string[]) locale?: string;
}

export class WithdrawCaseDto {
  @ApiPropertyOptional({ example: 'The parcel arrived after all', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}

export class AppealCaseDto {
  @ApiProperty({ example: 'The merchant sent the wrong size, see the photo I added', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class RateCaseDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 (poor) to 5 (excellent).' })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class CustomerPostMessageDto {
  @ApiProperty({ example: '请问我的退款什么时候到账？', maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  body!: string;

  @ApiPropertyOptional({ enum: MESSAGE_LOCALES, default: 'zh-CN', description: 'The language the message is written in.' })
  @IsOptional()
  @IsIn(MESSAGE_LOCALES as unknown as string[])
  locale?: 'zh-CN' | 'en';
}
