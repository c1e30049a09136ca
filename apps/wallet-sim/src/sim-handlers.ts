import { normaliseTransactionRef } from './contract-shared';
import type { Handler, SimContext } from './context';
import { inTransaction } from './database';
import { SimHttpError } from './http';
import type { FundingSource } from './refund-splits';
import { failRefund, settleRefund } from './settlement';
import {
  findAccount,
  findRefundByKey,
  findTransaction,
  insertPendingTransaction,
  insertTransaction,
  listCallbacks,
  listNotifications,
  listRefunds,
  markTransactionCaptured,
  refundedMinor,
  setPendingTransactionStatus,
  type TransactionRecord,
} from './store';
import { asBody, currency, invalid, oneOf, optionalText, positiveAmount, text } from './validation';
import { callbackJson, notificationJson, pendingTransactionJson, refundJson, transactionJson } from './wire';

/** The /sim control routes: seeding, forcing outcomes and looking inside. Not part of the wallet's contract. */
export function simHandlers(ctx: SimContext) {
  const { db, scheduler, now } = ctx;

  const getConfig: Handler = async () => ({ status: 200, body: { callback_url: ctx.callbackUrl.get() } });

  const setConfig: Handler = async ({ body: raw }) => {
    const body = asBody(raw);
    const url = body.callback_url === null ? null : text(body, 'callback_url', { max: 2000 });
    if (url !== null && !/^https?:\/\/[^/]+/.test(url)) throw invalid('callback_url must be an http(s) URL.');
    await ctx.callbackUrl.set(url);
    // Callbacks queued while there was nowhere to send them go out now.
    scheduler.wake(now());
    return { status: 200, body: { callback_url: url } };
  };

  const seedTransaction: Handler = async ({ body: raw }) => {
    const body = asBody(raw);
    const ref = normaliseTransactionRef(text(body, 'ref', { max: 100 }));
    const amountMinor = positiveAmount(body, 'amount_minor');
    const record: TransactionRecord = {
      ref,
      amount_minor: amountMinor,
      currency: currency(body),
      merchant_id: optionalText(body, 'merchant_id'),
      payer_id: text(body, 'payer_id'),
      status: oneOf(body, 'status', ['pending', 'captured', 'failed', 'reversed'] as const, 'captured'),
      funding_sources: fundingSources(body.funding_sources, amountMinor),
      created_at: body.created_at === undefined ? now() : date(body.created_at, 'created_at'),
    };
    if (!(await insertTransaction(db, record))) throw new SimHttpError(409, 'TRANSACTION_EXISTS', `Transaction ${ref} exists already.`);
    return { status: 201, body: transactionJson(record, 0) };
  };

  const forceRefund =
    (outcome: 'settle' | 'fail'): Handler =>
    async ({ params, body: raw }) => {
      const body = asBody(raw);
      const failureReason = outcome === 'fail' ? (optionalText(body, 'failure_reason') ?? 'bank_rejected') : null;
      const refund = await inTransaction(db, async (tx) => {
        const found = await findRefundByKey(tx, params.idempotency_key!, { lock: true });
        if (!found) throw new SimHttpError(404, 'REFUND_NOT_FOUND', `No refund under idempotency key ${params.idempotency_key}.`);
        if (found.status !== 'processing') throw new SimHttpError(409, 'REFUND_NOT_PROCESSING', `The refund is ${found.status} already.`);
        return failureReason === null ? settleRefund(tx, found, now()) : failRefund(tx, found, failureReason, now());
      });
      scheduler.wake(now());
      return { status: 200, body: refundJson(refund) };
    };

  const callbacks: Handler = async () => ({ status: 200, body: { data: (await listCallbacks(db)).map(callbackJson) } });

  const notifications: Handler = async () => ({ status: 200, body: { data: (await listNotifications(db)).map(notificationJson) } });

  const ledger: Handler = async () => {
    const refunds = await listRefunds(db, { from: null, to: null, after: null, limit: 10_000 });
    return { status: 200, body: { data: refunds.map((refund) => ({ ...refundJson(refund), mode: refund.mode })) } };
  };

  const transaction: Handler = async ({ params }) => {
    const ref = normaliseTransactionRef(params.ref!);
    const found = await findTransaction(db, ref);
    if (!found) throw new SimHttpError(404, 'TRANSACTION_NOT_FOUND', `No transaction ${ref}.`);
    return { status: 200, body: transactionJson(found, await refundedMinor(db, ref)) };
  };

  const account: Handler = async ({ params }) => {
    const found = await findAccount(db, params.account_id!);
    if (!found) throw new SimHttpError(404, 'ACCOUNT_NOT_FOUND', `No action was ever carried out on account ${params.account_id}.`);
    return { status: 200, body: found };
  };

  const seedPendingTransaction: Handler = async ({ params, body: raw }) => {
    const body = asBody(raw);
    const record = {
      ref: normaliseTransactionRef(text(body, 'ref', { max: 100 })),
      account_id: params.account_id!,
      amount_minor: positiveAmount(body, 'amount_minor'),
      currency: currency(body),
      status: oneOf(body, 'status', ['pending', 'settled', 'failed'] as const, 'pending'),
      created_at: body.created_at === undefined ? now() : date(body.created_at, 'created_at'),
    };
    if (!(await insertPendingTransaction(db, record))) throw new SimHttpError(409, 'TRANSACTION_EXISTS', `Pending transaction ${record.ref} exists already.`);
    return { status: 201, body: pendingTransactionJson(record) };
  };

  /** A pending item settles (and a pending wallet transaction of that reference becomes captured). */
  const settleTransaction: Handler = async ({ params }) => {
    const ref = normaliseTransactionRef(params.ref!);
    const settled = await inTransaction(db, async (tx) => {
      const pending = await setPendingTransactionStatus(tx, ref, 'settled');
      await markTransactionCaptured(tx, ref);
      const wallet = await findTransaction(tx, ref);
      return pending ? pendingTransactionJson(pending) : wallet ? transactionJson(wallet, await refundedMinor(tx, ref)) : null;
    });
    if (!settled) throw new SimHttpError(404, 'TRANSACTION_NOT_FOUND', `No pending transaction ${ref}.`);
    return { status: 200, body: settled };
  };

  return { getConfig, setConfig, seedTransaction, forceRefund, callbacks, notifications, ledger, transaction, account, seedPendingTransaction, settleTransaction };
}

function fundingSources(raw: unknown, amountMinor: number): FundingSource[] {
  if (raw === undefined || raw === null) return [{ type: 'balance', account_ref: 'balance', amount_minor: amountMinor }];
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('funding_sources must be a non-empty array.');
  const sources = raw.map((item) => {
    const source = asBody(item);
    return {
      type: oneOf(source, 'type', ['balance', 'bank_card', 'credit'] as const),
      account_ref: text(source, 'account_ref', { max: 100 }),
      amount_minor: positiveAmount(source, 'amount_minor'),
    };
  });
  if (sources.reduce((sum, source) => sum + source.amount_minor, 0) !== amountMinor) throw invalid('funding_sources must add up to amount_minor.');
  return sources;
}

function date(raw: unknown, field: string): Date {
  const parsed = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(parsed.getTime())) throw invalid(`${field} must be an ISO 8601 time.`);
  return parsed;
}
