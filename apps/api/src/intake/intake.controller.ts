import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Public } from '@app/auth';
import { CHANNELS, type Channel } from '@app/domain';
import { IntakeClient, IntakeTokenGuard, OpenIntakeCase } from '@app/intake';
import { OpenCaseDto } from '../cases/case.dto';
import { Idempotent } from '../merchant/merchant-api';

export const INTAKE_TOKEN_SCHEME = 'intake-token';

export class IntakeCaseDto extends OmitType(OpenCaseDto, ['transactionRef', 'channel'] as const) {
  @ApiProperty({ example: 'TX-20261125-0001', description: 'The wallet transaction; one open case per transaction and kind.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  transactionRef!: string;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'app' })
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[])
  channel?: Channel;
}

/** For the wallet's own backend, authenticated by a service token (INTAKE_SERVICE_TOKENS). */
@ApiTags('intake')
@ApiBearerAuth(INTAKE_TOKEN_SCHEME)
@Public()
@UseGuards(IntakeTokenGuard)
@Controller('v1/intake')
export class IntakeController {
  constructor(private readonly openIntakeCase: OpenIntakeCase) {}

  @Post('cases')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Open a case for an app user; the open case of the same transaction and kind is returned instead of a second one (created: false)',
  })
  open(@Body() body: IntakeCaseDto, @IntakeClient() client: string) {
    return this.openIntakeCase.execute({ ...body, channel: body.channel ?? 'app', priority: body.priority ?? 'normal' }, client);
  }
}
