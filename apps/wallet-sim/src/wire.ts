import type { AccountActionRecord, CallbackRecord, CallbackAttemptRecord, NotificationRecord, PendingTransactionRecord, RefundRecord, TransactionRecord } from './store';

/** The contract's JSON representations (docs/wallet-contract.openapi.yaml), built from ledger rows. */
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function transactionJson(record: TransactionRecord, refundedMinor: number) {
  return {
    ref: record.ref,
    amount_minor: record.amount_minor,
    currency: record.currency,
    merchant_id: record.merchant_id,
    payer_id: record.payer_id,
    status: record.status,
    funding_sources: record.funding_sources.map(({ type, account_ref, amount_minor }) => ({ type, account_ref, amount_minor })),
    refunded_minor: refundedMinor,
    created_at: iso(record.created_at),
  };
}

export function refundJson(record: RefundRecord) {
  return {
    refund_id: record.refund_id,
    idempotency_key: record.idempotency_key,
    transaction_ref: record.transaction_ref,
    amount_minor: record.amount_minor,
    currency: record.currency,
    status: record.status,
    splits: record.splits.map(({ type, account_ref, amount_minor }) => ({ type, account_ref, amount_minor })),
    expected_arrival_at: record.status === 'processing' ? iso(record.expected_arrival_at) : null,
    failure_reason: record.failure_reason,
    settled_at: iso(record.settled_at),
    created_at: iso(record.created_at),
  };
}

export function accountActionJson(record: AccountActionRecord) {
  return {
    action_id: record.action_id,
    idempotency_key: record.idempotency_key,
    account_id: record.account_id,
    kind: record.kind,
    status: record.status,
  };
}

export function pendingTransactionJson(record: PendingTransactionRecord) {
  return { ref: record.ref, amount_minor: record.amount_minor, currency: record.currency, status: record.status, created_at: iso(record.created_at) };
}

export function notificationJson(record: NotificationRecord) {
  return {
    notification_id: record.notification_id,
    idempotency_key: record.idempotency_key,
    channel: record.channel,
    user_id: record.user_id,
    phone: record.phone,
    locale: record.locale,
    title: record.title,
    body: record.body,
    created_at: iso(record.created_at),
  };
}

/** GET /sim/callbacks: each event with what every delivery attempt got back. */
export function callbackJson(record: CallbackRecord & { attempts_made: CallbackAttemptRecord[] }) {
  return {
    id: record.event_id,
    type: record.type,
    event: JSON.parse(record.body) as unknown,
    copies: record.copies,
    delivered_count: record.delivered_count,
    status: record.status,
    next_attempt_at: iso(record.next_attempt_at),
    attempts: record.attempts_made.map((attempt) => ({
      attempt: attempt.attempt,
      url: attempt.url,
      status_code: attempt.status_code,
      error: attempt.error,
      attempted_at: iso(attempt.attempted_at),
    })),
  };
}
