import { Migration } from '@mikro-orm/migrations';

/**
 * Agent account hygiene: sessions remember when they were last used (idle timeout) and why they
 * ended; agents remember when their password changed; administrative actions go to an
 * append-only audit log, like the case timeline.
 */
export class Migration20261203170000AgentAccounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table agent_sessions add column if not exists last_seen_at timestamptz not null default now();`);
    this.addSql(`alter table agent_sessions add column if not exists revoked_reason text null;`);
    this.addSql(`create index if not exists agent_sessions_agent_live_idx on agent_sessions (agent_id) where revoked_at is null;`);
    this.addSql(`alter table agents add column if not exists password_changed_at timestamptz null;`);
    this.addSql(`alter table agents add column if not exists deactivated_at timestamptz null;`);
    this.addSql(`
      create table if not exists admin_audit_log (
        id bigserial primary key,
        actor_id uuid null,
        actor_label text not null,
        action text not null,
        target_type text not null,
        target_id text not null,
        details jsonb not null default '{}',
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index if not exists admin_audit_log_created_idx on admin_audit_log (created_at desc, id desc);`);
    this.addSql(`create index if not exists admin_audit_log_target_idx on admin_audit_log (target_type, target_id, id);`);
    this.addSql(`
      create or replace function admin_audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'admin_audit_log is append-only';
      end $$;`);
    this.addSql(`drop trigger if exists admin_audit_log_no_update_or_delete on admin_audit_log;`);
    this.addSql(`
      create trigger admin_audit_log_no_update_or_delete before update or delete on admin_audit_log
      for each row execute function admin_audit_log_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists admin_audit_log;`);
    this.addSql(`drop function if exists admin_audit_log_append_only();`);
    this.addSql(`alter table agents drop column if exists deactivated_at;`);
    this.addSql(`alter table agents drop column if exists password_changed_at;`);
    this.addSql(`drop index if exists agent_sessions_agent_live_idx;`);
    this.addSql(`alter table agent_sessions drop column if exists revoked_reason;`);
    this.addSql(`alter table agent_sessions drop column if exists last_seen_at;`);
  }
}
