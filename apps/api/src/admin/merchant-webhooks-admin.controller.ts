import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/auth';
import { ListWebhookDeliveries, ListWebhookEndpoints, ReplayWebhookDelivery } from '@app/webhooks';
import { ListDeliveriesQueryDto } from '../merchant/merchant.dto';
import { WebhookDeliveryListResponse, WebhookDeliveryResponse, WebhookEndpointListResponse } from '../merchant/merchant-responses.dto';

/**
 * Admins look at a merchant's webhook endpoints and deliveries, as the merchant sees them through
 * its own API, and replay a delivery for a merchant who asks the desk to (same webhook-id and
 * body, fresh retries). Another merchant's delivery is the same 404 as a missing one.
 */
@ApiTags('admin: merchants')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('v1/admin/merchants/:merchantId')
export class MerchantWebhooksAdminController {
  constructor(
    private readonly listEndpoints: ListWebhookEndpoints,
    private readonly listDeliveries: ListWebhookDeliveries,
    private readonly replayDelivery: ReplayWebhookDelivery,
  ) {}

  @Get('webhook-endpoints')
  @ApiOperation({ summary: "A merchant's webhook endpoints (without secrets)" })
  @ApiOkResponse({ type: WebhookEndpointListResponse })
  endpoints(@Param('merchantId') merchantId: string, @Query('livemode') livemode?: string) {
    return this.listEndpoints.execute(scopeOf(merchantId, livemode));
  }

  @Get('webhook-deliveries')
  @ApiOperation({ summary: "A merchant's webhook deliveries, newest first, with every attempt (filter by endpoint_id or event_id)" })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  deliveries(@Param('merchantId') merchantId: string, @Query() query: ListDeliveriesQueryDto, @Query('livemode') livemode?: string) {
    return this.listDeliveries.execute({ merchantId, livemode: livemode !== 'false', endpointId: query.endpoint_id, eventId: query.event_id, limit: query.limit });
  }

  @Post('webhook-deliveries/:deliveryId/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a delivery again (same webhook-id and body, fresh retries)' })
  @ApiOkResponse({ type: WebhookDeliveryResponse })
  replay(@Param('merchantId') merchantId: string, @Param('deliveryId') deliveryId: string, @Query('livemode') livemode?: string) {
    return this.replayDelivery.execute(scopeOf(merchantId, livemode), deliveryId);
  }
}

/** A merchant's live data unless `?livemode=false` asks for its test-mode data (the two are kept apart, as for its keys). */
function scopeOf(merchantId: string, livemode: string | undefined): { id: string; livemode: boolean } {
  return { id: merchantId, livemode: livemode !== 'false' };
}
