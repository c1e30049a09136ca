import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, CaseRatingEntity, DeadlineEntity, RefundEntity, SlaClockEntity, UUID_PATTERN } from '@app/db';
import {
  DEFAULT_BUSINESS_CALENDAR,
  DomainError,
  DomainErrorCode,
  allowedEvents,
  businessMinutesBetween,
  definitionFor,
  restoreSnapshot,
  type BusinessCalendar,
  type EvidenceRequirementsStatus,
} from '@app/domain';
import { customerEvidenceCategories, customerEvidenceStatus } from './customer-evidence-requirements';
import { UNDECIDED_STATUSES, customerStatusOf, type CustomerStatus } from './customer-status';
import { CUSTOMER_TEXTS, fill, formatDue, formatMoney, type CustomerLocale, type NextStep, type OutcomeText } from './customer-texts';

/** What a customer may do now; each is one POST of the customer API. */
export type CustomerAction = 'reply_to_info_request' | 'add_evidence' | 'withdraw' | 'appeal' | 'rate';

export interface CustomerMoneyView {
  amount_minor: number;
  currency: string;
  /** The amount as the customer reads it, in their language. */
  text: string;
}

export interface CustomerCaseView {
  id: string;
  kind: string;
  /** The kind of case in the customer's language. */
  kind_text: string;
  subject: string;
  transaction_ref: string | null;
  locale: CustomerLocale;
  status: { code: CustomerStatus; text: string };
  /** What happens next and by when (a deadline, or the SLA target on the case's business calendar). */
  next_step: { code: NextStep; text: string; due_at: string | null; working_hours_left: number | null } | null;
  /** What we are waiting for from the customer, if anything. */
  waiting_for: { what: 'information'; question: string; due_at: string | null } | null;
  amounts: { claimed: CustomerMoneyView | null; refunded: CustomerMoneyView | null; refund_in_progress: CustomerMoneyView | null };
  /** A refund on its way at the bank: when the wallet expects it to arrive. */
  refund_expected_by: string | null;
  outcome: { code: OutcomeText; text: string } | null;
  allowed_actions: CustomerAction[];
  rating: { score: number; comment: string | null; created_at: string } | null;
  /**
   * A dispute's evidence from the customer's side: what its reason requires and allows, what has
   * been handed in, and what is missing (an answer to our question is refused while it stays missing). Null for other kinds.
   */
  evidence_requirements: EvidenceRequirementsStatus | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerViewInputs {
  deadlines: DeadlineEntity[];
  clocks: SlaClockEntity[];
  calendar: BusinessCalendar | undefined;
  rating: Pick<CaseRatingEntity, 'score' | 'comment' | 'createdAt'> | null;
  /** The wallet's expected arrival of a refund on its way, if one is. */
  refundExpectedBy?: Date | null;
  /** The categories of the customer's evidence files on the case. */
  customerEvidence?: readonly string[];
  now: Date;
  locale: CustomerLocale;
}

/** Kinds whose customer hands in evidence through the API: a dispute or a refund request while undecided. */
const EVIDENCE_KINDS = new Set(['dispute', 'refund_request']);

/**
 * Another customer's case and a missing one are the same answer (the same code, message and
 * details as the engine's own 404), so a customer cannot learn which case ids exist.
 */
export function customerCaseNotFound(caseId: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
}

/** Whether an id from a URL can name a case at all (anything else is a 404 without a read). */
export const isCaseId = (caseId: string): boolean => UUID_PATTERN.test(caseId);

/** Loads a case only if it is the customer's own; anything else is the same 404. */
export async function findCustomerCase(em: EntityManager, customerId: string, caseId: string): Promise<CaseEntity> {
  const entity = isCaseId(caseId) ? await em.findOne(CaseEntity, { id: caseId, customerId }) : null;
  if (!entity) throw customerCaseNotFound(caseId);
  return entity;
}

type Context = {
  amount?: { amountMinor: number; currency: string };
  refundedMinor?: number;
  pendingRefundMinor?: number;
  openInfoRequest?: { from?: 'customer' | 'merchant'; question: string } | null;
  decisions?: Array<{ outcome: string }>;
  decision?: { outcome: string } | null;
};

const OUTCOMES: readonly string[] = ['full_refund', 'partial_refund', 'rejected'];

/** The customer may appeal while the machine allows it and the appeal window's deadline is still ahead. */
export function appealWindowOpen(deadlines: DeadlineEntity[], now: Date): boolean {
  const window = deadlines.find((deadline) => deadline.kind === 'machine' && deadline.status === 'pending' && deadline.name === 'appealWindow');
  return window !== undefined && window.dueAt.getTime() > now.getTime();
}

export function customerActionsOf(entity: CaseEntity, deadlines: DeadlineEntity[], rated: boolean, now: Date): CustomerAction[] {
  const status = customerStatusOf(entity.kind, entity.state);
  const actions: CustomerAction[] = [];
  if (entity.status === 'active') {
    const definition = definitionFor(entity.kind, entity.machineVersion);
    const allowed = allowedEvents(definition, restoreSnapshot(definition, entity.snapshot as never), { kind: 'customer' });
    if (allowed.includes('CUSTOMER_INFO_PROVIDED')) actions.push('reply_to_info_request');
    if (EVIDENCE_KINDS.has(entity.kind) && UNDECIDED_STATUSES.includes(status)) actions.push('add_evidence');
    if (allowed.includes('WITHDRAW')) actions.push('withdraw');
    if (allowed.includes('APPEAL') && appealWindowOpen(deadlines, now)) actions.push('appeal');
  }
  if ((status === 'resolved' || status === 'closed') && !rated) actions.push('rate');
  return actions;
}

function nextStepOf(status: CustomerStatus, canAppeal: boolean): NextStep | null {
  switch (status) {
    case 'received':
      return 'agent_will_look';
    case 'waiting_for_merchant':
      return 'merchant_must_answer';
    case 'waiting_for_you':
      return 'answer_our_question';
    case 'in_review':
      return 'we_are_reviewing';
    case 'appeal_in_review':
      return 'we_are_reviewing_appeal';
    case 'refund_in_progress':
      return 'refund_on_its_way';
    case 'resolved':
      return canAppeal ? 'you_may_appeal' : 'case_will_close';
    case 'answered':
      return 'reply_if_needed';
    case 'closed':
    case 'withdrawn':
      return null;
  }
}

/**
 * When the next step is due: the machine's own deadline for it (the merchant's window, our
 * question's, the appeal window) or, while we work, the SLA clock's target on the case's business
 * calendar (first response, then resolution).
 */
function dueOf(step: NextStep, deadlines: DeadlineEntity[], clocks: SlaClockEntity[]): Date | null {
  const machine = deadlines
    .filter((deadline) => deadline.kind === 'machine' && deadline.status === 'pending' && deadline.name !== 'refundRetryBackoff')
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const clock = (target: string) => clocks.find((c) => c.target === target && c.status === 'running' && c.dueAt)?.dueAt ?? null;
  switch (step) {
    case 'agent_will_look':
      return clock('firstResponse') ?? clock('resolution');
    case 'we_are_reviewing':
    case 'we_are_reviewing_appeal':
      return clock('resolution');
    case 'refund_on_its_way':
      return null;
    default:
      return machine[0]?.dueAt ?? null;
  }
}

function money(amountMinor: number | undefined, currency: string | undefined, locale: CustomerLocale): CustomerMoneyView | null {
  if (amountMinor === undefined || !currency) return null;
  return { amount_minor: amountMinor, currency, text: formatMoney(amountMinor, currency, locale) };
}

export function toCustomerCaseView(entity: CaseEntity, inputs: CustomerViewInputs): CustomerCaseView {
  const { deadlines, clocks, rating, now, locale } = inputs;
  const calendar = inputs.calendar ?? DEFAULT_BUSINESS_CALENDAR;
  const texts = CUSTOMER_TEXTS[locale];
  const context = ((entity.snapshot as { context?: Context }).context ?? {}) as Context;
  const status = customerStatusOf(entity.kind, entity.state);
  const actions = customerActionsOf(entity, deadlines, rating !== null, now);

  const currency = context.amount?.currency ?? entity.currency ?? undefined;
  const claimed = money(context.amount?.amountMinor ?? (entity.amountMinor === null ? undefined : Number(entity.amountMinor)), currency, locale);
  const refunded = typeof context.refundedMinor === 'number' && context.refundedMinor > 0 ? money(context.refundedMinor, currency, locale) : null;
  const inFlight =
    status === 'refund_in_progress' && typeof context.pendingRefundMinor === 'number' && context.pendingRefundMinor > 0
      ? money(context.pendingRefundMinor, currency, locale)
      : null;

  const step = nextStepOf(status, actions.includes('appeal'));
  const due = step ? dueOf(step, deadlines, clocks) : null;
  const template = step ? texts.next[step][due ? 'due' : 'open'] : null;
  const dueText = due ? formatDue(due, locale, calendar.timeZone) : '';

  const question = status === 'waiting_for_you' && context.openInfoRequest && context.openInfoRequest.from !== 'merchant' ? context.openInfoRequest.question : null;
  const lastOutcome = context.decisions?.[context.decisions.length - 1]?.outcome ?? context.decision?.outcome;
  const outcome = lastOutcome && OUTCOMES.includes(lastOutcome) && status !== 'appeal_in_review' ? (lastOutcome as OutcomeText) : null;

  return {
    id: entity.id,
    kind: entity.kind,
    kind_text: texts.kind[entity.kind],
    subject: entity.subject,
    transaction_ref: entity.transactionRef,
    locale,
    status: { code: status, text: texts.status[status] },
    next_step:
      step && template
        ? {
            code: step,
            text: fill(template, { due: dueText, amount: inFlight?.text ?? claimed?.text ?? '' }),
            due_at: due?.toISOString() ?? null,
            working_hours_left: due ? Math.round(businessMinutesBetween(calendar, now, due) / 6) / 10 : null,
          }
        : null,
    waiting_for: question ? { what: 'information', question, due_at: due?.toISOString() ?? null } : null,
    amounts: { claimed, refunded, refund_in_progress: inFlight },
    refund_expected_by: inFlight && inputs.refundExpectedBy ? inputs.refundExpectedBy.toISOString() : null,
    outcome: outcome ? { code: outcome, text: texts.outcome[outcome] } : null,
    allowed_actions: actions,
    rating: rating ? { score: rating.score, comment: rating.comment, created_at: rating.createdAt.toISOString() } : null,
    evidence_requirements: customerEvidenceStatus(entity, inputs.customerEvidence ?? []),
    created_at: entity.createdAt.toISOString(),
    updated_at: entity.updatedAt.toISOString(),
  };
}

/** Everything the view needs besides the case row, read in the caller's (read-only) transaction. */
export async function loadCustomerViewRows(em: EntityManager, caseIds: string[]) {
  // One after the other: a transaction is one connection, which runs one query at a time (pg 9
  // refuses a query sent while another runs).
  const deadlines = await em.find(DeadlineEntity, { caseId: { $in: caseIds }, status: 'pending', kind: 'machine' });
  const clocks = await em.find(SlaClockEntity, { caseId: { $in: caseIds } });
  const ratings = await em.find(CaseRatingEntity, { caseId: { $in: caseIds } });
  const refunds = await em.find(RefundEntity, { caseId: { $in: caseIds }, status: 'processing' }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  const evidence = await customerEvidenceCategories(em, caseIds);
  return {
    deadlinesOf: (id: string) => deadlines.filter((d) => d.caseId === id),
    clocksOf: (id: string) => clocks.filter((c) => c.caseId === id),
    ratingOf: (id: string) => ratings.find((r) => r.caseId === id) ?? null,
    /** When the refund the bank is processing is expected to arrive (the wallet's estimate). */
    refundExpectedByOf: (id: string) => refunds.find((r) => r.caseId === id)?.expectedArrivalAt ?? null,
    customerEvidenceOf: (id: string) => evidence.get(id) ?? [],
  };
}
