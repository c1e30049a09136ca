import { Migration } from '@mikro-orm/migrations';

/**
 * Merchants answer refund requests: each merchant may have its own refund policy (absent: the
 * global one), and an agent may share a customer's evidence file with the merchant (the merchant
 * API lists only shared files, so the column is null for every file written before).
 */
export class Migration20261203200200MerchantRefunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table merchant_refund_policies (
        merchant_id text primary key references merchants (id) on delete cascade,
        refund_window_days integer not null check (refund_window_days >= 0),
        partial_refunds_allowed boolean not null,
        non_refundable_fee_minor bigint not null check (non_refundable_fee_minor >= 0),
        updated_at timestamptz not null
      );`);
    this.addSql(`alter table evidence_files add column shared_with_merchant_at timestamptz null, add column shared_by uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table evidence_files drop column if exists shared_with_merchant_at, drop column if exists shared_by;`);
    this.addSql(`drop table if exists merchant_refund_policies;`);
  }
}
