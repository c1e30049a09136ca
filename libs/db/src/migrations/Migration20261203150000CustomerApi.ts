import { Migration } from '@mikro-orm/migrations';

/**
 * The customer API: evidence files say whose side they support (`party`); the customer's (uploaded
 * by the customer, or by an agent on the customer's behalf) belong to no merchant submission. A
 * case gets at most one rating from its customer. A customer's cases are listed by an index of their own.
 */
export class Migration20261203150000CustomerApi extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table evidence_files add column party text not null default 'merchant' check (party in ('merchant', 'customer'));`);
    this.addSql(`alter table evidence_files alter column submission_id drop not null;`);
    this.addSql(`alter table evidence_files drop constraint if exists evidence_files_uploaded_by_kind_check;`);
    this.addSql(`alter table evidence_files add constraint evidence_files_uploaded_by_kind_check check (uploaded_by_kind in ('merchant', 'agent', 'customer'));`);
    // Merchant evidence is staged and submitted; the customer's is recorded as it arrives.
    this.addSql(`alter table evidence_files add constraint evidence_files_submission_of_merchant check ((party = 'merchant') = (submission_id is not null));`);
    this.addSql(`create index evidence_files_case_party_idx on evidence_files (case_id, party);`);

    // The customer API lists a customer's cases newest first.
    this.addSql(`create index cases_customer_created_idx on cases (customer_id, created_at desc, id desc);`);

    this.addSql(`
      create table case_ratings (
        case_id uuid primary key references cases (id),
        customer_id text not null,
        score smallint not null check (score between 1 and 5),
        comment text null,
        created_at timestamptz not null default now()
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists case_ratings;`);
    this.addSql(`drop index if exists cases_customer_created_idx;`);
    this.addSql(`drop index if exists evidence_files_case_party_idx;`);
    this.addSql(`delete from evidence_files where party = 'customer';`);
    this.addSql(`alter table evidence_files drop constraint if exists evidence_files_submission_of_merchant;`);
    this.addSql(`alter table evidence_files drop constraint if exists evidence_files_uploaded_by_kind_check;`);
    this.addSql(`alter table evidence_files add constraint evidence_files_uploaded_by_kind_check check (uploaded_by_kind in ('merchant', 'agent'));`);
    this.addSql(`alter table evidence_files alter column submission_id set not null;`);
    this.addSql(`alter table evidence_files drop column if exists party;`);
  }
}
