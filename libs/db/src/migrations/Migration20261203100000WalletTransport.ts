import { Migration } from '@mikro-orm/migrations';

/**
 * The wallet is reached over the network now: a refund row keeps our key, the wallet's answer
 * (its refund id, `processing` with an expected arrival) until a callback or a look-up settles it;
 * account actions get rows of their own so a callback finds its case; received callbacks are
 * recorded by event id, which makes them idempotent.
 */
export class Migration20261203100000WalletTransport extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table refunds drop constraint if exists refunds_status_check;`);
    this.addSql(`alter table refunds add constraint refunds_status_check check (status in ('requested', 'processing', 'succeeded', 'failed'));`);
    this.addSql(`
      alter table refunds
        add column if not exists idempotency_key text null,
        add column if not exists first_sent_at timestamptz null,
        add column if not exists processing_at timestamptz null,
        add column if not exists expected_arrival_at timestamptz null,
        add column if not exists last_checked_at timestamptz null;`);
    this.addSql(`create unique index if not exists refunds_idempotency_key_uidx on refunds (idempotency_key);`);
    // The poller's work list: refunds the wallet still holds.
    this.addSql(`create index if not exists refunds_processing_idx on refunds (last_checked_at) where status = 'processing';`);

    this.addSql(`
      create table wallet_account_actions (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        outbox_id uuid not null unique references outbox (id) deferrable initially deferred,
        idempotency_key text not null unique,
        kind text not null check (kind in ('freeze', 'unfreeze', 'credential_reset', 'balance_correction')),
        account_id text not null,
        wallet_action_id text null,
        status text not null default 'requested' check (status in ('requested', 'processing', 'completed', 'failed')),
        ledger_entry_ref text null,
        created_at timestamptz not null default now(),
        completed_at timestamptz null
      );`);
    this.addSql(`create index wallet_account_actions_case_idx on wallet_account_actions (case_id);`);

    this.addSql(`
      create table wallet_events_received (
        event_id text primary key,
        type text not null,
        idempotency_key text not null,
        case_id uuid null references cases (id) deferrable initially deferred,
        applied boolean not null,
        received_at timestamptz not null default now()
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists wallet_events_received, wallet_account_actions;`);
    this.addSql(`drop index if exists refunds_processing_idx;`);
    this.addSql(`drop index if exists refunds_idempotency_key_uidx;`);
    this.addSql(
      `alter table refunds drop column if exists idempotency_key, drop column if exists first_sent_at, drop column if exists processing_at, drop column if exists expected_arrival_at, drop column if exists last_checked_at;`,
    );
    this.addSql(`alter table refunds drop constraint if exists refunds_status_check;`);
    this.addSql(`alter table refunds add constraint refunds_status_check check (status in ('requested', 'succeeded', 'failed'));`);
  }
}
