import { signWalletRequest } from './contract-shared';
import type { SimConfig } from './config';
import type { Db } from './database';
import { log } from './log';
import { recordCallbackAttempt, type CallbackRecord } from './store';

export const CALLBACK_PATH = '/v1/wallet/events';

/**
 * Delivers queued callbacks to the engine, signed with WALLET_CALLBACK_SECRET. A callback is
 * retried with exponential backoff until a 2xx or SIM_CALLBACK_MAX_ATTEMPTS; DUPCB- callbacks are
 * sent again after their first 2xx (same event id), as a real wallet's at-least-once delivery may.
 */
export class CallbackSender {
  constructor(
    private readonly db: Db,
    private readonly config: SimConfig,
  ) {}

  async deliver(callback: CallbackRecord, engineBaseUrl: string, now: () => Date): Promise<void> {
    const url = `${engineBaseUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`;
    const target = new URL(url);
    const headers = signWalletRequest(this.config.callbackSecret, { method: 'POST', pathWithQuery: `${target.pathname}${target.search}`, body: callback.body }, now());
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: callback.body,
        signal: AbortSignal.timeout(this.config.callbackTimeoutMs),
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    }
    const attempt = callback.attempts + 1;
    const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const finishedAt = now();
    let next: { status: CallbackRecord['status']; nextAttemptAt: Date | null };
    if (delivered) {
      const copiesLeft = callback.copies - (callback.delivered_count + 1);
      next = copiesLeft > 0 ? { status: 'pending', nextAttemptAt: finishedAt } : { status: 'delivered', nextAttemptAt: null };
    } else if (attempt >= this.config.callbackMaxAttempts) {
      next = { status: 'given_up', nextAttemptAt: null };
    } else {
      const failuresSoFar = attempt - callback.delivered_count;
      const backoff = Math.min(this.config.callbackRetryBaseMs * 2 ** (failuresSoFar - 1), this.config.callbackRetryMaxMs);
      next = { status: 'pending', nextAttemptAt: new Date(finishedAt.getTime() + backoff) };
    }
    await recordCallbackAttempt(this.db, { event_id: callback.event_id, attempt, url, status_code: statusCode, error, attempted_at: finishedAt }, { delivered, ...next });
    log({ msg: 'callback', event_id: callback.event_id, type: callback.type, attempt, status_code: statusCode, error, next: next.status });
  }
}
