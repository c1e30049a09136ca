import type { CaseEntity, DeadlineEntity, OutboxRow } from '@app/db';
import type { MessageValues } from '../templates/render';
import { formatYuan } from '../templates/render';

interface DecisionLike {
  outcome?: string;
  amountMinor?: number;
}

/** Short, stable and readable on a phone: the first 8 hex digits of the case id. */
export function caseNumberOf(caseId: string): string {
  return caseId.replace(/-/g, '').slice(0, 8).toUpperCase();
}

/**
 * The arguments of a customer message, taken from the outbox row (what the transition said) and
 * the case as it is when the row is handled (amount, open question, last decision, the pending
 * information window).
 */
export function messageValuesFor(row: OutboxRow, theCase: CaseEntity, pending: DeadlineEntity[]): MessageValues {
  const context = ((theCase.snapshot as { context?: Record<string, unknown> }).context ?? {}) as {
    openInfoRequest?: { question?: string } | null;
    decisions?: DecisionLike[];
  };
  const lastDecision = context.decisions?.at(-1);
  const infoWindow = pending
    .filter((deadline) => deadline.kind === 'machine' && deadline.status === 'pending' && deadline.name === 'infoReplyWindow')
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const dueAt = row.payload.replyDueBy ?? row.payload.firstResponseDueAt ?? infoWindow?.dueAt.toISOString() ?? null;
  // A refund's own amount and expected arrival when the row names them (refund.sent), else the decision's.
  const refundMinor = typeof row.payload.amountMinor === 'number' ? row.payload.amountMinor : (lastDecision?.amountMinor ?? 0);
  const expectedBy = typeof row.payload.expectedArrivalAt === 'string' ? row.payload.expectedArrivalAt : null;
  return {
    caseNumber: caseNumberOf(theCase.id),
    kind: theCase.kind,
    name: theCase.customerName ?? '',
    amount: theCase.amountMinor === null ? '' : formatYuan(Number(theCase.amountMinor)),
    hasDue: dueAt ? 'yes' : 'no',
    dueAt: new Date(typeof dueAt === 'string' ? dueAt : 0),
    question: context.openInfoRequest?.question ?? String(row.payload.question ?? ''),
    outcome: lastDecision?.outcome ?? 'other',
    refundAmount: formatYuan(refundMinor),
    hasExpected: expectedBy ? 'yes' : 'no',
    expectedBy: new Date(expectedBy ?? 0),
    body: String(row.payload.body ?? ''),
  };
}
