import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import type { CaseEntity, SqlSession } from '@app/db';

/**
 * A case's "now". A test case on a test clock lives at the clock's frozen time (windows close,
 * deadlines and SLA are computed at it); every other case at the engine's clock. Resolved per case
 * by id, so a live case pays nothing for it.
 */
@Injectable()
export class CaseClock {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  async now(sql: SqlSession, theCase: Pick<CaseEntity, 'testClockId'>): Promise<Date> {
    if (!theCase.testClockId) return this.clock.now();
    const [row] = await sql.all<{ frozen_time: string | Date }>(`select frozen_time from test_clocks where id = ?`, [theCase.testClockId]);
    if (!row) throw new Error(`test clock ${theCase.testClockId} does not exist`);
    return new Date(row.frozen_time);
  }
}
