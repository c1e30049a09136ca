import { Migration } from '@mikro-orm/migrations';

/**
 * When each agent last signed in, for the admins' list of agents: kept on the agent (written by
 * the login that creates the session) rather than read from the sessions, which are many.
 */
export class Migration20261203186391AgentLastLogin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table agents add column if not exists last_login_at timestamptz null;`);
    this.addSql(`update agents a set last_login_at = s.last from (select agent_id, max(created_at) as last from agent_sessions group by agent_id) s where s.agent_id = a.id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table agents drop column if exists last_login_at;`);
  }
}
