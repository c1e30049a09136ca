import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, OutboxEntity } from '@app/db';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { caseNotFound, isUuid } from '../errors';

/**
 * For supervisors: sends a case's failed effects (a refund whose gateway was down for longer than
 * the job's retries) through the workers again. Each keeps its outbox id, so the refund keeps its
 * idempotency and is never paid twice; without this the case would wait in `refunding.pending`.
 */
@Injectable()
export class RedriveCaseEffects {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
  ) {}

  async execute(caseId: string): Promise<{ redriven: string[] }> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const em = this.em.fork();
    if (!(await em.count(CaseEntity, { id: caseId }))) throw caseNotFound(caseId);
    const rows = await em.find(OutboxEntity, { caseId, status: 'failed' }, { orderBy: { createdAt: 'asc' } });
    if (rows.length === 0) return { redriven: [] };
    await em.nativeUpdate(OutboxEntity, { id: { $in: rows.map((row) => row.id) }, status: 'failed' }, { status: 'pending', attempts: 0, relays: 0 });
    await this.dispatcher.requeueEffects(rows);
    return { redriven: rows.map((row) => row.id) };
  }
}
