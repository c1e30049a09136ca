import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { sqlSessionOf, timestampOrNull } from '@app/db';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid } from '../errors';

/**
 * For supervisors: puts a case's failed deadlines (their job gave up, e.g. the database was down
 * for longer than its retries) back to pending and on BullMQ. The firing is the usual one: a
 * deadline whose state the case has left meanwhile settles as stale and changes nothing.
 *
 * A failed deadline the case has moved past since is settled as stale here instead, under the
 * case's lock, and not put back: while pending with its old due time it would already act (a
 * merchant's answer checks the pending windows: refuseAfterWindow). That is one whose timer the
 * case has set again (it left the state and came back: the new stay's row supersedes it), an SLA
 * alarm of a clock that has stopped or paused, or paused and run again, since it was planned (the
 * new run has alarms of its own), and the reminder of a window that is not open (pending) now: a
 * failed window is past its due time, and so is every reminder before it. Firing checks the first
 * two again (FireDeadline, SlaTracker), for a row put back some other way (by hand, in SQL).
 */
@Injectable()
export class RedriveCaseDeadlines {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caseId: string): Promise<{ redriven: string[] }> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const now = this.clock.now();
    const settled = await this.em.fork().transactional(async (em) => {
      const sql = sqlSessionOf(em);
      // The case row first, as commands and firings lock it: no command sets a timer again meanwhile.
      const [found] = await sql.all(`select id from cases where id = ? for update`, [caseId]);
      if (!found) throw caseNotFound(caseId);
      return sql.all<{ id: string; case_id: string; status: 'pending' | 'stale'; due_at: string | Date }>(REDRIVE_FAILED_DEADLINES_SQL, [caseId, now]);
    });
    const redriven = settled
      .filter((row) => row.status === 'pending')
      .map((row) => ({ id: row.id, caseId: row.case_id, dueAt: timestampOrNull(row.due_at)! }))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    await this.dispatcher.requeueDeadlines(redriven);
    return { redriven: redriven.map((row) => row.id) };
  }
}

/** The case's failed deadlines, each back to pending or settled as stale (see RedriveCaseDeadlines). */
const REDRIVE_FAILED_DEADLINES_SQL = `with failed as (
    select d.id, d.send_id,
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
           -- the reminder of a window that is no longer open: past its time whatever becomes of the window
           or (f.send_id like 'window.%' and not exists (select 1 from deadlines w where w.id::text = substr(f.send_id, 8) and w.status = 'pending'))
             as stale
      from failed f
  )
  update deadlines d
     set status = case when decided.stale then 'stale' else 'pending' end,
         settled_at = case when decided.stale then ?::timestamptz end
    from decided
   where d.id = decided.id
  returning d.id, d.case_id, d.status, d.due_at`;
