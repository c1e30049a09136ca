import type { CaseEntity, DeadlineEntity, RefundStatus, SlaClockEntity } from '@app/db';
import type { MerchantReachability } from '../merchant-reachability';
import type { CaseViewExtras, RefundViewSource } from './case-view-extras';
import {
  allowedEvents,
  businessMinutesBetween,
  canonicalDisputeReason,
  customerEvidenceItems,
  definitionFor,
  disputeCounterpartyOf,
  evidenceRequirementsStatus,
  minutesLeftAt,
  restoreSnapshot,
  type BusinessCalendar,
  type CaseMachineDefinition,
  type DisputeCounterparty,
  type EventSender,
  type EvidenceRequirementsStatus,
} from '@app/domain';
import { toContactView, type CustomerContactView } from '../customer-contact/customer-contact-record';

export interface DeadlineView {
  id: string;
  name: string;
  label: string;
  dueAt: string;
  /** The machine event that fires at dueAt. */
  event: string;
  /** Working minutes left on the case's SLA calendar (null without a policy). */
  businessMinutesLeft: number | null;
}

export interface SlaClockView {
  target: string;
  status: string;
  mode: 'calendar' | 'business';
  targetMinutes: number;
  /** When it breaches if it keeps running; null while paused or finished. */
  dueAt: string | null;
  /** In the clock's own mode; negative when overdue. */
  minutesLeft: number;
  paused: boolean;
  metAt: string | null;
  breachedAt: string | null;
  remindersSent: string[];
}

/** One refund sent to the wallet for the case, as the wallet last reported it. */
export interface RefundView {
  id: string;
  attempt: number;
  amountMinor: number;
  currency: string;
  /** requested → processing (the wallet took it, the money is on its way) → succeeded | failed. */
  status: RefundStatus;
  /** The wallet's refund id, once it answered. */
  walletRefundId: string | null;
  /** While processing: when the money is expected to arrive (bank card refunds take days). */
  expectedArrivalAt: string | null;
  failureReason: string | null;
  createdAt: string;
  settledAt: string | null;
}

export function toRefundView(refund: RefundViewSource): RefundView {
  return {
    id: refund.id,
    attempt: refund.attempt,
    amountMinor: Number(refund.amountMinor),
    currency: refund.currency,
    status: refund.status,
    walletRefundId: refund.gatewayRefundId,
    expectedArrivalAt: refund.expectedArrivalAt?.toISOString() ?? null,
    failureReason: refund.failureReason,
    createdAt: refund.createdAt.toISOString(),
    settledAt: refund.settledAt?.toISOString() ?? null,
  };
}

export interface CaseSummaryView {
  id: string;
  kind: string;
  state: string;
  status: 'active' | 'done';
  version: number;
  priority: string;
  channel: string;
  subject: string;
  customer: { id: string; name: string | null };
  merchantId: string | null;
  /** False for a test-mode case (a merchant's test helpers made it): no real money, customer or wallet is involved. */
  livemode: boolean;
  /** The test clock whose time the test case lives on, if any. */
  testClockId: string | null;
  transactionRef: string | null;
  amount: { amountMinor: number; currency: string } | null;
  assignee: { id: string; displayName: string } | null;
  nextDeadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseView extends CaseSummaryView {
  machineVersion: number;
  description: string | null;
  /** The machine's context: decisions, refunded amount, open information requests, … */
  details: unknown;
  /**
   * Events the asking actor may send now, straight from the machine's `can()`, except
   * FORWARD_TO_MERCHANT while the merchant cannot be reached (the command would refuse it).
   */
  allowedEvents: string[];
  /**
   * Disputes only (null otherwise): whether the merchant would hear of the dispute if it were
   * forwarded (registered, with an active API key or an enabled webhook endpoint), and if not, why.
   */
  merchantReachability: MerchantReachability | null;
  /**
   * Disputes only (null otherwise): the reason as it is called now, who the dispute is against, and
   * each side's evidence requirements against what it has handed in (merchant null when there is none).
   */
  evidenceRequirements: {
    reason: string;
    counterparty: DisputeCounterparty;
    merchant: EvidenceRequirementsStatus | null;
    customer: EvidenceRequirementsStatus | null;
  } | null;
  deadlines: DeadlineView[];
  sla: { policyId: string; clocks: SlaClockView[] } | null;
  escalatedAt: string | null;
  /** The customer's rating once given (customer API). */
  customerRating: { score: number; comment: string | null; createdAt: string } | null;
  /** The case's refunds at the wallet, oldest first. */
  refunds: RefundView[];
  /** How the customer is reached, masked (POST …/customer-contact/reveal shows it in full, audited). */
  customerContact: CustomerContactView | null;
}

export interface CaseViewInputs {
  deadlines: DeadlineEntity[];
  clocks: SlaClockEntity[];
  calendar: BusinessCalendar | undefined;
  now: Date;
  /** The rows the view shows besides the case's own (case-view-extras.ts). */
  extras: CaseViewExtras;
}

export function toSummaryView(entity: CaseEntity): CaseSummaryView {
  return {
    id: entity.id,
    kind: entity.kind,
    state: entity.state,
    status: entity.status,
    version: entity.version,
    priority: entity.priority,
    channel: entity.channel,
    subject: entity.subject,
    customer: { id: entity.customerId, name: entity.customerName },
    merchantId: entity.merchantId,
    livemode: entity.livemode,
    testClockId: entity.testClockId,
    transactionRef: entity.transactionRef,
    amount: entity.amountMinor === null || entity.currency === null ? null : { amountMinor: Number(entity.amountMinor), currency: entity.currency },
    assignee: entity.assignee ? { id: entity.assignee.id, displayName: entity.assignee.displayName } : null,
    nextDeadlineAt: entity.nextDeadlineAt?.toISOString() ?? null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/**
 * The events a sender is offered on a case, in its view and in a refused event's answer: what the
 * machine allows them, held to what is left of their limit on the case's wallet transaction
 * (`decidedAloneMinor`), without the forward while the dispute's merchant cannot be reached (it
 * would be refused).
 */
export function offeredEvents(
  definition: CaseMachineDefinition,
  snapshot: ReturnType<typeof restoreSnapshot>,
  sender: EventSender,
  offer: { decidedAloneMinor: number; merchantReachability: MerchantReachability | null },
): string[] {
  const allowed = allowedEvents(definition, snapshot, sender, offer.decidedAloneMinor);
  return offer.merchantReachability && !offer.merchantReachability.reachable ? allowed.filter((type) => type !== 'FORWARD_TO_MERCHANT') : allowed;
}

export function toCaseView(entity: CaseEntity, inputs: CaseViewInputs, sender: EventSender): CaseView {
  const { deadlines, clocks, calendar, now } = inputs;
  const definition = definitionFor(entity.kind, entity.machineVersion);
  const snapshot = restoreSnapshot(definition, entity.snapshot as never);
  const evidence = evidenceRequirementsOf(entity, inputs.extras.evidenceItems);
  // A dispute with another wallet user has no merchant to reach, and that is no fault to show.
  const merchantReachability = evidence?.counterparty === 'wallet_user' ? null : inputs.extras.merchantReachability;
  return {
    ...toSummaryView(entity),
    // Read with the extras (the case entity's assignee may be a bare reference).
    assignee: inputs.extras.assignee,
    machineVersion: entity.machineVersion,
    description: entity.description,
    details: (entity.snapshot as { context: unknown }).context,
    allowedEvents: entity.status === 'done' ? [] : offeredEvents(definition, snapshot, sender, { decidedAloneMinor: inputs.extras.decidedAloneMinor, merchantReachability }),
    merchantReachability,
    evidenceRequirements: evidence,
    deadlines: deadlines
      .filter((deadline) => deadline.status === 'pending' && deadline.kind === 'machine')
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map((deadline) => ({
        id: deadline.id,
        name: deadline.name,
        label: definition.deadlines[deadline.name]?.label ?? deadline.name,
        dueAt: deadline.dueAt.toISOString(),
        event: deadline.event.type,
        businessMinutesLeft: calendar ? Math.round(businessMinutesBetween(calendar, now, deadline.dueAt)) : null,
      })),
    sla:
      entity.slaPolicyId && calendar
        ? {
            policyId: entity.slaPolicyId,
            clocks: clocks.map((clock) => ({
              target: clock.target,
              status: clock.status,
              mode: clock.mode,
              targetMinutes: clock.minutes,
              dueAt: clock.dueAt?.toISOString() ?? null,
              minutesLeft: roundTo100th(
                minutesLeftAt(
                  { target: { minutes: clock.minutes, mode: clock.mode }, status: clock.status, usedMinutes: clock.usedMinutes, runningSince: clock.runningSince },
                  calendar,
                  now,
                ),
              ),
              paused: clock.status === 'paused',
              metAt: clock.metAt?.toISOString() ?? null,
              breachedAt: clock.breachedAt?.toISOString() ?? null,
              // In the order they came due: the rows come in no order of their own.
              remindersSent: deadlines
                .filter((d) => d.slaClockId === clock.id && d.status === 'fired' && d.name !== 'breach')
                .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
                .map((d) => d.name),
            })),
          }
        : null,
    escalatedAt: entity.escalatedAt?.toISOString() ?? null,
    refunds: inputs.extras.refunds.map(toRefundView),
    customerContact: toContactView(inputs.extras.contact),
    customerRating: ratingView(inputs.extras.rating),
  };
}

/** A dispute's reason as it is called now, who it is against, and each side's evidence against its requirements; null for other kinds. */
function evidenceRequirementsOf(entity: CaseEntity, items: CaseViewExtras['evidenceItems']): CaseView['evidenceRequirements'] {
  if (entity.kind !== 'dispute') return null;
  const reason = (entity.snapshot as { context: { reason: string } }).context.reason;
  return {
    reason: canonicalDisputeReason(reason) ?? reason,
    counterparty: disputeCounterpartyOf(reason),
    merchant: evidenceRequirementsStatus(reason, 'merchant', items.merchant),
    customer: evidenceRequirementsStatus(reason, 'customer', customerEvidenceItems(items.customer, entity.transactionRef)),
  };
}

/** Hundredths of a minute: whole minutes would hide the difference on short targets. */
function roundTo100th(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

function ratingView(rating: { score: number; comment: string | null; createdAt: Date } | null): CaseView['customerRating'] {
  return rating ? { score: rating.score, comment: rating.comment, createdAt: rating.createdAt.toISOString() } : null;
}
