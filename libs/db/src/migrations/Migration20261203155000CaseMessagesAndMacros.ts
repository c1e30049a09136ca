import { Migration } from '@mikro-orm/migrations';

/**
 * The conversation on a case (agent ↔ customer, agent ↔ merchant) in a table of its own, apart
 * from the timeline, and the canned replies (macros) agents start from.
 */
export class Migration20261203155000CaseMessagesAndMacros extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table macros (
        id uuid primary key,
        translations jsonb not null,
        created_by uuid not null references agents (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`
      create table case_messages (
        id uuid primary key,
        case_id uuid not null references cases (id),
        party text not null check (party in ('customer', 'merchant')),
        direction text not null check (direction in ('inbound', 'outbound')),
        author_kind text not null check (author_kind in ('agent', 'customer', 'merchant')),
        author_id text not null,
        body text not null check (length(body) between 1 and 5000),
        locale text not null check (locale in ('zh-CN', 'en')),
        macro_id uuid null,
        outbox_id uuid null,
        created_at timestamptz not null default now(),
        -- Agents write outbound, the parties inbound: the one combination that says who wrote what.
        check ((direction = 'outbound') = (author_kind = 'agent')),
        check (author_kind = 'agent' or author_kind = party)
      );`);
    this.addSql(`create index case_messages_thread_idx on case_messages (case_id, party, created_at, id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists case_messages, macros;`);
  }
}
