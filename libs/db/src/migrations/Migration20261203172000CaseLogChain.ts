import { Migration } from '@mikro-orm/migrations';

/**
 * A tamper-evident case log. Every timeline row carries the hash of the previous row of its case
 * and its own hash over that and its canonical content (`case_event_hash`), computed by a trigger,
 * so every writer of the timeline (commands, notes, assignment, SLA annotations, whatever comes
 * later) is chained the same way and none can forget. The newest hash of each case is kept in
 * `case_log_heads`; anchors (`audit_anchors`) chain the heads that changed since the last anchor,
 * so a rewritten or cut-off tail shows against an anchor too. Rows from before this migration are
 * chained in order here, once.
 */
export class Migration20261203172000CaseLogChain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table case_events add column if not exists prev_hash text null, add column if not exists hash text null;`);
    this.addSql(`
      create table if not exists case_log_heads (
        case_id uuid primary key,
        event_id bigint not null,
        hash text not null,
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create index if not exists case_log_heads_updated_idx on case_log_heads (updated_at);`);
    // Length-prefixed fields: no value can shift its bytes into a neighbour, and NULL differs from ''.
    this.addSql(`
      create or replace function case_event_field(value text) returns text language sql immutable as $$
        select case when value is null then '-' else length(value)::text || ':' || value end
      $$;`);
    this.addSql(`
      create or replace function case_event_hash(prev_hash text, e case_events) returns text language sql stable as $$
        select encode(sha256(convert_to(
          case_event_field(prev_hash) || case_event_field(e.id::text) || case_event_field(e.case_id::text) ||
          case_event_field(e.category) || case_event_field(e.type) || case_event_field(e.actor_kind) ||
          case_event_field(e.actor_id) || case_event_field(e.from_state) || case_event_field(e.to_state) ||
          case_event_field(e.case_version::text) || case_event_field(e.payload::text) ||
          case_event_field(((extract(epoch from e.created_at) * 1000000)::bigint)::text),
        'UTF8')), 'hex')
      $$;`);
    // The case row is locked first, as every command locks it first: one lock order, no deadlock.
    // The row takes its id only once it holds the lock: a writer that drew an id before waiting for
    // the lock (a note written while a command ran) would otherwise sit before the row it follows.
    this.addSql(`
      create or replace function case_events_chain() returns trigger language plpgsql as $$
      declare
        head text;
      begin
        perform 1 from cases where id = new.case_id for update;
        new.id := nextval(pg_get_serial_sequence('case_events', 'id'));
        select h.hash into head from case_log_heads h where h.case_id = new.case_id;
        new.prev_hash := head;
        new.hash := case_event_hash(head, new);
        insert into case_log_heads (case_id, event_id, hash, updated_at) values (new.case_id, new.id, new.hash, now())
          on conflict (case_id) do update set event_id = excluded.event_id, hash = excluded.hash, updated_at = excluded.updated_at;
        return new;
      end $$;`);
    // Chain what exists, in order, before the trigger and the append-only rule take over.
    this.addSql(`alter table case_events disable trigger case_events_no_update_or_delete;`);
    this.addSql(`
      do $$
      declare
        r case_events;
        previous text;
        current_case uuid;
      begin
        for r in select * from case_events order by case_id, id loop
          if current_case is distinct from r.case_id then previous := null; current_case := r.case_id; end if;
          update case_events set prev_hash = previous, hash = case_event_hash(previous, r) where id = r.id;
          previous := case_event_hash(previous, r);
          insert into case_log_heads (case_id, event_id, hash) values (r.case_id, r.id, previous)
            on conflict (case_id) do update set event_id = excluded.event_id, hash = excluded.hash;
        end loop;
      end $$;`);
    this.addSql(`alter table case_events enable trigger case_events_no_update_or_delete;`);
    this.addSql(`alter table case_events alter column hash set not null;`);
    this.addSql(`drop trigger if exists case_events_chain on case_events;`);
    this.addSql(`create trigger case_events_chain before insert on case_events for each row execute function case_events_chain();`);

    this.addSql(`
      create table if not exists audit_anchors (
        id bigserial primary key,
        prev_hash text null,
        heads_digest text not null,
        head_count integer not null,
        hash text not null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`
      create table if not exists audit_anchor_heads (
        anchor_id bigint not null references audit_anchors (id),
        case_id uuid not null,
        event_id bigint not null,
        hash text not null,
        primary key (anchor_id, case_id)
      );`);
    this.addSql(`create index if not exists audit_anchor_heads_case_idx on audit_anchor_heads (case_id, anchor_id);`);
    this.addSql(`
      create or replace function audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only', tg_table_name;
      end $$;`);
    this.addSql(`create trigger audit_anchors_append_only before update or delete on audit_anchors for each row execute function audit_append_only();`);
    this.addSql(`create trigger audit_anchor_heads_append_only before update or delete on audit_anchor_heads for each row execute function audit_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists audit_anchor_heads;`);
    this.addSql(`drop table if exists audit_anchors;`);
    this.addSql(`drop function if exists audit_append_only();`);
    this.addSql(`drop trigger if exists case_events_chain on case_events;`);
    this.addSql(`drop function if exists case_events_chain();`);
    this.addSql(`drop function if exists case_event_hash(text, case_events);`);
    this.addSql(`drop function if exists case_event_field(text);`);
    this.addSql(`drop table if exists case_log_heads;`);
    this.addSql(`alter table case_events drop column if exists hash, drop column if exists prev_hash;`);
  }
}
