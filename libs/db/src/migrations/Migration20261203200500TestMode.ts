import { Migration } from '@mikro-orm/migrations';

/**
 * Test mode (Stripe's): keys, cases and webhook endpoints carry `livemode`, and every existing row is
 * live. A test case may run on a test clock, a merchant's own frozen time that only moves when the
 * merchant advances it; only test cases may name one.
 */
export class Migration20261203200500TestMode extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table merchant_api_keys add column if not exists livemode boolean not null default true;`);
    this.addSql(`alter table webhook_endpoints add column if not exists livemode boolean not null default true;`);
    this.addSql(`
      create table if not exists test_clocks (
        id uuid primary key,
        merchant_id text not null references merchants (id),
        name text null,
        frozen_time timestamptz not null,
        status text not null default 'ready',
        created_at timestamptz not null,
        updated_at timestamptz not null
      );`);
    this.addSql(`create index if not exists test_clocks_merchant_idx on test_clocks (merchant_id, created_at desc, id desc);`);
    this.addSql(`alter table cases add column if not exists livemode boolean not null default true;`);
    this.addSql(`alter table cases add column if not exists test_clock_id uuid null references test_clocks (id);`);
    this.addSql(`alter table cases add constraint cases_test_clock_only_in_test_mode check (test_clock_id is null or not livemode);`);
    // The advance of a clock looks up its cases' pending deadlines; few cases ever have one.
    this.addSql(`create index if not exists cases_test_clock_idx on cases (test_clock_id) where test_clock_id is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table cases drop constraint if exists cases_test_clock_only_in_test_mode;`);
    this.addSql(`alter table cases drop column if exists test_clock_id;`);
    this.addSql(`alter table cases drop column if exists livemode;`);
    this.addSql(`drop table if exists test_clocks;`);
    this.addSql(`alter table webhook_endpoints drop column if exists livemode;`);
    this.addSql(`alter table merchant_api_keys drop column if exists livemode;`);
  }
}
