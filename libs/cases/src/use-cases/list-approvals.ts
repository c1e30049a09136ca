import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AgentEntity, CaseEntity, DeadlineEntity, decodeCursor, encodeCursor, isIsoInstant } from '@app/db';
import { allowedEvents, definitionFor, restoreSnapshot } from '@app/domain';
import { senderOf, type Actor } from '../actor';
import { APPROVAL_VERDICTS, approvalStates } from '../approvals/approval-verdicts';
import { isUuid } from '../errors';
import { toSummaryView, type CaseSummaryView } from '../views/case-view';

export const MAX_APPROVALS_PAGE = 100;

/** One proposal waiting for a second person, as the approvals queue shows it. */
export interface ApprovalView {
  case: CaseSummaryView;
  /** What is proposed: the machine's proposal (action, amount, reason, proposer). */
  proposal: {
    action: string | null;
    amountMinor: number | null;
    currency: string | null;
    reason: string | null;
    /** Balance corrections: whether the balance is credited or debited. */
    direction: 'credit' | 'debit' | null;
    proposedBy: { id: string; displayName: string } | null;
  };
  /** Since when it waits, and until when before it is escalated (null for machines without an approval deadline). */
  waitingSince: string;
  dueAt: string | null;
  overdue: boolean;
  /** The events the asking person may send to decide it (none for the proposer, or an approver below the amount). */
  decideWith: { approve: string | null; reject: string | null };
}

export interface ApprovalPage {
  items: ApprovalView[];
  nextCursor: string | null;
}

interface ProposalInContext {
  action?: string;
  amountMinor?: number;
  currency?: string | null;
  reason?: string;
  direction?: 'credit' | 'debit';
  proposedBy?: string | null;
}

/**
 * The supervisors' approvals queue: active cases resting in an approval state of their machine
 * version, longest waiting first (keyset-paginated on the case's last change), each with what is
 * proposed, by whom, its approval deadline and the events the asking person may decide it with.
 */
@Injectable()
export class ListApprovals {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: { cursor?: string; limit?: number }, actor: Actor): Promise<ApprovalPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_APPROVALS_PAGE);
    const states = approvalStates();
    const params: unknown[] = states.flatMap((s) => [s.kind, s.version, s.state]);
    let keyset = '';
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, 2, ([since, caseId]) => isIsoInstant(since!) && isUuid(caseId!));
      keyset = 'and (s.since, c.id) > (?::timestamptz, ?::uuid)';
      params.push(at, id);
    }
    const em = this.em.fork();
    // Waiting since the proposal: its approval deadline's creation (machines from the four-eyes
    // versions on), else the case's last change (older versions have no approval deadline). Not
    // updated_at alone: an escalation, an assignment or a note would reorder the queue and move rows
    // between pages under a reader's cursor.
    const rows: Array<{ id: string; since: Date | string }> = await em.getConnection().execute(
      `select c.id, s.since from cases c
        cross join lateral (
          select coalesce((select max(d.created_at) from deadlines d where d.case_id = c.id and d.name = 'approvalWindow'), c.updated_at) as since
        ) s
        where c.status = 'active' and (c.kind, c.machine_version, c.state) in (${states.map(() => '(?, ?, ?)').join(', ')}) ${keyset}
        order by s.since, c.id limit ${limit + 1}`,
      params,
    );
    const ids = rows.slice(0, limit).map((row) => row.id);
    if (ids.length === 0) return { items: [], nextCursor: null };

    const sinceOf = new Map(rows.map((row) => [row.id, new Date(row.since)]));
    const byId = new Map((await em.find(CaseEntity, { id: { $in: ids } }, { populate: ['assignee'] })).map((entity) => [entity.id, entity]));
    const cases = ids.map((id) => byId.get(id)!);
    const deadlines = await em.find(DeadlineEntity, { caseId: { $in: ids }, name: 'approvalWindow', status: { $in: ['pending', 'fired'] } }, { orderBy: { createdAt: 'desc' } });
    const deadlineOf = new Map<string, DeadlineEntity>();
    for (const deadline of deadlines) if (!deadlineOf.has(deadline.caseId)) deadlineOf.set(deadline.caseId, deadline);
    const proposals = new Map(
      cases.map((entity) => [entity.id, ((entity.snapshot as { context?: { proposal?: ProposalInContext } }).context?.proposal ?? {}) as ProposalInContext]),
    );
    const proposerIds = [...new Set([...proposals.values()].map((p) => p.proposedBy).filter((id): id is string => typeof id === 'string' && isUuid(id)))];
    const proposers = proposerIds.length ? await em.find(AgentEntity, { id: { $in: proposerIds } }) : [];
    const nameOf = new Map(proposers.map((agent) => [agent.id, agent.displayName]));
    const sender = senderOf(actor, this.config.approvals.refundLimits);

    const items = cases.map((entity): ApprovalView => {
      const proposal = proposals.get(entity.id)!;
      const deadline = deadlineOf.get(entity.id);
      const definition = definitionFor(entity.kind, entity.machineVersion);
      const allowed = allowedEvents(definition, restoreSnapshot(definition, entity.snapshot as never), sender);
      // The case's money: disputes and refunds keep it in `amount`, balance discrepancies in `reported`.
      const context = (entity.snapshot as { context?: { amount?: { currency?: string }; reported?: { currency?: string }; approvalOverdue?: boolean } }).context;
      return {
        case: toSummaryView(entity),
        proposal: {
          action: proposal.action ?? null,
          amountMinor: typeof proposal.amountMinor === 'number' ? proposal.amountMinor : null,
          currency: proposal.currency ?? context?.amount?.currency ?? context?.reported?.currency ?? null,
          reason: proposal.reason ?? null,
          direction: proposal.direction ?? null,
          proposedBy: proposal.proposedBy ? { id: proposal.proposedBy, displayName: nameOf.get(proposal.proposedBy) ?? proposal.proposedBy } : null,
        },
        waitingSince: sinceOf.get(entity.id)!.toISOString(),
        dueAt: deadline?.dueAt.toISOString() ?? null,
        overdue: context?.approvalOverdue === true,
        decideWith: {
          approve: allowed.find((type) => APPROVAL_VERDICTS[type] === 'approved') ?? null,
          reject: allowed.find((type) => APPROVAL_VERDICTS[type] === 'rejected') ?? null,
        },
      };
    });
    const last = cases[cases.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([sinceOf.get(last.id)!.toISOString(), last.id]) : null,
    };
  }
}
