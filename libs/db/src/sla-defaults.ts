import { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_BUSINESS_CALENDARS, DEFAULT_SLA_POLICIES, type BusinessCalendar } from '@app/domain';
import { ormOptions } from './orm-options';

export interface SlaDefaultsResult {
  /** Calendar and policy rows added because they were missing. */
  inserted: number;
  /** Shipped calendars brought up to the shipped data of this release (nobody had edited them). */
  upgraded: string[];
  /** Shipped calendars that differ from this release's data but were edited, so were left as they are. */
  keptEdited: string[];
}

/**
 * Inserts the shipped business calendars (PRC holidays, 24/7) and the default SLA policies where
 * they are missing, and brings corrected shipped calendar data (a newly announced year, a fixed
 * date) to installed calendars nobody edited: a calendar is unedited while its definition equals
 * the shipped definition it was installed from (`shipped_definition`). An edited calendar, or an
 * edited policy, is never overwritten: once an admin edits it, it is theirs.
 */
export async function ensureSlaDefaults(url: string, calendars: readonly BusinessCalendar[] = DEFAULT_BUSINESS_CALENDARS): Promise<SlaDefaultsResult> {
  const orm = await MikroORM.init(ormOptions(url, { pool: { min: 0, max: 1 } }));
  try {
    const connection = orm.em.getConnection();
    const result: SlaDefaultsResult = { inserted: 0, upgraded: [], keptEdited: [] };
    for (const calendar of calendars) {
      const shipped = JSON.stringify(calendar);
      const added = await connection.execute<{ affectedRows: number }>(
        `insert into business_calendars (id, definition, shipped_definition) values (?, ?, ?) on conflict (id) do nothing`,
        [calendar.id, shipped, shipped],
        'run',
      );
      result.inserted += added.affectedRows;
      if (added.affectedRows) continue;
      const upgraded = await connection.execute<{ affectedRows: number }>(
        `update business_calendars set definition = ?::jsonb, shipped_definition = ?::jsonb, updated_at = now()
          where id = ? and definition = shipped_definition and shipped_definition <> ?::jsonb`,
        [shipped, shipped, calendar.id, shipped],
        'run',
      );
      if (upgraded.affectedRows) result.upgraded.push(calendar.id);
      else if ((await connection.execute(`select 1 from business_calendars where id = ? and definition <> ?::jsonb`, [calendar.id, shipped])).length)
        result.keptEdited.push(calendar.id);
    }
    for (const policy of DEFAULT_SLA_POLICIES) {
      const added = await connection.execute<{ affectedRows: number }>(
        `insert into sla_policies (id, name, position, match, calendar_id, targets, reminders) values (?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        [policy.id, policy.name, policy.position, JSON.stringify(policy.match), policy.calendarId, JSON.stringify(policy.targets), JSON.stringify(policy.reminders)],
        'run',
      );
      result.inserted += added.affectedRows;
    }
    return result;
  } finally {
    await orm.close(true);
  }
}
