import type { Tx } from './database';
import { accountCallbackCopies, callbackCopiesFor } from './failure-modes';
import { newId } from './ids';
import { completeAccountAction, enqueueCallback, finishRefund, type AccountActionRecord, type RefundRecord } from './store';

/**
 * The money and account changes the wallet carries out asynchronously, each committed together
 * with the callback that reports it (so a crash never loses or invents a callback).
 */
export async function settleRefund(tx: Tx, refund: RefundRecord, now: Date): Promise<RefundRecord> {
  const settled = await finishRefund(tx, refund.refund_id, { status: 'succeeded', settledAt: now });
  await enqueueEvent(tx, 'refund.succeeded', callbackCopiesFor(refund.mode), now, {
    refund_id: settled.refund_id,
    idempotency_key: settled.idempotency_key,
    transaction_ref: settled.transaction_ref,
    amount_minor: settled.amount_minor,
    currency: settled.currency,
    settled_at: now.toISOString(),
  });
  return settled;
}

/** A refund the bank gave back after accepting it: the money returns to the transaction. */
export async function failRefund(tx: Tx, refund: RefundRecord, failureReason: string, now: Date): Promise<RefundRecord> {
  const failed = await finishRefund(tx, refund.refund_id, { status: 'failed', failureReason });
  await enqueueEvent(tx, 'refund.failed', callbackCopiesFor(refund.mode), now, {
    refund_id: failed.refund_id,
    idempotency_key: failed.idempotency_key,
    transaction_ref: failed.transaction_ref,
    amount_minor: failed.amount_minor,
    currency: failed.currency,
    failure_reason: failureReason,
  });
  return failed;
}

const ACCOUNT_EVENT_TYPES = {
  freeze: 'account.frozen',
  unfreeze: 'account.unfrozen',
  credential_reset: 'account.credentials_reset',
  balance_correction: 'balance.correction_posted',
} as const;

/** Every callback type the simulator sends (the contract's `webhooks`). */
export const CALLBACK_EVENT_TYPES = ['refund.succeeded', 'refund.failed', ...Object.values(ACCOUNT_EVENT_TYPES)] as const;

export async function completeAction(tx: Tx, action: AccountActionRecord, now: Date): Promise<AccountActionRecord> {
  const ledgerEntryRef = action.kind === 'balance_correction' ? newId('le') : null;
  const completed = await completeAccountAction(tx, action, now, ledgerEntryRef);
  const base = { action_id: completed.action_id, idempotency_key: completed.idempotency_key, account_id: completed.account_id };
  const data =
    completed.kind === 'balance_correction'
      ? { ...base, amount_minor: completed.amount_minor, currency: completed.currency, direction: completed.direction, ledger_entry_ref: ledgerEntryRef }
      : base;
  await enqueueEvent(tx, ACCOUNT_EVENT_TYPES[completed.kind], accountCallbackCopies(completed.account_id), now, data);
  return completed;
}

async function enqueueEvent(tx: Tx, type: (typeof CALLBACK_EVENT_TYPES)[number], copies: number, now: Date, data: Record<string, unknown>): Promise<void> {
  const id = newId('wev');
  // The body is stored as sent, so every retry and duplicate carries the same bytes and signature input.
  const body = JSON.stringify({ id, type, created_at: now.toISOString(), data });
  await enqueueCallback(tx, { id, type, body, copies, now });
}
