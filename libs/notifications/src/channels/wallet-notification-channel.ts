import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { signWalletRequest } from '@app/wallet';
import { PermanentDeliveryError, type RenderedMessage, type SendResult } from './channel';

const PATH = '/v1/notifications';

/**
 * App push and SMS through the wallet's notification service (`POST /v1/notifications`, signed
 * with WALLET_API_SECRET). The idempotency key is the delivery row's, so the wallet sends a
 * message once however often we ask (a retry after a lost answer, a redelivered job).
 */
@Injectable()
export class WalletNotificationChannel {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.wallet.apiSecret !== '';
  }

  async send(channel: 'push' | 'sms', recipient: { userId: string; phone?: string }, message: RenderedMessage): Promise<SendResult> {
    const body = JSON.stringify({
      idempotency_key: `ntf_${message.deliveryId.replace(/-/g, '')}`,
      channel,
      user_id: recipient.userId,
      ...(recipient.phone ? { phone: recipient.phone } : {}),
      locale: message.locale,
      title: message.title,
      body: message.body,
    });
    // Signed with the wall clock: the receiver checks the timestamp against its own.
    const headers = signWalletRequest(this.config.wallet.apiSecret, { method: 'POST', pathWithQuery: PATH, body }, new Date());
    const response = await fetch(`${this.config.notifications.walletNotifyUrl}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.config.notifications.timeoutMs),
    });
    const text = await response.text();
    if (response.ok) {
      const answer = safeJson(text);
      return { providerRef: typeof answer?.notification_id === 'string' ? answer.notification_id : null };
    }
    const detail = `wallet notification service answered ${response.status}${text ? `: ${text.slice(0, 500)}` : ''}`;
    // 4xx other than 408/429 is a refusal of this message (unknown user, bad phone): retrying cannot help.
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new PermanentDeliveryError(detail);
    throw new Error(detail);
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
