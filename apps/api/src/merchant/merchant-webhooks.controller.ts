import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyRedacts } from '@app/idempotency';
import { CurrentMerchant, merchantAuditActor, type AuthenticatedMerchant } from '@app/merchants';
import { CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookDeliveries, ListWebhookEndpoints, ReplayWebhookDelivery } from '@app/webhooks';
import { Idempotent, MerchantApi } from './merchant-api';
import { CreateWebhookEndpointDto, ListDeliveriesQueryDto } from './merchant.dto';

@ApiTags('merchant: webhooks')
@MerchantApi()
@Controller('v1/merchant')
export class MerchantWebhooksController {
  constructor(
    private readonly createEndpoint: CreateWebhookEndpoint,
    private readonly listEndpoints: ListWebhookEndpoints,
    private readonly deleteEndpoint: DeleteWebhookEndpoint,
    private readonly listDeliveries: ListWebhookDeliveries,
    private readonly replayDelivery: ReplayWebhookDelivery,
  ) {}

  @Post('webhook-endpoints')
  @HttpCode(200)
  @Idempotent()
  @IdempotencyRedacts('secret')
  @ApiOperation({
    summary: 'Register an endpoint; the response carries its signing secret (whsec_…) this once',
    description:
      'Deliveries are signed per Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body">). Reject timestamps more than 5 minutes off. Retries with exponential backoff and jitter for about 3 days; a 410 Gone disables the endpoint.',
  })
  create(@Body() body: CreateWebhookEndpointDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.createEndpoint.execute(
      { merchantId: merchant.id, livemode: merchant.livemode, url: body.url, events: body.events, description: body.description },
      merchantAuditActor(merchant),
    );
  }

  @Get('webhook-endpoints')
  @ApiOperation({ summary: 'Your webhook endpoints (without secrets)' })
  list(@CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listEndpoints.execute(merchant);
  }

  @Delete('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Stop sending to an endpoint' })
  remove(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.deleteEndpoint.execute(merchant, id, merchantAuditActor(merchant));
  }

  @Get('webhook-deliveries')
  @ApiOperation({ summary: 'Deliveries, newest first, with every attempt' })
  deliveries(@Query() query: ListDeliveriesQueryDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listDeliveries.execute({ merchantId: merchant.id, livemode: merchant.livemode, endpointId: query.endpoint_id, eventId: query.event_id, limit: query.limit });
  }

  @Post('webhook-deliveries/:id/replay')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Send a delivery again (same webhook-id and body, fresh retries)' })
  replay(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.replayDelivery.execute(merchant, id);
  }
}
