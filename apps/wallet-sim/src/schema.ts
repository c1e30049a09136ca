/**
 * The simulator's ledger, created at boot (CREATE … IF NOT EXISTS). Times are written by the
 * simulator (millisecond precision) so that list cursors made of them compare exactly.
 */
export const SCHEMA_SQL = `
create table if not exists sim_settings (
  key text primary key,
  value text not null
);
create table if not exists transactions (
  ref text primary key,
  amount_minor bigint not null,
  currency char(3) not null,
  merchant_id text,
  payer_id text not null,
  status text not null,
  funding_sources jsonb not null,
  created_at timestamptz not null
);
create table if not exists refunds (
  refund_id text primary key,
  idempotency_key text not null unique,
  request_fingerprint text not null,
  transaction_ref text not null references transactions (ref),
  amount_minor bigint not null,
  currency char(3) not null,
  reason text not null,
  mode text not null,
  status text not null,
  splits jsonb not null,
  expected_arrival_at timestamptz,
  settle_due_at timestamptz,
  failure_reason text,
  settled_at timestamptz,
  created_at timestamptz not null
);
create index if not exists refunds_by_creation on refunds (created_at, refund_id);
create index if not exists refunds_by_transaction on refunds (transaction_ref);
create index if not exists refunds_due on refunds (settle_due_at) where status = 'processing';
create table if not exists account_actions (
  action_id text primary key,
  idempotency_key text not null unique,
  request_fingerprint text not null,
  account_id text not null,
  kind text not null,
  reason text not null,
  amount_minor bigint,
  currency char(3),
  direction text,
  status text not null,
  complete_due_at timestamptz,
  ledger_entry_ref text,
  completed_at timestamptz,
  created_at timestamptz not null
);
create index if not exists account_actions_due on account_actions (complete_due_at) where status = 'processing';
create table if not exists accounts (
  account_id text primary key,
  frozen boolean not null default false,
  credential_resets integer not null default 0,
  sessions_revoked_at timestamptz,
  updated_at timestamptz not null
);
create table if not exists ledger_entries (
  ledger_entry_ref text primary key,
  account_id text not null,
  action_id text not null unique,
  amount_minor bigint not null,
  currency char(3) not null,
  created_at timestamptz not null
);
create table if not exists pending_transactions (
  ref text primary key,
  account_id text not null,
  amount_minor bigint not null,
  currency char(3) not null,
  status text not null,
  created_at timestamptz not null
);
create index if not exists pending_transactions_by_account on pending_transactions (account_id, created_at);
create table if not exists notifications (
  notification_id text primary key,
  idempotency_key text not null unique,
  request_fingerprint text not null,
  channel text not null,
  user_id text not null,
  phone text,
  locale text not null,
  title text not null,
  body text not null,
  created_at timestamptz not null
);
create table if not exists callbacks (
  event_id text primary key,
  type text not null,
  body text not null,
  copies integer not null,
  delivered_count integer not null default 0,
  attempts integer not null default 0,
  status text not null,
  next_attempt_at timestamptz,
  created_at timestamptz not null
);
create index if not exists callbacks_due on callbacks (next_attempt_at) where status = 'pending';
create table if not exists callback_attempts (
  id bigserial primary key,
  event_id text not null references callbacks (event_id),
  attempt integer not null,
  url text not null,
  status_code integer,
  error text,
  attempted_at timestamptz not null
);
`;
