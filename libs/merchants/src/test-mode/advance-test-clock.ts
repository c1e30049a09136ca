import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { FireDeadline } from '@app/cases';
import { TestClockEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { MerchantScope } from '../disputes/merchant-dispute-view';
import { assertTestMode, findOwnedTestClock, parseClockTime, toTestClockView, type TestClockView } from './test-clock-view';

/** Deadlines fired per read; the loop reads again until nothing is due by the new time. */
const BATCH = 100;
/**
 * A bound on one advance's firings, so a machine that keeps scheduling deadlines inside the
 * advanced span (a retry every minute over a month) cannot hold the request forever: the rest
 * fires on the next advance, which also fires everything due before its own time.
 */
const MAX_FIRINGS = 5_000;

/**
 * An advance stamps the clock as it goes (each batch); one not stamped for this long died with its
 * process (a crash or a deploy in the middle), and the next advance takes the clock over instead of
 * answering 409 forever. Far longer than a batch of firings takes.
 */
export const ABANDONED_ADVANCE_MS = 5 * 60_000;

/**
 * Moves a test clock forward (Stripe's `POST /v1/test_helpers/test_clocks/{id}/advance`) and fires,
 * oldest first, every deadline of its cases that the new time passes, through the engine's one
 * deadline path (FireDeadline) with the deadline's own due time as "now": windows close, decisions
 * and SLA are computed as if the time had passed, and what a deadline schedules within the span
 * fires in the same advance. The clock is `advancing` meanwhile; a second advance is a 409, unless
 * the first was abandoned (ABANDONED_ADVANCE_MS).
 */
@Injectable()
export class AdvanceTestClock {
  constructor(
    private readonly em: EntityManager,
    private readonly fireDeadline: FireDeadline,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(merchant: MerchantScope, id: string, to: string): Promise<TestClockView> {
    assertTestMode(merchant);
    const frozenTime = parseClockTime(to, 'frozen_time');
    const em = this.em.fork();
    const current = await findOwnedTestClock(em, merchant, id);
    const from = current.frozenTime;
    // One statement claims the clock, so two advances never run together and time never goes back.
    // An abandoned advance had already moved the clock: the new one may go to that time again.
    const now = this.clock.now();
    const claimed = await em.nativeUpdate(
      TestClockEntity,
      {
        id,
        merchantId: merchant.id,
        $or: [
          { status: 'ready', frozenTime: { $lt: frozenTime } },
          { status: 'advancing', updatedAt: { $lt: new Date(now.getTime() - ABANDONED_ADVANCE_MS) }, frozenTime: { $lte: frozenTime } },
        ],
      },
      { status: 'advancing', frozenTime, updatedAt: now },
    );
    if (claimed !== 1) {
      const again = await findOwnedTestClock(em.fork(), merchant, id);
      if (again.status === 'advancing')
        throw new DomainError(DomainErrorCode.TestClockAdvancing, `Test clock ${id} is being advanced; try again when it is ready.`, { testClockId: id });
      throw new DomainError(DomainErrorCode.TestClockBackwards, `A test clock only moves forward: frozen_time must be after ${again.frozenTime.toISOString()}.`, {
        testClockId: id,
        frozenTime: again.frozenTime.toISOString(),
        fields: [{ path: 'frozen_time', message: `must be after ${again.frozenTime.toISOString()}` }],
      });
    }
    try {
      await this.fireDue(id, from, frozenTime);
    } finally {
      await em.nativeUpdate(TestClockEntity, { id }, { status: 'ready', updatedAt: this.clock.now() });
    }
    return toTestClockView(await findOwnedTestClock(em.fork(), merchant, id));
  }

  private async fireDue(clockId: string, from: Date, to: Date): Promise<void> {
    let fired = 0;
    while (fired < MAX_FIRINGS) {
      const due = await this.em
        .fork()
        .getConnection()
        .execute<Array<{ id: string; due_at: string | Date }>>(
          `select d.id, d.due_at from deadlines d join cases c on c.id = d.case_id
            where c.test_clock_id = ? and d.status = 'pending' and d.due_at <= ?
            order by d.due_at, d.id limit ${BATCH}`,
          [clockId, to],
        );
      if (due.length === 0) return;
      // Still alive: the claim stays ours (ABANDONED_ADVANCE_MS).
      await this.em.fork().nativeUpdate(TestClockEntity, { id: clockId, status: 'advancing' }, { updatedAt: this.clock.now() });
      for (const row of due) {
        const dueAt = new Date(row.due_at);
        // At its own time (never before the clock's previous time): what it schedules counts from there.
        // Each firing in a context of its own, as a deadline job has: no entity read by one leaks into the next.
        await RequestContext.create(this.em, () => this.fireDeadline.execute(row.id, { at: dueAt < from ? from : dueAt }));
        fired += 1;
      }
    }
  }
}
