import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { adminAuditActor, CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { GetRefundPolicy, RemoveRefundPolicy, SetRefundPolicy } from '@app/merchants';
import { RefundPolicyViewDto } from './admin-responses.dto';

export class RefundPolicyDto {
  @ApiProperty({ example: 14, description: 'Days (of 24 hours) after the purchase in which a refund may still be granted; 0 to 3650.' })
  @IsInt()
  @Min(0)
  @Max(3650)
  refundWindowDays!: number;

  @ApiProperty({ example: true, description: 'Whether less than the refundable amount may be refunded.' })
  @IsBoolean()
  partialRefundsAllowed!: boolean;

  @ApiProperty({ example: 500, description: "Kept back from every refund, in the purchase currency's minor units (0 for none)." })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  nonRefundableFeeMinor!: number;
}

/**
 * A merchant's refund policy for refund requests. Admins set and remove it (audited); supervisors
 * may read it. Without one, the global policy applies. Cases keep the policy they opened under.
 */
@ApiTags('admin: merchants')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('v1/admin/merchants/:merchantId/refund-policy')
export class RefundPoliciesAdminController {
  constructor(
    private readonly getPolicy: GetRefundPolicy,
    private readonly setPolicy: SetRefundPolicy,
    private readonly removePolicy: RemoveRefundPolicy,
  ) {}

  @Get()
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'The policy new refund requests of the merchant open under (source: merchant, or global when it has none)' })
  @ApiOkResponse({ type: RefundPolicyViewDto })
  get(@Param('merchantId') merchantId: string) {
    return this.getPolicy.execute(merchantId);
  }

  @Put()
  @ApiOperation({ summary: "Set the merchant's refund policy (new refund requests only)" })
  @ApiOkResponse({ type: RefundPolicyViewDto })
  set(@Param('merchantId') merchantId: string, @Body() body: RefundPolicyDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.setPolicy.execute(merchantId, body, adminAuditActor(agent));
  }

  @Delete()
  @ApiOperation({ summary: 'Remove it: the global policy applies to new refund requests again' })
  @ApiOkResponse({ type: RefundPolicyViewDto })
  remove(@Param('merchantId') merchantId: string, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.removePolicy.execute(merchantId, adminAuditActor(agent));
  }
}
