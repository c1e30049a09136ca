import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { sqlSessionOf, timestampOrNull } from '@app/db';
import { definitionFor, restoreSnapshot, type CaseKind, type MachineEvent, type PersistedSnapshot } from '@app/domain';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid } from '../errors';

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
 * back: pending with its old due time it would act before its job ran (a merchant's answer checks
 * the pending windows, refuseAfterWindow), and firing would only settle it as stale. That is
 *   - a machine timer the case no longer listens for (it left the state), or has set again since
 *     (it left the state and came back: the new stay's row supersedes it);
 *   - an SLA alarm of a clock that has stopped or paused since it was planned (a clock that runs
 *     again has alarms of its own);
 *   - the reminder of a window that is neither open (pending) nor put back now.
 * Firing checks these again (FireDeadline, SlaTracker) for a row put back some other way.
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
    const settled = await this.em.fork().transactional(async (em) => {
      const sql = sqlSessionOf(em);
      // The case row first, as commands and firings lock it: no command moves the case meanwhile.
      const [found] = await sql.all<{ kind: CaseKind; machine_version: number; snapshot: PersistedSnapshot }>(
        `select kind, machine_version, snapshot from cases where id = ? for update`,
        [caseId],
      );
      if (!found) throw caseNotFound(caseId);
      const failedTimers = await sql.all<{ id: string; event: MachineEvent }>(
        `select id, event from deadlines where case_id = ? and status = 'failed' and kind = 'machine' for update`,
        [caseId],
      );
      const machine = restoreSnapshot(definitionFor(found.kind, found.machine_version), found.snapshot);
      const unheard = failedTimers.filter((timer) => !machine.can(timer.event)).map((timer) => timer.id);
      const settledUnheard = unheard.length
        ? await sql.all<SettledRow>(`update deadlines set status = 'stale', settled_at = ? where id in (${unheard.map(() => '?').join(', ')}) returning id, status, due_at`, [
            now,
            ...unheard,
          ])
        : [];
      return [...settledUnheard, ...(await sql.all<SettledRow>(REDRIVE_FAILED_DEADLINES_SQL, [caseId, now]))];
    });
    const byDueTime = settled.map((row) => ({ id: row.id, caseId, status: row.status, dueAt: timestampOrNull(row.due_at)! })).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const redriven = byDueTime.filter((row) => row.status === 'pending');
    const stale = byDueTime.filter((row) => row.status === 'stale');
    await this.dispatcher.requeueDeadlines(redriven);
    // Their failed jobs go too: nothing will run them again.
    if (stale.length) await this.dispatcher.dispatch({ deadlineJobs: { add: [], remove: stale }, outbox: [] });
    return { redriven: redriven.map((row) => row.id), settledAsStale: stale.map((row) => row.id) };
  }
}

type SettledRow = { id: string; status: 'pending' | 'stale'; due_at: string | Date };

/** The case's failed deadlines left, each back to pending or settled as stale (see RedriveCaseDeadlines). */
const REDRIVE_FAILED_DEADLINES_SQL = `with failed as (
    select d.id, d.case_id, d.send_id,
           -- a machine timer the case has set again since: a newer pending row of the same send id
           (d.kind = 'machine' and exists (
              select 1 from deadlines n
               where n.case_id = d.case_id and n.kind = 'machine' and n.status = 'pending' and n.send_id = d.send_id and n.created_at > d.created_at))
           -- an alarm of a clock that is not running, or that started running again after it was planned
           or (d.sla_clock_id is not null and not exists (
              select 1 from sla_clocks k
               where k.id = d.sla_clock_id and k.status = 'running' and (k.running_since is null or d.created_at >= k.running_since)))
             as superseded
      from deadlines d
     where d.case_id = ? and d.status = 'failed'
       for update of d
  ), decided as (
    select f.id,
           f.superseded
           -- the reminder of a window goes with it: stale unless the window is open or put back now
           or (f.send_id like 'window.%' and not exists (
              select 1 from deadlines w left join failed fw on fw.id = w.id
               where w.case_id = f.case_id and w.id::text = substr(f.send_id, 8)
                 and (w.status = 'pending' or (fw.id is not null and not fw.superseded))))
             as stale
      from failed f
  )
  update deadlines d
     set status = case when decided.stale then 'stale' else 'pending' end,
         settled_at = case when decided.stale then ?::timestamptz end
    from decided
   where d.id = decided.id
  returning d.id, d.status, d.due_at`;
