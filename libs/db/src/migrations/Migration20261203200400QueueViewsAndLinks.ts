import { Migration } from '@mikro-orm/migrations';

/**
 * Working the queue: agents' saved queue views (private, or shared with the team by a supervisor),
 * and links between cases (related, or a duplicate merged into its original). A link is stored once
 * with the smaller id first; the second index finds the links of a case from either side.
 */
export class Migration20261203200400QueueViewsAndLinks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table if not exists saved_views (
        id uuid primary key,
        owner_id uuid not null references agents (id) on delete cascade,
        name text not null,
        query jsonb not null,
        shared boolean not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );`);
    this.addSql(`create unique index if not exists saved_views_owner_name_uidx on saved_views (owner_id, lower(name));`);
    this.addSql(`create index if not exists saved_views_shared_idx on saved_views (shared) where shared;`);
    this.addSql(`
      create table if not exists case_links (
        case_a uuid not null references cases (id),
        case_b uuid not null references cases (id),
        kind text not null check (kind in ('related', 'duplicate')),
        created_by uuid null,
        created_at timestamptz not null,
        primary key (case_a, case_b),
        check (case_a < case_b)
      );`);
    this.addSql(`create index if not exists case_links_case_b_idx on case_links (case_b);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists case_links;`);
    this.addSql(`drop table if exists saved_views;`);
  }
}
