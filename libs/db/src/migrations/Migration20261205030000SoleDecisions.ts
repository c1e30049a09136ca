import { Migration } from '@mikro-orm/migrations';

/**
 * Four eyes per transaction: every refund one agent decides alone is kept, per wallet transaction,
 * so what an agent decides alone adds up across the transaction's cases (and a case decided again,
 * an appeal's decision, adds to it) and is held to their limit (libs/cases refund-ledger.ts).
 * Append-only: a decision counts as taken, paid or not. Decisions taken before this migration
 * count for nobody.
 */
export class Migration20261205030000SoleDecisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table refund_sole_decisions (
        id bigint generated always as identity primary key,
        transaction_ref text not null references refund_ledgers (transaction_ref),
        case_id uuid not null references cases (id) deferrable initially deferred,
        agent_id text not null check (agent_id <> ''),
        amount_minor bigint not null check (amount_minor >= 0),
        decided_at timestamptz not null
      );`);
    this.addSql(`create index refund_sole_decisions_agent_idx on refund_sole_decisions (transaction_ref, agent_id);`);
    // A decision counts as taken: a row changed or removed would give an agent their limit back.
    this.addSql(`
      create function refund_sole_decisions_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'refund_sole_decisions is append-only';
      end $$;`);
    this.addSql(`
      create trigger refund_sole_decisions_no_update_or_delete before update or delete on refund_sole_decisions
      for each row execute function refund_sole_decisions_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists refund_sole_decisions;`);
    this.addSql(`drop function if exists refund_sole_decisions_append_only();`);
  }
}
