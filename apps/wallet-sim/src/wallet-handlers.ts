import { normaliseTransactionRef } from './contract-shared';
import { log } from './log';
import type { Handler, SimContext } from './context';
import { inTransaction, isUniqueViolation, type Tx } from './database';
import { DECLINE_REASON, SLOW_ARRIVAL_MS, mayAutoCreate, refundModeFor } from './failure-modes';
import { SimHttpError } from './http';
import { fingerprint, newId } from './ids';
import { remainingPerSource, splitRefund } from './refund-splits';
import {
  findAccountActionByKey,
  findNotificationByKey,
  findRefundByKey,
  findTransaction,
  heldSplits,
  insertAccountAction,
  insertNotification,
  insertRefund,
  insertTransaction,
  listPendingTransactions,
  listRefunds,
  refundedMinor,
  type AccountActionKind,
  type AccountActionRecord,
  type RefundRecord,
  type TransactionRecord,
} from './store';
import { asBody, currency, invalid, oneOf, optionalText, positiveAmount, text } from './validation';
import { accountActionJson, pendingTransactionJson, refundJson, transactionJson } from './wire';

/** The wallet's public API (the contract's /v1 endpoints); the router has checked the signature. */
export function walletHandlers(ctx: SimContext) {
  const { db, config, scheduler, now } = ctx;

  /** With SIM_AUTO_TRANSACTIONS, an unknown reference becomes a captured CNY balance payment on first look-up. */
  async function findOrAutoCreate(tx: Tx, ref: string, lock: boolean): Promise<TransactionRecord | null> {
    const found = await findTransaction(tx, ref, { lock });
    if (found || !config.autoTransactions || !mayAutoCreate(ref)) return found;
    await insertTransaction(tx, autoTransaction(ref, now()));
    return findTransaction(tx, ref, { lock });
  }

  const getTransaction: Handler = async ({ params }) => {
    const ref = normaliseTransactionRef(params.ref!);
    const answer = await inTransaction(db, async (tx) => {
      const transaction = await findOrAutoCreate(tx, ref, false);
      return transaction ? transactionJson(transaction, await refundedMinor(tx, ref)) : null;
    });
    if (!answer) throw new SimHttpError(404, 'TRANSACTION_NOT_FOUND', `No transaction ${ref}.`);
    return { status: 200, body: answer };
  };

  const requestRefund: Handler = async ({ body: raw }) => {
    const body = asBody(raw);
    const key = text(body, 'idempotency_key');
    const ref = normaliseTransactionRef(text(body, 'transaction_ref', { max: 100 }));
    const amountMinor = positiveAmount(body, 'amount_minor');
    const refundCurrency = currency(body);
    const reason = text(body, 'reason', { max: 500 });
    const requestFingerprint = fingerprint({ transaction_ref: ref, amount_minor: amountMinor, currency: refundCurrency, reason });

    const sameRequest = (existing: RefundRecord) => {
      if (existing.request_fingerprint !== requestFingerprint) throw keyReused(key);
      return { refund: existing, created: false };
    };
    const create = () =>
      inTransaction(db, async (tx) => {
        const existing = await findRefundByKey(tx, key);
        if (existing) return sameRequest(existing);
        // The transaction's row lock serialises refunds of one transaction: no two can overdraw it.
        const transaction = await findOrAutoCreate(tx, ref, true);
        if (!transaction) throw new SimHttpError(404, 'TRANSACTION_NOT_FOUND', `No transaction ${ref}.`);
        const raced = await findRefundByKey(tx, key);
        if (raced) return sameRequest(raced);
        if (refundCurrency !== transaction.currency) {
          throw new SimHttpError(422, 'CURRENCY_MISMATCH', `Transaction ${ref} is in ${transaction.currency}, the refund in ${refundCurrency}.`);
        }
        if (transaction.status !== 'captured') {
          throw new SimHttpError(422, 'TRANSACTION_NOT_REFUNDABLE', `Transaction ${ref} is ${transaction.status}; only captured transactions are refunded.`);
        }
        const remaining = remainingPerSource(transaction.funding_sources, await heldSplits(tx, ref));
        const splits = splitRefund(transaction.funding_sources, remaining, amountMinor);
        if (!splits) {
          const refundable = remaining.reduce((sum, left) => sum + Math.max(0, left), 0);
          throw new SimHttpError(422, 'REFUND_EXCEEDS_TRANSACTION', `${amountMinor} exceeds what is still refundable of ${ref} (${refundable}).`);
        }
        const refund = newRefund({ key, requestFingerprint, ref, amountMinor, currency: refundCurrency, reason, splits, at: now() });
        await insertRefund(tx, refund);
        return { refund, created: true };
      });

    let outcome: { refund: RefundRecord; created: boolean };
    try {
      outcome = await create();
    } catch (error) {
      // Two requests with one new key at once: the loser of the unique index answers like a replay.
      if (!isUniqueViolation(error)) throw error;
      outcome = await create();
    }
    if (outcome.refund.settle_due_at) scheduler.wake(outcome.refund.settle_due_at);
    const holdMs = outcome.created && outcome.refund.mode === 'timeout' ? config.timeoutHoldMs : undefined;
    return { status: 200, body: refundJson(outcome.refund), holdMs };
  };

  function newRefund(input: {
    key: string;
    requestFingerprint: string;
    ref: string;
    amountMinor: number;
    currency: string;
    reason: string;
    splits: RefundRecord['splits'];
    at: Date;
  }): RefundRecord {
    const mode = refundModeFor(input.ref);
    const base = {
      refund_id: newId('rf'),
      idempotency_key: input.key,
      request_fingerprint: input.requestFingerprint,
      transaction_ref: input.ref,
      amount_minor: input.amountMinor,
      currency: input.currency,
      reason: input.reason,
      mode,
      settled_at: null,
      created_at: input.at,
    };
    if (mode === 'decline') {
      // Declined at once: no money moves, so nothing is split and no callback follows.
      return { ...base, status: 'failed', splits: [], expected_arrival_at: null, settle_due_at: null, failure_reason: DECLINE_REASON };
    }
    if (mode === 'slow') {
      return {
        ...base,
        status: 'processing',
        splits: input.splits,
        expected_arrival_at: new Date(input.at.getTime() + SLOW_ARRIVAL_MS),
        settle_due_at: null,
        failure_reason: null,
      };
    }
    const settleAt = new Date(input.at.getTime() + config.settlementDelayMs);
    return { ...base, status: 'processing', splits: input.splits, expected_arrival_at: settleAt, settle_due_at: settleAt, failure_reason: null };
  }

  const getRefund: Handler = async ({ params }) => {
    const refund = await findRefundByKey(db, params.idempotency_key!);
    if (!refund) throw new SimHttpError(404, 'REFUND_NOT_FOUND', `No refund under idempotency key ${params.idempotency_key}.`);
    return { status: 200, body: refundJson(refund) };
  };

  const listRefundsInRange: Handler = async ({ query }) => {
    const from = optionalDate(query, 'created_from');
    const to = optionalDate(query, 'created_to');
    const limitRaw = query.get('limit');
    const limit = limitRaw === null ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid('limit must be an integer from 1 to 500.');
    const after = decodeCursor(query.get('cursor'));
    const page = await listRefunds(db, { from, to, after, limit: limit + 1 });
    const data = page.slice(0, limit);
    const last = data[data.length - 1];
    const nextCursor = page.length > limit && last ? encodeCursor(last) : null;
    return { status: 200, body: { data: data.map(refundJson), next_cursor: nextCursor } };
  };

  const accountAction =
    (kind: AccountActionKind): Handler =>
    async ({ params, body: raw }) => {
      const body = asBody(raw);
      const accountId = params.account_id!;
      const key = text(body, 'idempotency_key');
      const reason = text(body, 'reason', { max: 500 });
      const correction =
        kind === 'balance_correction'
          ? { amount_minor: positiveAmount(body, 'amount_minor'), currency: currency(body), direction: oneOf(body, 'direction', ['credit', 'debit'] as const) }
          : { amount_minor: null, currency: null, direction: null };
      const requestFingerprint = fingerprint({ account_id: accountId, kind, reason, ...correction });
      const at = now();
      const action: AccountActionRecord = {
        action_id: newId('act'),
        idempotency_key: key,
        request_fingerprint: requestFingerprint,
        account_id: accountId,
        kind,
        reason,
        ...correction,
        status: 'processing',
        complete_due_at: new Date(at.getTime() + config.accountActionDelayMs),
        ledger_entry_ref: null,
        completed_at: null,
        created_at: at,
      };
      const stored = await insertOnce(
        () => findAccountActionByKey(db, key),
        () => insertAccountAction(db, action),
        requestFingerprint,
        key,
      );
      if (stored === null) scheduler.wake(action.complete_due_at!);
      return { status: 202, body: accountActionJson(stored ?? action) };
    };

  const pendingTransactions: Handler = async ({ params }) => {
    const items = await listPendingTransactions(db, params.account_id!);
    return { status: 200, body: { data: items.map(pendingTransactionJson) } };
  };

  const sendNotification: Handler = async ({ body: raw }) => {
    const body = asBody(raw);
    const key = text(body, 'idempotency_key');
    const channel = oneOf(body, 'channel', ['push', 'sms'] as const);
    const phone = optionalText(body, 'phone', { max: 32 });
    if (channel === 'sms' && !phone) throw invalid('phone is required for an SMS.');
    const request = {
      channel,
      user_id: text(body, 'user_id'),
      phone,
      locale: text(body, 'locale', { max: 35 }),
      title: text(body, 'title', { max: 200 }),
      body: text(body, 'body', { max: 2000 }),
    };
    const requestFingerprint = fingerprint(request);
    const notification = { notification_id: newId('ntf'), idempotency_key: key, request_fingerprint: requestFingerprint, ...request, created_at: now() };
    const stored = await insertOnce(
      () => findNotificationByKey(db, key),
      () => insertNotification(db, notification),
      requestFingerprint,
      key,
    );
    // Stands for the push or SMS going out: once per key, however often the engine repeats the request.
    if (stored === null) log({ msg: 'notification sent', notification_id: notification.notification_id, channel, user_id: request.user_id, title: request.title });
    return { status: 202, body: { notification_id: (stored ?? notification).notification_id, status: 'accepted' } };
  };

  return { getTransaction, requestRefund, getRefund, listRefundsInRange, accountAction, pendingTransactions, sendNotification };
}

/**
 * Idempotent insert by key: returns the stored record when the key was used before with the same
 * request (409 with another), or null after inserting the new one.
 */
async function insertOnce<T extends { request_fingerprint: string }>(
  find: () => Promise<T | null>,
  insert: () => Promise<void>,
  requestFingerprint: string,
  key: string,
): Promise<T | null> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const existing = await find();
    if (existing) {
      if (existing.request_fingerprint !== requestFingerprint) throw keyReused(key);
      return existing;
    }
    try {
      await insert();
      return null;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw keyReused(key);
}

function keyReused(key: string): SimHttpError {
  return new SimHttpError(409, 'IDEMPOTENCY_KEY_REUSED', `Idempotency key ${key} was used before with a different request.`);
}

function autoTransaction(ref: string, at: Date): TransactionRecord {
  const amount = 100_000_000;
  return {
    ref,
    amount_minor: amount,
    currency: 'CNY',
    merchant_id: null,
    payer_id: 'AUTO-PAYER',
    status: 'captured',
    funding_sources: [{ type: 'balance', account_ref: 'balance', amount_minor: amount }],
    created_at: at,
  };
}

function optionalDate(query: URLSearchParams, name: string): Date | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw invalid(`${name} must be an ISO 8601 time.`);
  return date;
}

function encodeCursor(refund: RefundRecord): string {
  return Buffer.from(JSON.stringify([refund.created_at.toISOString(), refund.refund_id])).toString('base64url');
}

function decodeCursor(raw: string | null): { createdAt: Date; refundId: string } | null {
  if (raw === null || raw === '') return null;
  try {
    const [createdAt, refundId] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof refundId !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, refundId };
  } catch {
    throw invalid('cursor is not one this API returned.');
  }
}
