import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    // Foreign keys to cases are checked at commit: one command inserts a case and its rows in one
    // transaction, and the ORM does not order inserts by keys it does not model as relations.

    this.addSql(`
      create table agents (
        id uuid primary key,
        email text not null unique,
        display_name text not null,
        role text not null check (role in ('agent', 'supervisor', 'admin')),
        password_hash text not null,
        locale text not null default 'zh-CN',
        active boolean not null default true,
        created_at timestamptz not null default now()
      );`);

    this.addSql(`
      create table agent_sessions (
        id uuid primary key,
        agent_id uuid not null references agents (id) on delete cascade,
        token_hash text not null unique,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz null
      );`);

    this.addSql(`
      create table cases (
        id uuid primary key,
        kind text not null,
        machine_version integer not null,
        state text not null,
        status text not null default 'active' check (status in ('active', 'done')),
        snapshot jsonb not null,
        machine_input jsonb not null,
        version integer not null default 1,
        priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
        channel text not null,
        subject text not null,
        description text null,
        customer_id text not null,
        customer_name text null,
        merchant_id text null,
        transaction_ref text null,
        amount_minor bigint null check (amount_minor >= 0),
        currency char(3) null,
        assignee_id uuid null references agents (id) on delete set null,
        next_deadline_at timestamptz null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check ((amount_minor is null) = (currency is null))
      );`);
    // Queue sorting is keyset-paginated on (next deadline, id); cases with no deadline sort last.
    this.addSql(`create index cases_next_deadline_idx on cases ((coalesce(next_deadline_at, 'infinity'::timestamptz)), id);`);
    this.addSql(`create index cases_created_idx on cases (created_at desc, id desc);`);
    this.addSql(`create index cases_kind_state_idx on cases (kind, state);`);
    this.addSql(`create index cases_state_idx on cases (state);`);
    this.addSql(`create index cases_assignee_idx on cases (assignee_id);`);
    this.addSql(`create index cases_merchant_idx on cases (merchant_id);`);
    this.addSql(`create index cases_transaction_idx on cases (transaction_ref);`);
    // Free-text search over Chinese and English needs substring matching, not word stemming.
    this.addSql(
      `create index cases_search_trgm_idx on cases using gin ((coalesce(subject, '') || ' ' || coalesce(description, '') || ' ' || coalesce(customer_name, '') || ' ' || customer_id || ' ' || coalesce(transaction_ref, '')) gin_trgm_ops);`,
    );

    this.addSql(`
      create table case_events (
        id bigserial primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        category text not null check (category in ('machine', 'annotation')),
        type text not null,
        actor_kind text not null,
        actor_id text null,
        from_state text null,
        to_state text null,
        case_version integer not null,
        payload jsonb not null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index case_events_case_idx on case_events (case_id, id);`);
    // The timeline is append-only: history is never rewritten, only added to.
    this.addSql(`
      create function case_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'case_events is append-only';
      end $$;`);
    this.addSql(`
      create trigger case_events_no_update_or_delete before update or delete on case_events
      for each row execute function case_events_append_only();`);

    this.addSql(`
      create table deadlines (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        name text not null,
        send_id text not null,
        event jsonb not null,
        due_at timestamptz not null,
        status text not null default 'pending' check (status in ('pending', 'fired', 'cancelled', 'stale')),
        created_at timestamptz not null default now(),
        settled_at timestamptz null
      );`);
    this.addSql(`create index deadlines_pending_due_idx on deadlines (due_at) where status = 'pending';`);
    this.addSql(`create index deadlines_case_pending_idx on deadlines (case_id) where status = 'pending';`);

    this.addSql(`
      create table outbox (
        id uuid primary key,
        case_id uuid null references cases (id) deferrable initially deferred,
        type text not null,
        payload jsonb not null,
        status text not null default 'pending' check (status in ('pending', 'relayed', 'done', 'failed')),
        attempts integer not null default 0,
        last_error text null,
        created_at timestamptz not null default now(),
        relayed_at timestamptz null,
        done_at timestamptz null
      );`);
    this.addSql(`create index outbox_unrelayed_idx on outbox (created_at) where status = 'pending';`);
    this.addSql(`create index outbox_case_idx on outbox (case_id);`);

    this.addSql(`
      create table refunds (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        outbox_id uuid not null unique references outbox (id) deferrable initially deferred,
        attempt integer not null,
        amount_minor bigint not null check (amount_minor > 0),
        currency char(3) not null,
        status text not null default 'requested' check (status in ('requested', 'succeeded', 'failed')),
        gateway_refund_id text null,
        failure_reason text null,
        created_at timestamptz not null default now(),
        settled_at timestamptz null
      );`);
    this.addSql(`create index refunds_case_idx on refunds (case_id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists refunds, outbox, deadlines, case_events, cases, agent_sessions, agents cascade;`);
    this.addSql(`drop function if exists case_events_append_only();`);
  }
}
