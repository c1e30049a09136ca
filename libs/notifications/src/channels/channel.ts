/** A provider refused the message for good (bad address, unknown user): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

export interface RenderedMessage {
  /** Our delivery row; providers that deduplicate get a key derived from it. */
  deliveryId: string;
  locale: string;
  title: string;
  body: string;
}

export interface SendResult {
  /** The provider's id for the message (SMTP message id, the wallet's notification_id). */
  providerRef: string | null;
}
