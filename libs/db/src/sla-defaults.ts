import { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_BUSINESS_CALENDARS, DEFAULT_SLA_POLICIES } from '@app/domain';
import { ormOptions } from './orm-options';

/**
 * Inserts the shipped business calendars (PRC holidays, 24/7) and the default SLA policies where
 * they are missing. Existing rows are never overwritten: once an admin edits them, they are
 * theirs (a change to a shipped default reaches existing databases through a migration instead).
 */
export async function ensureSlaDefaults(url: string): Promise<number> {
  const orm = await MikroORM.init(ormOptions(url, { pool: { min: 0, max: 1 } }));
  try {
    const connection = orm.em.getConnection();
    let inserted = 0;
    for (const calendar of DEFAULT_BUSINESS_CALENDARS) {
      const result = await connection.execute<{ affectedRows: number }>(
        `insert into business_calendars (id, definition) values (?, ?) on conflict (id) do nothing`,
        [calendar.id, JSON.stringify(calendar)],
        'run',
      );
      inserted += result.affectedRows;
    }
    for (const policy of DEFAULT_SLA_POLICIES) {
      const result = await connection.execute<{ affectedRows: number }>(
        `insert into sla_policies (id, name, position, match, calendar_id, targets, reminders) values (?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        [policy.id, policy.name, policy.position, JSON.stringify(policy.match), policy.calendarId, JSON.stringify(policy.targets), JSON.stringify(policy.reminders)],
        'run',
      );
      inserted += result.affectedRows;
    }
    return inserted;
  } finally {
    await orm.close(true);
  }
}
