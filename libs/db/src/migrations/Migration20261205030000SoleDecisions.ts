import { Migration } from '@mikro-orm/migrations';

/**
 * Four eyes per transaction: a case's share of its transaction's refund ledger records the agent who
 * decided it alone and the amount, so what one agent decides alone adds up across the
 * transaction's cases and is held to their limit (libs/cases refund-ledger.ts). Shares decided
 * before this migration answer for no agent.
 */
export class Migration20261205030000SoleDecisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table refund_ledger_shares
        add column decided_alone_by text null,
        add column decided_alone_minor bigint not null default 0,
        add constraint refund_ledger_shares_decided_alone check (decided_alone_minor >= 0 and (decided_alone_by is not null or decided_alone_minor = 0));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table refund_ledger_shares drop constraint refund_ledger_shares_decided_alone, drop column decided_alone_minor, drop column decided_alone_by;`);
  }
}
