import { Migration } from '@mikro-orm/migrations';

/**
 * TOTP two-factor login: the seed sealed at rest (a pending one while the agent enrols), the last
 * time step used (a code is never accepted twice), and one-time recovery codes kept as hashes.
 */
export class Migration20261203171000AgentTotp extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table agents add column if not exists totp_secret_sealed text null;`);
    this.addSql(`alter table agents add column if not exists totp_pending_secret_sealed text null;`);
    this.addSql(`alter table agents add column if not exists totp_enabled_at timestamptz null;`);
    this.addSql(`alter table agents add column if not exists totp_last_step bigint null;`);
    this.addSql(`
      create table if not exists agent_recovery_codes (
        id uuid primary key,
        agent_id uuid not null references agents (id) on delete cascade,
        code_hash text not null,
        created_at timestamptz not null default now(),
        used_at timestamptz null,
        unique (agent_id, code_hash)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists agent_recovery_codes;`);
    this.addSql(`alter table agents drop column if exists totp_last_step;`);
    this.addSql(`alter table agents drop column if exists totp_enabled_at;`);
    this.addSql(`alter table agents drop column if exists totp_pending_secret_sealed;`);
    this.addSql(`alter table agents drop column if exists totp_secret_sealed;`);
  }
}
