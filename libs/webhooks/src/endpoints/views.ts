import type { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';

export interface WebhookEndpointView {
  id: string;
  object: 'webhook_endpoint';
  /** False for a test-mode endpoint, which receives only test cases' events. */
  livemode: boolean;
  url: string;
  description: string | null;
  events: string[];
  status: 'enabled' | 'disabled' | 'deleted';
  disabled_reason: string | null;
  /** While a rotation's grace period runs: until when the replaced secret still signs too. */
  previous_secret_expires_at: string | null;
  created: string;
}

export interface WebhookDeliveryView {
  id: string;
  object: 'webhook_delivery';
  endpoint_id: string;
  /** The `webhook-id` header: the same for every attempt and replay of this event. */
  event_id: string;
  event_type: string;
  dispute_id: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: Array<{ generation: number; attempt: number; at: string; status_code: number | null; error: string | null; duration_ms: number }>;
  next_attempt_at: string | null;
  created: string;
}

export const toEndpointView = (endpoint: WebhookEndpointEntity): WebhookEndpointView => ({
  id: endpoint.id,
  object: 'webhook_endpoint',
  livemode: endpoint.livemode,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  status: endpoint.status,
  disabled_reason: endpoint.disabledReason,
  previous_secret_expires_at: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
  created: endpoint.createdAt.toISOString(),
});

export const toDeliveryView = (delivery: WebhookDeliveryEntity, attempts: WebhookAttemptEntity[]): WebhookDeliveryView => ({
  id: delivery.id,
  object: 'webhook_delivery',
  endpoint_id: delivery.endpointId,
  event_id: delivery.eventId,
  event_type: delivery.eventType,
  dispute_id: delivery.caseId,
  status: delivery.status,
  attempts: attempts.map((attempt) => ({
    generation: attempt.generation,
    attempt: attempt.attempt,
    at: attempt.attemptedAt.toISOString(),
    status_code: attempt.statusCode,
    error: attempt.error,
    duration_ms: attempt.durationMs,
  })),
  next_attempt_at: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
  created: delivery.createdAt.toISOString(),
});

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Another merchant's endpoint and a missing one are the same 404. */
export const endpointNotFound = (id: string) => new DomainError(DomainErrorCode.NotFound, `No webhook endpoint ${id}.`, { endpointId: id });
export const deliveryNotFound = (id: string) => new DomainError(DomainErrorCode.NotFound, `No webhook delivery ${id}.`, { deliveryId: id });
