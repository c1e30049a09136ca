import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { adminAuditActor, CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { CreateApiKey, CreateMerchant, ListApiKeys, ListMerchants, RevokeApiKey } from '@app/merchants';
import { PageQuery } from '../page-query';
import { ApiKeyDto, ApiKeyPageDto, CreatedApiKeyDto, MerchantDto, MerchantPageDto } from './admin-responses.dto';

export class CreateMerchantDto {
  @ApiPropertyOptional({ example: 'm_2001', description: "The wallet's merchant id, as cases carry it; generated when absent." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be 1 to 64 letters, digits, _ or -' })
  id?: string;

  @ApiProperty({ example: '优选数码旗舰店' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ enum: ['secret', 'restricted'], description: 'secret (sk_live_…) reads and writes; restricted (rk_live_…) only reads.' })
  @IsIn(['secret', 'restricted'])
  kind!: 'secret' | 'restricted';

  @ApiPropertyOptional({ default: true, description: 'false: a test-mode key (sk_test_…/rk_test_…) that sees and makes only test data, never live data.' })
  @IsOptional()
  @IsBoolean()
  livemode?: boolean;

  @ApiPropertyOptional({ example: 'production server' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** Admins manage merchants and their API keys; a key is shown once, at creation. */
@ApiTags('admin: merchants')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('v1/admin/merchants')
export class MerchantsAdminController {
  constructor(
    private readonly createMerchant: CreateMerchant,
    private readonly listMerchants: ListMerchants,
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a merchant' })
  @ApiCreatedResponse({ type: MerchantDto })
  create(@Body() body: CreateMerchantDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.createMerchant.execute(body, adminAuditActor(agent));
  }

  @Get()
  @ApiOperation({ summary: 'Merchants, newest first, a page at a time' })
  @ApiOkResponse({ type: MerchantPageDto })
  list(@Query() query: PageQuery) {
    return this.listMerchants.execute(query);
  }

  @Post(':merchantId/api-keys')
  @ApiOperation({ summary: 'Create an API key; the full key is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  createKey(@Param('merchantId') merchantId: string, @Body() body: CreateApiKeyDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.createApiKey.execute({ merchantId, kind: body.kind, livemode: body.livemode, name: body.name, createdBy: agent.id }, adminAuditActor(agent));
  }

  @Get(':merchantId/api-keys')
  @ApiOperation({ summary: 'Keys, newest first, with their visible prefix and last use (never the key), a page at a time' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  keys(@Param('merchantId') merchantId: string, @Query() query: PageQuery) {
    return this.listApiKeys.execute(merchantId, query);
  }

  @Delete(':merchantId/api-keys/:keyId')
  @ApiOperation({ summary: 'Revoke a key; it stops working at once' })
  @ApiOkResponse({ type: ApiKeyDto })
  revoke(@Param('merchantId') merchantId: string, @Param('keyId') keyId: string, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.revokeApiKey.execute({ merchantId, keyId }, adminAuditActor(agent));
  }
}
