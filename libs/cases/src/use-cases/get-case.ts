import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { SqlTransactions } from '@app/db';
import { CASE_CLOCKS_SQL, clocksFromRows, SlaTracker } from '@app/sla';
import { agentIdOf, senderOf, type Actor } from '../actor';
import { CASE_SQL, caseFromRow, deadlineFromRow, LIVE_DEADLINES_SQL, type CaseRow, type DeadlineRow } from '../case-rows';
import { caseNotFound, isUuid } from '../errors';
import { toCaseView, type CaseView } from '../views/case-view';
import { caseViewExtrasByCaseIdStatement, caseViewExtrasOf } from '../views/case-view-extras';

/**
 * GET /v1/cases/:id, and the answers that show a case after a command of their own (opening a case,
 * assigning it, intake, merge; the CLI's seed reads through it too).
 * The case row, its live deadlines (pending, and SLA reminders sent), its SLA clocks and what the
 * view shows besides them (caseViewExtrasByCaseIdStatement) go out in one round trip on a pooled
 * connection (begin, the statements, commit), kept prepared, and become the same plain objects the
 * command path reads (case-rows.ts), so an event's answer and this read build the view from the same
 * rows. Through the ORM it took six round trips and the unit of work's hydration: an agent's read of
 * a case cost the API more than an event on it.
 */
@Injectable()
export class GetCase {
  constructor(
    private readonly sqlTransactions: SqlTransactions,
    private readonly sla: SlaTracker,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(caseId: string, actor: Actor): Promise<CaseView> {
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    // One snapshot for all of it: a breach or an event committing between two reads would show a
    // breached clock beside the case as it was before, or a deadline the case has already left.
    const [caseRows, deadlineRows, clockRows, [extrasRow]] = (await this.sqlTransactions.readAtOneSnapshot([
      ...[CASE_SQL, LIVE_DEADLINES_SQL, CASE_CLOCKS_SQL].map((statement) => ({ sql: statement, params: [caseId], prepared: true })),
      caseViewExtrasByCaseIdStatement(caseId, agentIdOf(actor)),
    ])) as [CaseRow[], DeadlineRow[], object[], object[]];
    const [caseRow] = caseRows;
    if (!caseRow) throw caseNotFound(caseId);
    const entity = caseFromRow(caseRow);
    const sla = await this.sla.forCase(entity);
    return toCaseView(
      entity,
      { deadlines: deadlineRows.map(deadlineFromRow), clocks: clocksFromRows(clockRows), extras: caseViewExtrasOf(extrasRow!), calendar: sla?.calendar, now: this.clock.now() },
      senderOf(actor, this.config.approvals.refundLimits),
    );
  }
}
