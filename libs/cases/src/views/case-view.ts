import type { CaseEntity, DeadlineEntity } from '@app/db';
import { allowedEvents, definitionFor, restoreSnapshot, type EventSender } from '@app/domain';

export interface DeadlineView {
  id: string;
  name: string;
  label: string;
  dueAt: string;
  /** The machine event that fires at dueAt. */
  event: string;
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
  /** Events the asking actor may send now, straight from the machine's `can()`. */
  allowedEvents: string[];
  deadlines: DeadlineView[];
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
    transactionRef: entity.transactionRef,
    amount: entity.amountMinor === null || entity.currency === null ? null : { amountMinor: Number(entity.amountMinor), currency: entity.currency },
    assignee: entity.assignee ? { id: entity.assignee.id, displayName: entity.assignee.displayName } : null,
    nextDeadlineAt: entity.nextDeadlineAt?.toISOString() ?? null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toCaseView(entity: CaseEntity, deadlines: DeadlineEntity[], sender: EventSender): CaseView {
  const definition = definitionFor(entity.kind, entity.machineVersion);
  const snapshot = restoreSnapshot(definition, entity.snapshot as never);
  return {
    ...toSummaryView(entity),
    machineVersion: entity.machineVersion,
    description: entity.description,
    details: (entity.snapshot as { context: unknown }).context,
    allowedEvents: entity.status === 'done' ? [] : allowedEvents(definition, snapshot, sender),
    deadlines: deadlines
      .filter((deadline) => deadline.status === 'pending')
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map((deadline) => ({
        id: deadline.id,
        name: deadline.name,
        label: definition.deadlines[deadline.name]?.label ?? deadline.name,
        dueAt: deadline.dueAt.toISOString(),
        event: deadline.event.type,
      })),
  };
}
