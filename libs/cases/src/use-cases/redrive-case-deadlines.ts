import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { sqlSessionOf, type DeadlineEntity, type SqlSession } from '@app/db';
import { definitionFor, restoreSnapshot } from '@app/domain';
import { judgeFailedDeadlines } from '../deadline-staleness';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid } from '../errors';
import { lockCaseWithLiveDeadlines, lockFailedDeadlines } from '../lock-case';

export interface RedrivenDeadlines {
  /** Put back to pending and on BullMQ, earliest due first. */
  redriven: string[];
  /** Settled as stale instead: the case has moved past them. */
  settledAsStale: string[];
}

/**
 * For supervisors: puts a case's failed deadlines (their job gave up, e.g. the database was down
 * for longer than its retries) back to pending and on BullMQ, where they fire as usual.
 *
 * One the case has moved past is settled as stale instead, under the case's lock, and not put
 * back (judgeFailedDeadlines, with the rules firing applies): pending with its old due time it
 * would act before its job ran (a merchant's answer checks the pending windows,
 * refuseAfterWindow), and firing would only settle it as stale.
 */
@Injectable()
export class RedriveCaseDeadlines {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caseId: string): Promise<RedrivenDeadlines> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const now = this.clock.now();
    const verdicts = await this.em.fork().transactional(async (em) => {
      const sql = sqlSessionOf(em);
      // The case row first, then its live deadlines, as commands and firings lock them: no command moves the case meanwhile.
      const locked = await lockCaseWithLiveDeadlines(sql, caseId);
      if (!locked) throw caseNotFound(caseId);
      const failed = await lockFailedDeadlines(sql, caseId);
      const machine = restoreSnapshot(definitionFor(locked.entity.kind, locked.entity.machineVersion), locked.entity.snapshot as never);
      const judged = judgeFailedDeadlines(failed, { live: locked.live, clocks: locked.clocks, listensFor: (event) => machine.can(event) });
      await setFailedRows(sql, judged.putBack, `status = 'pending'`, []);
      await setFailedRows(sql, judged.stale, `status = 'stale', settled_at = ?`, [now]);
      return judged;
    });
    const byDueTime = (rows: DeadlineEntity[]) => rows.map((row) => ({ id: row.id, caseId, dueAt: row.dueAt })).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const redriven = byDueTime(verdicts.putBack);
    const stale = byDueTime(verdicts.stale);
    await this.dispatcher.requeueDeadlines(redriven);
    // Their failed jobs go too: nothing will run them again.
    if (stale.length) await this.dispatcher.dispatch({ deadlineJobs: { add: [], remove: stale }, outbox: [] });
    return { redriven: redriven.map((row) => row.id), settledAsStale: stale.map((row) => row.id) };
  }
}

/** The failed rows given, set as `assignments` says: locked since they were read, they are still failed. */
async function setFailedRows(sql: SqlSession, rows: readonly DeadlineEntity[], assignments: string, params: unknown[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.all(`update deadlines set ${assignments} where id in (${rows.map(() => '?').join(', ')})`, [...params, ...rows.map((row) => row.id)]);
}
