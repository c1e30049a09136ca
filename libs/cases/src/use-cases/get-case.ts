import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { CaseEntity, DeadlineEntity, SlaClockEntity, sqlSessionOf } from '@app/db';
import { SlaTracker } from '@app/sla';
import { agentIdOf, senderOf, type Actor } from '../actor';
import { caseNotFound, isUuid } from '../errors';
import { toCaseView, type CaseView } from '../views/case-view';
import { readCaseViewExtras } from '../views/case-view-extras';

@Injectable()
export class GetCase {
  constructor(
    private readonly em: EntityManager,
    private readonly sla: SlaTracker,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(caseId: string, actor: Actor): Promise<CaseView> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    // One snapshot for the three reads: a breach or an event committing between them must not show
    // a breached clock beside the case as it was before (or a deadline the case has already left).
    const { entity, deadlines, clocks, extras } = await this.em.fork().transactional(
      async (em) => {
        const entity = await em.findOne(CaseEntity, { id: caseId });
        if (!entity) throw caseNotFound(caseId);
        // Pending deadlines, plus fired SLA alarms (the reminders already sent).
        const deadlines = await em.find(DeadlineEntity, { caseId, $or: [{ status: 'pending' }, { kind: 'sla', status: 'fired' }] });
        const clocks = await em.find(SlaClockEntity, { caseId }, { orderBy: { target: 'asc' } });
        return { entity, deadlines, clocks, extras: await readCaseViewExtras(sqlSessionOf(em), entity, agentIdOf(actor)) };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
    const sla = await this.sla.forCase(entity);
    return toCaseView(entity, { deadlines, clocks, extras, calendar: sla?.calendar, now: this.clock.now() }, senderOf(actor, this.config.approvals.refundLimits));
  }
}
