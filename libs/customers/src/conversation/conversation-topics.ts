import type { WebhookEventType } from '@app/webhooks';

/** The `notify` topic of an agent's message to the customer (delivered by the notification channels). */
export const AGENT_REPLIED_TOPIC = 'conversation.agent_replied';
/** The `notify` topic of an agent's message to the merchant: a signed webhook of the same type. */
export const MERCHANT_MESSAGE_TOPIC = 'dispute.message' satisfies WebhookEventType;

/** Agent inbox entry types for a message that came in, by the party that wrote it. */
export const INBOX_TYPE_OF_REPLY = {
  customer: 'conversation.customer_replied',
  merchant: 'conversation.merchant_replied',
} as const;
