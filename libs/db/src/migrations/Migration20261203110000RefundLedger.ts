import { Migration } from '@mikro-orm/migrations';

/**
 * Money adds up per wallet transaction: one refund ledger row per transaction (captured, committed
 * by decisions not yet settled, refunded), each case's share of it, and the daily reconciliation's
 * findings. The check constraint is the last line of defence behind the commands' locked check:
 * committed + refunded can never pass what was captured. A deadline whose decision the ledger
 * refused is settled as `refused` (the case goes to a supervisor instead).
 */
export class Migration20261203110000RefundLedger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table refund_ledgers (
        transaction_ref text primary key,
        currency text not null,
        captured_minor bigint not null check (captured_minor >= 0),
        committed_minor bigint not null default 0 check (committed_minor >= 0),
        refunded_minor bigint not null default 0 check (refunded_minor >= 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint refund_ledgers_within_captured check (committed_minor + refunded_minor <= captured_minor)
      );`);
    this.addSql(`
      create table refund_ledger_shares (
        case_id uuid primary key references cases (id) deferrable initially deferred,
        transaction_ref text not null references refund_ledgers (transaction_ref),
        committed_minor bigint not null default 0 check (committed_minor >= 0),
        refunded_minor bigint not null default 0 check (refunded_minor >= 0),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create index refund_ledger_shares_transaction_idx on refund_ledger_shares (transaction_ref);`);

    this.addSql(`alter table deadlines drop constraint if exists deadlines_status_check;`);
    this.addSql(`alter table deadlines add constraint deadlines_status_check check (status in ('pending', 'fired', 'cancelled', 'stale', 'refused'));`);

    this.addSql(`
      create table refund_mismatches (
        id uuid primary key,
        kind text not null check (kind in ('paid_not_recorded', 'recorded_not_paid', 'amount_mismatch')),
        idempotency_key text not null,
        transaction_ref text null,
        case_id uuid null,
        wallet_refund_id text null,
        wallet_status text null,
        wallet_amount_minor bigint null,
        our_status text null,
        our_amount_minor bigint null,
        currency text null,
        first_seen_at timestamptz not null,
        last_seen_at timestamptz not null,
        resolved_at timestamptz null
      );`);
    // One open finding per refund and kind: a later pass that sees it again only touches it.
    this.addSql(`create unique index refund_mismatches_open_uidx on refund_mismatches (idempotency_key, kind) where resolved_at is null;`);
    this.addSql(`create index refund_mismatches_seen_idx on refund_mismatches (last_seen_at desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists refund_mismatches, refund_ledger_shares, refund_ledgers;`);
    this.addSql(`update deadlines set status = 'stale' where status = 'refused';`);
    this.addSql(`alter table deadlines drop constraint if exists deadlines_status_check;`);
    this.addSql(`alter table deadlines add constraint deadlines_status_check check (status in ('pending', 'fired', 'cancelled', 'stale'));`);
  }
}
