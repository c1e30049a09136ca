import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { APP_CONFIG, type AppConfig, type WalletConfig } from '@app/config';
import { signWalletRequest } from './signing';
import {
  WalletCallError,
  WalletPort,
  normaliseTransactionRef,
  type WalletAccountAction,
  type WalletAccountActionKind,
  type WalletAccountActionRequest,
  type WalletBalanceCorrectionRequest,
  type WalletFundingSource,
  type WalletPendingTransaction,
  type WalletRefund,
  type WalletRefundRequest,
  type WalletTransaction,
} from './wallet.port';

/**
 * The wallet's snake_case JSON, mapped field by field into the port's types below: its fields are
 * read as the wallet's contract says they are, and what the engine acts on (statuses, ids, amounts)
 * is checked where it is read. (eslint.config.mjs lets this file use `any` for that.)
 */
type Json = Record<string, any>;

/** Network errors raised before the request left: nothing can have been carried out. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

interface CallOptions {
  /** Reads may be repeated after a timeout; writes may not (they may have been carried out). */
  safeToRepeat: boolean;
  /** 4xx codes that mean "no such thing" and are answered as null instead of an error. */
  notFoundCodes?: string[];
}

/**
 * The wallet over HTTP (contract: docs/wallet-contract.openapi.yaml). Each request is signed and
 * bounded by WALLET_TIMEOUT_MS; failures that certainly did nothing (connection refused, 5xx, 429)
 * are retried with backoff; a write that timed out after sending is `ambiguous` and handed back to
 * the caller, who looks it up by its key before trying again. A circuit breaker stops calling a
 * wallet that keeps failing, so effects fail fast and BullMQ retries them later.
 */
@Injectable()
export class HttpWalletAdapter extends WalletPort implements OnModuleDestroy {
  private readonly logger = new Logger('Wallet');
  private readonly settings: WalletConfig;
  readonly breaker: CircuitBreaker<[string, string, string, CallOptions], Json | null>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.settings = config.wallet;
    this.breaker = new CircuitBreaker((method: string, path: string, body: string, options: CallOptions) => this.attempt(method, path, body, options), {
      timeout: false, // each request has its own AbortSignal timeout
      errorThresholdPercentage: this.settings.breaker.errorThresholdPercentage,
      volumeThreshold: this.settings.breaker.volumeThreshold,
      rollingCountTimeout: this.settings.breaker.rollingWindowMs,
      resetTimeout: this.settings.breaker.resetTimeoutMs,
      // A refusal is the wallet working as it should: it must not open the circuit.
      errorFilter: (error: unknown) => error instanceof WalletCallError && error.kind === 'rejected',
    });
    this.breaker.on('open', () => this.logger.warn({ event: 'wallet.circuit_open', resetMs: this.settings.breaker.resetTimeoutMs }));
    this.breaker.on('close', () => this.logger.log({ event: 'wallet.circuit_closed' }));
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  async getTransaction(ref: string): Promise<WalletTransaction | null> {
    const body = await this.call('GET', `/v1/transactions/${encodeURIComponent(normaliseTransactionRef(ref))}`, undefined, {
      safeToRepeat: true,
      notFoundCodes: ['TRANSACTION_NOT_FOUND'],
    });
    return body && toTransaction(body);
  }

  async requestRefund(request: WalletRefundRequest): Promise<WalletRefund> {
    const body = await this.call(
      'POST',
      '/v1/refunds',
      {
        idempotency_key: request.idempotencyKey,
        transaction_ref: normaliseTransactionRef(request.transactionRef),
        amount_minor: request.amountMinor,
        currency: request.currency,
        reason: request.reason,
      },
      { safeToRepeat: false },
    );
    return toRefund(body!);
  }

  async findRefund(idempotencyKey: string): Promise<WalletRefund | null> {
    const body = await this.call('GET', `/v1/refunds/${encodeURIComponent(idempotencyKey)}`, undefined, { safeToRepeat: true, notFoundCodes: ['REFUND_NOT_FOUND'] });
    return body && toRefund(body);
  }

  async listRefunds(range: { from: Date; to: Date }): Promise<WalletRefund[]> {
    const refunds: WalletRefund[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ created_from: range.from.toISOString(), created_to: range.to.toISOString(), limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const page: Json | null = await this.call('GET', `/v1/refunds?${query.toString()}`, undefined, { safeToRepeat: true });
      refunds.push(...(page!.data as Json[]).map(toRefund));
      cursor = (page!.next_cursor as string | null) ?? null;
    } while (cursor);
    return refunds;
  }

  freezeAccount(request: WalletAccountActionRequest): Promise<WalletAccountAction> {
    return this.accountAction(request.accountId, 'freeze', { idempotency_key: request.idempotencyKey, reason: request.reason });
  }

  unfreezeAccount(request: WalletAccountActionRequest): Promise<WalletAccountAction> {
    return this.accountAction(request.accountId, 'unfreeze', { idempotency_key: request.idempotencyKey, reason: request.reason });
  }

  resetCredentials(request: WalletAccountActionRequest): Promise<WalletAccountAction> {
    return this.accountAction(request.accountId, 'credential-resets', { idempotency_key: request.idempotencyKey, reason: request.reason });
  }

  postBalanceCorrection(request: WalletBalanceCorrectionRequest): Promise<WalletAccountAction> {
    return this.accountAction(request.accountId, 'balance-corrections', {
      idempotency_key: request.idempotencyKey,
      reason: request.reason,
      amount_minor: request.amountMinor,
      currency: request.currency,
      direction: request.direction,
    });
  }

  async listPendingTransactions(accountId: string): Promise<WalletPendingTransaction[]> {
    const body = await this.call('GET', `/v1/accounts/${encodeURIComponent(accountId)}/pending-transactions`, undefined, { safeToRepeat: true });
    return (body!.data as Json[]).map((item) => ({
      ref: item.ref,
      amountMinor: Number(item.amount_minor),
      currency: item.currency,
      status: item.status,
      createdAt: new Date(item.created_at),
    }));
  }

  private async accountAction(accountId: string, route: string, body: Json): Promise<WalletAccountAction> {
    // Account actions are keyed like refunds; the wallet answers the same action for the same key.
    const answer = await this.call('POST', `/v1/accounts/${encodeURIComponent(accountId)}/${route}`, body, { safeToRepeat: false });
    return {
      actionId: answer!.action_id,
      idempotencyKey: answer!.idempotency_key,
      accountId: answer!.account_id,
      kind: answer!.kind as WalletAccountActionKind,
      status: oneOf(answer!.status, ACTION_STATUSES, `${route} answer`),
      ledgerEntryRef: typeof answer!.ledger_entry_ref === 'string' && answer!.ledger_entry_ref ? answer!.ledger_entry_ref : null,
    };
  }

  /** One logical call: attempts through the breaker, retried while the failure is certainly harmless. */
  private async call(method: string, path: string, body: Json | undefined, options: CallOptions): Promise<Json | null> {
    const rawBody = body === undefined ? '' : JSON.stringify(body);
    for (let retry = 0; ; retry++) {
      try {
        return await this.breaker.fire(method, path, rawBody, options);
      } catch (error) {
        const failure = asCallError(error);
        const retryable = failure.kind === 'unavailable' && failure.code !== 'CIRCUIT_OPEN';
        if (!retryable || retry >= this.settings.maxRetries) throw failure;
        const delayMs = (failure as WalletCallError & { retryAfterMs?: number }).retryAfterMs ?? this.settings.retryDelayMs * 2 ** retry;
        this.logger.warn({ event: 'wallet.retry', method, path: path.split('?')[0], code: failure.code, retry: retry + 1, delayMs });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async attempt(method: string, path: string, rawBody: string, options: CallOptions): Promise<Json | null> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...signWalletRequest(this.settings.apiSecret, { method, pathWithQuery: path, body: rawBody }, new Date()),
    };
    if (rawBody) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(`${this.settings.baseUrl}${path}`, {
        method,
        headers,
        body: rawBody || undefined,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      throw networkFailure(error, method, path, options);
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw fail(options.safeToRepeat ? 'unavailable' : 'ambiguous', 'BAD_RESPONSE', `${method} ${path}: the wallet answered ${status} with a body that is not JSON`);
      }
    }
    const answer = parseError(text);
    if (status === 429 || status >= 500) {
      const failure = fail('unavailable', answer.code ?? `HTTP_${status}`, `${method} ${path}: the wallet answered ${status}: ${answer.message ?? text.slice(0, 200)}`);
      const seconds = Number(retryAfter);
      if (status === 429 && retryAfter && Number.isFinite(seconds)) Object.assign(failure, { retryAfterMs: Math.min(seconds * 1000, 10_000) });
      throw failure;
    }
    if (answer.code && options.notFoundCodes?.includes(answer.code)) return null;
    // Not a verdict on the request: our signature refused (clock skew, a secret being rotated), or a
    // proxy's timeout. Treated like an outage: retried later, never taken as a final refusal.
    if (status === 401 || status === 403 || status === 408) {
      throw fail(
        options.safeToRepeat ? 'unavailable' : 'ambiguous',
        answer.code ?? `HTTP_${status}`,
        `${method} ${path}: the wallet answered ${status}: ${answer.message ?? text.slice(0, 200)}`,
      );
    }
    throw fail('rejected', answer.code ?? `HTTP_${status}`, `${method} ${path}: the wallet refused it (${status} ${answer.code ?? ''}): ${answer.message ?? text.slice(0, 200)}`);
  }
}

/** The code leads the message too: the outbox row's last_error and the logs show it. */
function fail(kind: WalletCallError['kind'], code: string, message: string): WalletCallError {
  return new WalletCallError(kind, code, `${code}: ${message}`);
}

function asCallError(error: unknown): WalletCallError {
  if (error instanceof WalletCallError) return error;
  if ((error as { code?: string }).code === 'EOPENBREAKER') {
    return fail('unavailable', 'CIRCUIT_OPEN', 'The wallet failed too often lately: calls are paused until the circuit half-opens');
  }
  return fail('unavailable', 'WALLET_CALL_FAILED', String(error));
}

function networkFailure(error: unknown, method: string, path: string, options: CallOptions): WalletCallError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return fail(
      options.safeToRepeat ? 'unavailable' : 'ambiguous',
      'WALLET_TIMEOUT',
      `${method} ${path}: no answer from the wallet in time${options.safeToRepeat ? '' : '; it may have been carried out'}`,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? 'NETWORK_ERROR';
  const notSent = NOT_SENT_CODES.has(code);
  return fail(
    notSent || options.safeToRepeat ? 'unavailable' : 'ambiguous',
    notSent ? 'WALLET_UNREACHABLE' : 'WALLET_CONNECTION_LOST',
    `${method} ${path}: ${code} ${cause?.message ?? String(error)}`,
  );
}

function parseError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return { code: typeof body.code === 'string' ? body.code : undefined, message: typeof body.message === 'string' ? body.message : undefined };
  } catch {
    return {};
  }
}

function toSources(items: Json[] | undefined): WalletFundingSource[] {
  return (items ?? []).map((item) => ({ type: item.type, accountRef: item.account_ref, amountMinor: Number(item.amount_minor) }));
}

function dateOrNull(value: unknown): Date | null {
  return typeof value === 'string' ? new Date(value) : null;
}

function toTransaction(body: Json): WalletTransaction {
  return {
    ref: body.ref,
    amountMinor: Number(body.amount_minor),
    currency: body.currency,
    merchantId: body.merchant_id ?? null,
    payerId: body.payer_id,
    status: body.status,
    fundingSources: toSources(body.funding_sources),
    refundedMinor: Number(body.refunded_minor ?? 0),
    createdAt: new Date(body.created_at),
  };
}

const REFUND_STATUSES = ['processing', 'succeeded', 'failed'] as const;
const ACTION_STATUSES = ['processing', 'completed', 'failed'] as const;

/**
 * A status we do not know is no answer we can act on: it is reported as ambiguous, so the refund
 * is looked up again later, never taken as a failure (that would pay a second time on retry).
 */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw fail('ambiguous', 'BAD_RESPONSE', `${what}: unknown status ${JSON.stringify(value)}`);
}

function toRefund(body: Json): WalletRefund {
  if (typeof body.refund_id !== 'string' || !body.refund_id || !Number.isSafeInteger(Number(body.amount_minor))) {
    throw fail('ambiguous', 'BAD_RESPONSE', 'a refund answer without its refund_id or amount');
  }
  const status = oneOf(body.status, REFUND_STATUSES, 'refund answer');
  return {
    refundId: body.refund_id,
    idempotencyKey: body.idempotency_key,
    transactionRef: body.transaction_ref,
    amountMinor: Number(body.amount_minor),
    currency: body.currency,
    status,
    splits: toSources(body.splits),
    expectedArrivalAt: dateOrNull(body.expected_arrival_at),
    // The machine's event needs a reason of at most 200 characters: a failure always has one.
    failureReason: status === 'failed' ? String(body.failure_reason || 'unspecified').slice(0, 200) : null,
    settledAt: dateOrNull(body.settled_at),
    createdAt: new Date(body.created_at),
  };
}
