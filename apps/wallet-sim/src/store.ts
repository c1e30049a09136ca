import type { Db, Tx } from './database';
import type { RefundMode } from './failure-modes';
import type { FundingSource, RefundSplit } from './refund-splits';

/** Rows of the simulator's ledger, in the shape the handlers use (amounts as numbers). */
export interface TransactionRecord {
  ref: string;
  amount_minor: number;
  currency: string;
  merchant_id: string | null;
  payer_id: string;
  status: 'pending' | 'captured' | 'failed' | 'reversed';
  funding_sources: FundingSource[];
  created_at: Date;
}

export interface RefundRecord {
  refund_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  transaction_ref: string;
  amount_minor: number;
  currency: string;
  reason: string;
  mode: RefundMode;
  status: 'processing' | 'succeeded' | 'failed';
  splits: RefundSplit[];
  expected_arrival_at: Date | null;
  settle_due_at: Date | null;
  failure_reason: string | null;
  settled_at: Date | null;
  created_at: Date;
}

export type AccountActionKind = 'freeze' | 'unfreeze' | 'credential_reset' | 'balance_correction';

export interface AccountActionRecord {
  action_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  account_id: string;
  kind: AccountActionKind;
  reason: string;
  amount_minor: number | null;
  currency: string | null;
  direction: 'credit' | 'debit' | null;
  status: 'processing' | 'completed';
  complete_due_at: Date | null;
  ledger_entry_ref: string | null;
  completed_at: Date | null;
  created_at: Date;
}

export interface PendingTransactionRecord {
  ref: string;
  account_id: string;
  amount_minor: number;
  currency: string;
  status: 'pending' | 'settled' | 'failed';
  created_at: Date;
}

export interface NotificationRecord {
  notification_id: string;
  idempotency_key: string;
  request_fingerprint: string;
  channel: 'push' | 'sms';
  user_id: string;
  phone: string | null;
  locale: string;
  title: string;
  body: string;
  created_at: Date;
}

export interface CallbackRecord {
  event_id: string;
  type: string;
  body: string;
  copies: number;
  delivered_count: number;
  attempts: number;
  status: 'pending' | 'delivered' | 'given_up';
  next_attempt_at: Date | null;
  created_at: Date;
}

export interface CallbackAttemptRecord {
  event_id: string;
  attempt: number;
  url: string;
  status_code: number | null;
  error: string | null;
  attempted_at: Date;
}

type Queryable = Db | Tx;
/** A row as pg hands it over, before it is read as one of the records above. */
type Row = Record<string, unknown>;

/** bigint columns arrive as strings; amounts stay far below 2^53. */
function amounts<T>(row: Record<string, unknown>, ...fields: string[]): T {
  for (const field of fields) if (row[field] !== null && row[field] !== undefined) row[field] = Number(row[field]);
  return row as T;
}

// ---- settings ----

export async function getSetting(db: Queryable, key: string): Promise<string | null> {
  const result = await db.query<{ value: string }>('select value from sim_settings where key = $1', [key]);
  return result.rows[0]?.value ?? null;
}

export async function putSetting(db: Queryable, key: string, value: string): Promise<void> {
  await db.query<Row>('insert into sim_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value', [key, value]);
}

// ---- transactions ----

export async function findTransaction(db: Queryable, ref: string, options: { lock?: boolean } = {}): Promise<TransactionRecord | null> {
  const result = await db.query<Row>(`select * from transactions where ref = $1${options.lock ? ' for update' : ''}`, [ref]);
  return result.rows[0] ? amounts<TransactionRecord>(result.rows[0], 'amount_minor') : null;
}

/** false when the reference exists already. */
export async function insertTransaction(db: Queryable, record: TransactionRecord): Promise<boolean> {
  const result = await db.query<Row>(
    `insert into transactions (ref, amount_minor, currency, merchant_id, payer_id, status, funding_sources, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (ref) do nothing`,
    [record.ref, record.amount_minor, record.currency, record.merchant_id, record.payer_id, record.status, JSON.stringify(record.funding_sources), record.created_at],
  );
  return result.rowCount === 1;
}

export async function markTransactionCaptured(db: Queryable, ref: string): Promise<void> {
  await db.query<Row>(`update transactions set status = 'captured' where ref = $1 and status = 'pending'`, [ref]);
}

/** Splits of the transaction's refunds that hold money: processing (on its way) or succeeded. */
export async function heldSplits(db: Queryable, ref: string): Promise<RefundSplit[]> {
  const result = await db.query<{ splits: RefundSplit[] }>(`select splits from refunds where transaction_ref = $1 and status in ('processing', 'succeeded')`, [ref]);
  return result.rows.flatMap((row) => row.splits);
}

export async function refundedMinor(db: Queryable, ref: string): Promise<number> {
  const result = await db.query<{ total: string }>(
    `select coalesce(sum(amount_minor), 0) as total from refunds where transaction_ref = $1 and status in ('processing', 'succeeded')`,
    [ref],
  );
  return Number(result.rows[0]!.total);
}

// ---- refunds ----

const REFUND_AMOUNTS = ['amount_minor'];

export async function findRefundByKey(db: Queryable, key: string, options: { lock?: boolean } = {}): Promise<RefundRecord | null> {
  const result = await db.query<Row>(`select * from refunds where idempotency_key = $1${options.lock ? ' for update' : ''}`, [key]);
  return result.rows[0] ? amounts<RefundRecord>(result.rows[0], ...REFUND_AMOUNTS) : null;
}

export async function insertRefund(db: Queryable, record: RefundRecord): Promise<void> {
  await db.query<Row>(
    `insert into refunds (refund_id, idempotency_key, request_fingerprint, transaction_ref, amount_minor, currency, reason, mode, status, splits,
                          expected_arrival_at, settle_due_at, failure_reason, settled_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      record.refund_id,
      record.idempotency_key,
      record.request_fingerprint,
      record.transaction_ref,
      record.amount_minor,
      record.currency,
      record.reason,
      record.mode,
      record.status,
      JSON.stringify(record.splits),
      record.expected_arrival_at,
      record.settle_due_at,
      record.failure_reason,
      record.settled_at,
      record.created_at,
    ],
  );
}

export async function finishRefund(
  db: Queryable,
  refundId: string,
  outcome: { status: 'succeeded'; settledAt: Date } | { status: 'failed'; failureReason: string },
): Promise<RefundRecord> {
  const result =
    outcome.status === 'succeeded'
      ? await db.query<Row>(`update refunds set status = 'succeeded', settled_at = $2, settle_due_at = null where refund_id = $1 returning *`, [refundId, outcome.settledAt])
      : await db.query<Row>(`update refunds set status = 'failed', failure_reason = $2, settle_due_at = null where refund_id = $1 returning *`, [refundId, outcome.failureReason]);
  return amounts<RefundRecord>(result.rows[0], ...REFUND_AMOUNTS);
}

/** Processing refunds whose settlement time has come, locked for this pass. */
export async function dueRefunds(tx: Tx, now: Date): Promise<RefundRecord[]> {
  const result = await tx.query<Row>(`select * from refunds where status = 'processing' and settle_due_at <= $1 order by settle_due_at limit 100 for update skip locked`, [now]);
  return result.rows.map((row) => amounts<RefundRecord>(row, ...REFUND_AMOUNTS));
}

/** Refunds created in [from, to) after the cursor position, oldest first. */
export async function listRefunds(
  db: Queryable,
  range: { from: Date | null; to: Date | null; after: { createdAt: Date; refundId: string } | null; limit: number },
): Promise<RefundRecord[]> {
  const result = await db.query<Row>(
    `select * from refunds
      where ($1::timestamptz is null or created_at >= $1)
        and ($2::timestamptz is null or created_at < $2)
        and ($3::timestamptz is null or (created_at, refund_id) > ($3, $4))
      order by created_at, refund_id limit $5`,
    [range.from, range.to, range.after?.createdAt ?? null, range.after?.refundId ?? null, range.limit],
  );
  return result.rows.map((row) => amounts<RefundRecord>(row, ...REFUND_AMOUNTS));
}

// ---- account actions ----

export async function findAccountActionByKey(db: Queryable, key: string): Promise<AccountActionRecord | null> {
  const result = await db.query<Row>('select * from account_actions where idempotency_key = $1', [key]);
  return result.rows[0] ? amounts<AccountActionRecord>(result.rows[0], 'amount_minor') : null;
}

export async function insertAccountAction(db: Queryable, record: AccountActionRecord): Promise<void> {
  await db.query<Row>(
    `insert into account_actions (action_id, idempotency_key, request_fingerprint, account_id, kind, reason, amount_minor, currency, direction,
                                  status, complete_due_at, ledger_entry_ref, completed_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      record.action_id,
      record.idempotency_key,
      record.request_fingerprint,
      record.account_id,
      record.kind,
      record.reason,
      record.amount_minor,
      record.currency,
      record.direction,
      record.status,
      record.complete_due_at,
      record.ledger_entry_ref,
      record.completed_at,
      record.created_at,
    ],
  );
}

export async function dueAccountActions(tx: Tx, now: Date): Promise<AccountActionRecord[]> {
  const result = await tx.query<Row>(
    `select * from account_actions where status = 'processing' and complete_due_at <= $1 order by complete_due_at limit 100 for update skip locked`,
    [now],
  );
  return result.rows.map((row) => amounts<AccountActionRecord>(row, 'amount_minor'));
}

/** Carries the action out on the account (state, or a ledger entry for a correction) and marks it completed. */
export async function completeAccountAction(tx: Tx, action: AccountActionRecord, now: Date, ledgerEntryRef: string | null): Promise<AccountActionRecord> {
  await tx.query<Row>(`insert into accounts (account_id, updated_at) values ($1, $2) on conflict (account_id) do nothing`, [action.account_id, now]);
  if (action.kind === 'freeze' || action.kind === 'unfreeze') {
    await tx.query<Row>('update accounts set frozen = $2, updated_at = $3 where account_id = $1', [action.account_id, action.kind === 'freeze', now]);
  } else if (action.kind === 'credential_reset') {
    // A credential reset also ends every session of the account.
    await tx.query<Row>('update accounts set credential_resets = credential_resets + 1, sessions_revoked_at = $2, updated_at = $2 where account_id = $1', [action.account_id, now]);
  } else if (ledgerEntryRef) {
    const signed = action.direction === 'debit' ? -action.amount_minor! : action.amount_minor!;
    await tx.query<Row>('insert into ledger_entries (ledger_entry_ref, account_id, action_id, amount_minor, currency, created_at) values ($1, $2, $3, $4, $5, $6)', [
      ledgerEntryRef,
      action.account_id,
      action.action_id,
      signed,
      action.currency,
      now,
    ]);
  }
  const result = await tx.query<Row>(
    `update account_actions set status = 'completed', completed_at = $2, complete_due_at = null, ledger_entry_ref = $3 where action_id = $1 returning *`,
    [action.action_id, now, ledgerEntryRef],
  );
  return amounts<AccountActionRecord>(result.rows[0], 'amount_minor');
}

export async function findAccount(db: Queryable, accountId: string) {
  const account = await db.query<Row>('select account_id, frozen, credential_resets, sessions_revoked_at from accounts where account_id = $1', [accountId]);
  const ledger = await db.query<Row>('select ledger_entry_ref, amount_minor, currency, created_at from ledger_entries where account_id = $1 order by created_at', [accountId]);
  return account.rows[0] ? { ...account.rows[0], ledger_entries: ledger.rows.map((row) => amounts<Record<string, unknown>>(row, 'amount_minor')) } : null;
}

// ---- pending transactions ----

export async function listPendingTransactions(db: Queryable, accountId: string): Promise<PendingTransactionRecord[]> {
  const result = await db.query<Row>('select * from pending_transactions where account_id = $1 order by created_at, ref', [accountId]);
  return result.rows.map((row) => amounts<PendingTransactionRecord>(row, 'amount_minor'));
}

export async function insertPendingTransaction(db: Queryable, record: PendingTransactionRecord): Promise<boolean> {
  const result = await db.query<Row>(
    `insert into pending_transactions (ref, account_id, amount_minor, currency, status, created_at) values ($1, $2, $3, $4, $5, $6) on conflict (ref) do nothing`,
    [record.ref, record.account_id, record.amount_minor, record.currency, record.status, record.created_at],
  );
  return result.rowCount === 1;
}

export async function setPendingTransactionStatus(db: Queryable, ref: string, status: 'settled' | 'failed'): Promise<PendingTransactionRecord | null> {
  const result = await db.query<Row>(`update pending_transactions set status = $2 where ref = $1 returning *`, [ref, status]);
  return result.rows[0] ? amounts<PendingTransactionRecord>(result.rows[0], 'amount_minor') : null;
}

// ---- notifications ----

export async function findNotificationByKey(db: Queryable, key: string): Promise<NotificationRecord | null> {
  const result = await db.query<NotificationRecord>('select * from notifications where idempotency_key = $1', [key]);
  return result.rows[0] ?? null;
}

export async function insertNotification(db: Queryable, record: NotificationRecord): Promise<void> {
  await db.query<Row>(
    `insert into notifications (notification_id, idempotency_key, request_fingerprint, channel, user_id, phone, locale, title, body, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      record.notification_id,
      record.idempotency_key,
      record.request_fingerprint,
      record.channel,
      record.user_id,
      record.phone,
      record.locale,
      record.title,
      record.body,
      record.created_at,
    ],
  );
}

export async function listNotifications(db: Queryable): Promise<NotificationRecord[]> {
  return (await db.query<NotificationRecord>('select * from notifications order by created_at, notification_id')).rows;
}

// ---- callbacks ----

/** Queues a callback in the same transaction as the change it reports. `copies` 0 records nothing (LOSTCB-). */
export async function enqueueCallback(tx: Tx, event: { id: string; type: string; body: string; copies: number; now: Date }): Promise<void> {
  if (event.copies === 0) return;
  await tx.query<Row>(`insert into callbacks (event_id, type, body, copies, status, next_attempt_at, created_at) values ($1, $2, $3, $4, 'pending', $5, $5)`, [
    event.id,
    event.type,
    event.body,
    event.copies,
    event.now,
  ]);
}

export async function dueCallbacks(db: Queryable, now: Date): Promise<CallbackRecord[]> {
  const result = await db.query<CallbackRecord>(`select * from callbacks where status = 'pending' and next_attempt_at <= $1 order by next_attempt_at, event_id limit 50`, [now]);
  return result.rows;
}

export async function recordCallbackAttempt(
  db: Queryable,
  attempt: CallbackAttemptRecord,
  next: { delivered: boolean; status: CallbackRecord['status']; nextAttemptAt: Date | null },
): Promise<void> {
  await db.query<Row>(`insert into callback_attempts (event_id, attempt, url, status_code, error, attempted_at) values ($1, $2, $3, $4, $5, $6)`, [
    attempt.event_id,
    attempt.attempt,
    attempt.url,
    attempt.status_code,
    attempt.error,
    attempt.attempted_at,
  ]);
  await db.query<Row>(`update callbacks set attempts = attempts + 1, delivered_count = delivered_count + $2, status = $3, next_attempt_at = $4 where event_id = $1`, [
    attempt.event_id,
    next.delivered ? 1 : 0,
    next.status,
    next.nextAttemptAt,
  ]);
}

export async function listCallbacks(db: Queryable): Promise<Array<CallbackRecord & { attempts_made: CallbackAttemptRecord[] }>> {
  const callbacks = (await db.query<CallbackRecord>('select * from callbacks order by created_at, event_id')).rows;
  const attempts = (await db.query<CallbackAttemptRecord>('select * from callback_attempts order by id')).rows;
  return callbacks.map((callback) => ({ ...callback, attempts_made: attempts.filter((attempt) => attempt.event_id === callback.event_id) }));
}

// ---- the scheduler's next wake-up ----

/** The earliest time at which a settlement, an account action or (with a callback URL) a callback is due. */
export async function nextDueAt(db: Queryable, includeCallbacks: boolean): Promise<Date | null> {
  const result = await db.query<{ at: Date | null }>(
    `select least(
       (select min(settle_due_at) from refunds where status = 'processing'),
       (select min(complete_due_at) from account_actions where status = 'processing'),
       case when $1 then (select min(next_attempt_at) from callbacks where status = 'pending') end
     ) as at`,
    [includeCallbacks],
  );
  return result.rows[0]?.at ?? null;
}
