/**
 * Event types a merchant may subscribe to: the machines' `notify` topics whose audience includes
 * the merchant. `dispute.awaiting_merchant` is "a dispute was opened against you and needs a
 * response"; `*.evidence_due_soon` is the SLA engine's reminder before the response window closes;
 * `dispute.resolved` carries the decision; `dispute.message` is an agent's message to the merchant;
 * `dispute.info_request_due_soon` is the reminder before an agent's information request to the
 * merchant times out; `refund_request.rejection_contested`: the customer contested the merchant's rejection.
 */
export const WEBHOOK_EVENT_TYPES = [
  'dispute.awaiting_merchant',
  'dispute.evidence_due_soon',
  'dispute.info_requested',
  'dispute.info_request_due_soon',
  'dispute.refund_succeeded',
  'dispute.resolved',
  'dispute.closed',
  'dispute.withdrawn',
  'dispute.message',
  'refund_request.submitted',
  'refund_request.evidence_due_soon',
  'refund_request.rejection_contested',
  'refund_request.refund_succeeded',
  'refund_request.resolved',
  'refund_request.withdrawn',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes an endpoint to every event type, including ones added later. */
export const ALL_EVENTS = '*';

export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** The event "send test event" delivers; not subscribable, every endpoint gets it when asked. */
export const TEST_EVENT_TYPE = 'webhook_endpoint.test';
