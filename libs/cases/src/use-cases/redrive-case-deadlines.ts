import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, DeadlineEntity } from '@app/db';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid } from '../errors';

/**
 * For supervisors: puts a case's failed deadlines (their job gave up, e.g. the database was down
 * for longer than its retries) back to pending and on BullMQ. The firing is the usual one: a
 * deadline whose state the case has left meanwhile settles as stale and changes nothing, and so
 * does one whose state the case left and entered again since (FireDeadline: the new stay's row
 * supersedes it) or an SLA alarm of a clock that paused and ran again since (the new run has
 * alarms of its own).
 */
@Injectable()
export class RedriveCaseDeadlines {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
  ) {}

  async execute(caseId: string): Promise<{ redriven: string[] }> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const em = this.em.fork();
    if (!(await em.count(CaseEntity, { id: caseId }))) throw caseNotFound(caseId);
    const rows = await em.find(DeadlineEntity, { caseId, status: 'failed' }, { orderBy: { dueAt: 'asc' } });
    if (rows.length === 0) return { redriven: [] };
    await em.nativeUpdate(DeadlineEntity, { id: { $in: rows.map((row) => row.id) }, status: 'failed' }, { status: 'pending' });
    await this.dispatcher.requeueDeadlines(rows);
    return { redriven: rows.map((row) => row.id) };
  }
}
