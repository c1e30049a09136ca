import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdempotencyRedacts } from '@app/idempotency';
import { CurrentMerchant, merchantAuditActor, type AuthenticatedMerchant } from '@app/merchants';
import {
  CreateWebhookEndpoint,
  DeleteWebhookEndpoint,
  ListWebhookDeliveries,
  ListWebhookEndpoints,
  ReplayWebhookDelivery,
  RotateWebhookSecret,
  SendTestWebhookEvent,
  UpdateWebhookEndpoint,
} from '@app/webhooks';
import { Idempotent, MerchantApi } from './merchant-api';
import {
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookEndpointListResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
} from './merchant-responses.dto';
import { CreateWebhookEndpointDto, ListDeliveriesQueryDto, RotateWebhookSecretDto, UpdateWebhookEndpointDto } from './merchant.dto';

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
    private readonly updateEndpoint: UpdateWebhookEndpoint,
    private readonly rotateSecret: RotateWebhookSecret,
    private readonly sendTestEvent: SendTestWebhookEvent,
  ) {}

  @Post('webhook-endpoints')
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponse })
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
  @ApiOkResponse({ type: WebhookEndpointListResponse })
  list(@CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listEndpoints.execute(merchant);
  }

  @Post('webhook-endpoints/:id')
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Update an endpoint: URL, event types, description, or disable / enable it',
    description: 'The URL passes the same checks as on create (SSRF guard included). The signing secret stays; rotate it with …/rotate-secret.',
  })
  update(@Param('id') id: string, @Body() body: UpdateWebhookEndpointDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.updateEndpoint.execute(
      { merchantId: merchant.id, endpointId: id, url: body.url, events: body.events, description: body.description, disabled: body.disabled },
      merchantAuditActor(merchant),
    );
  }

  @Post('webhook-endpoints/:id/rotate-secret')
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponse })
  @HttpCode(200)
  @Idempotent()
  @IdempotencyRedacts('secret')
  @ApiOperation({
    summary: 'A new signing secret, shown this once; the old one keeps signing until expires_in_seconds (default 24 h) has passed',
    description: 'During the grace period every delivery carries two signatures in webhook-signature ("v1,<new> v1,<old>"); a Standard Webhooks verifier accepts either secret.',
  })
  rotate(@Param('id') id: string, @Body() body: RotateWebhookSecretDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.rotateSecret.execute(merchant.id, id, body.expires_in_seconds, merchantAuditActor(merchant));
  }

  @Post('webhook-endpoints/:id/test')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Send a webhook_endpoint.test event to this endpoint (signed and retried like any other); answers with the delivery' })
  @ApiOkResponse({ type: WebhookDeliveryResponse })
  test(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.sendTestEvent.execute(merchant.id, id);
  }

  @Delete('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Stop sending to an endpoint' })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  remove(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.deleteEndpoint.execute(merchant, id, merchantAuditActor(merchant));
  }

  @Get('webhook-deliveries')
  @ApiOperation({ summary: 'Deliveries, newest first, with every attempt' })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  deliveries(@Query() query: ListDeliveriesQueryDto, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.listDeliveries.execute({ merchantId: merchant.id, livemode: merchant.livemode, endpointId: query.endpoint_id, eventId: query.event_id, limit: query.limit });
  }

  @Post('webhook-deliveries/:id/replay')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Send a delivery again (same webhook-id and body, fresh retries)' })
  @ApiOkResponse({ type: WebhookDeliveryResponse })
  replay(@Param('id') id: string, @CurrentMerchant() merchant: AuthenticatedMerchant) {
    return this.replayDelivery.execute(merchant, id);
  }
}
