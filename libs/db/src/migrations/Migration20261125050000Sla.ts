import { Migration } from '@mikro-orm/migrations';

export class Migration20261125050000Sla extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table business_calendars (
        id text primary key,
        definition jsonb not null,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`
      create table sla_policies (
        id text primary key,
        name text not null,
        position integer not null,
        match jsonb not null,
        calendar_id text not null references business_calendars (id),
        targets jsonb not null,
        reminders jsonb not null,
        active boolean not null default true,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`alter table cases add column sla_policy_id text null, add column escalated_at timestamptz null;`);
    this.addSql(`create index cases_escalated_idx on cases (escalated_at) where escalated_at is not null;`);
    this.addSql(`
      create table sla_clocks (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        policy_id text not null,
        target text not null,
        minutes double precision not null check (minutes > 0),
        mode text not null check (mode in ('calendar', 'business')),
        calendar_id text not null,
        status text not null check (status in ('running', 'paused', 'met', 'breached', 'stopped')),
        used_minutes double precision not null default 0,
        running_since timestamptz null,
        due_at timestamptz null,
        met_at timestamptz null,
        breached_at timestamptz null,
        breached_assignee_id uuid null,
        created_at timestamptz not null default now(),
        unique (case_id, target)
      );`);
    this.addSql(`create index sla_clocks_breached_idx on sla_clocks (breached_at) where breached_at is not null;`);
    this.addSql(`create index sla_clocks_due_idx on sla_clocks (due_at) where status = 'running';`);
    this.addSql(`alter table deadlines add column kind text not null default 'machine' check (kind in ('machine', 'sla')), add column sla_clock_id uuid null;`);
    this.addSql(`create index deadlines_clock_pending_idx on deadlines (sla_clock_id) where status = 'pending' and sla_clock_id is not null;`);
    this.addSql(`
      create table notifications (
        id uuid primary key,
        audience text not null check (audience in ('agent', 'supervisors')),
        recipient_agent_id uuid null references agents (id) on delete cascade,
        case_id uuid null references cases (id) deferrable initially deferred,
        type text not null,
        payload jsonb not null,
        dedupe_key text not null unique,
        created_at timestamptz not null default now(),
        read_at timestamptz null
      );`);
    this.addSql(`create index notifications_inbox_idx on notifications (recipient_agent_id, created_at desc);`);
    this.addSql(`create index notifications_supervisors_idx on notifications (created_at desc) where audience = 'supervisors';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists notifications, sla_clocks, sla_policies, business_calendars cascade;`);
    this.addSql(`alter table deadlines drop column if exists kind, drop column if exists sla_clock_id;`);
    this.addSql(`alter table cases drop column if exists sla_policy_id, drop column if exists escalated_at;`);
  }
}
