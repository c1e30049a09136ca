import { AgentEntity, CaseEntity, DeadlineEntity, timestampOrNull, type RawTimestamp } from '@app/db';

/**
 * A case's own rows as the command path and the case view read them, in plain SQL, and the plain
 * entity objects made of them (outside MikroORM's unit of work: lock-case.ts says why). The
 * columns are named, not `*`: the statements are kept prepared, and a column a migration adds
 * would change a kept statement's result, which PostgreSQL refuses.
 */
const CASE_COLUMNS = `id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, description,
  customer_id, customer_name, merchant_id, livemode, test_clock_id, transaction_ref, amount_minor, currency, assignee_id, sla_policy_id,
  escalated_at, next_deadline_at, created_at, updated_at`;

/** A deadline row's columns, in the order deadlineFromRow reads them. */
export const DEADLINE_SELECT_LIST = 'd.id, d.case_id, d.kind, d.sla_clock_id, d.name, d.send_id, d.event, d.due_at, d.status, d.created_at, d.settled_at';

/** The case row. One parameter: the case id. It ends with its `where`: readers add to it (`for update`, `and customer_id = ?`). */
export const CASE_SQL = `select ${CASE_COLUMNS}
  from cases where id = ?`;

/**
 * The case's live deadlines: pending ones, and SLA alarms that fired (the case view lists the
 * reminders sent). One parameter: the case id.
 */
export const LIVE_DEADLINES_SQL = `select ${DEADLINE_SELECT_LIST}
  from deadlines d where d.case_id = ? and (d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired'))`;

export interface CaseRow {
  id: string;
  kind: CaseEntity['kind'];
  machine_version: number;
  state: string;
  status: CaseEntity['status'];
  snapshot: Record<string, unknown>;
  machine_input: unknown;
  version: number;
  priority: CaseEntity['priority'];
  channel: CaseEntity['channel'];
  subject: string;
  description: string | null;
  customer_id: string;
  customer_name: string | null;
  merchant_id: string | null;
  livemode: boolean;
  test_clock_id: string | null;
  transaction_ref: string | null;
  /** bigint: the driver returns it as a string. */
  amount_minor: string | number | null;
  currency: string | null;
  assignee_id: string | null;
  sla_policy_id: string | null;
  escalated_at: RawTimestamp | null;
  next_deadline_at: RawTimestamp | null;
  created_at: RawTimestamp;
  updated_at: RawTimestamp;
}

export interface DeadlineRow {
  id: string;
  case_id: string;
  kind: DeadlineEntity['kind'];
  sla_clock_id: string | null;
  name: string;
  send_id: string;
  event: DeadlineEntity['event'];
  due_at: RawTimestamp;
  status: DeadlineEntity['status'];
  created_at: RawTimestamp;
  settled_at: RawTimestamp | null;
}

const toDate = (value: RawTimestamp): Date => new Date(value);

export function caseFromRow(row: CaseRow): CaseEntity {
  return Object.assign(new CaseEntity(), {
    id: row.id,
    kind: row.kind,
    machineVersion: row.machine_version,
    state: row.state,
    status: row.status,
    snapshot: row.snapshot,
    machineInput: row.machine_input,
    version: row.version,
    priority: row.priority,
    channel: row.channel,
    subject: row.subject,
    description: row.description,
    customerId: row.customer_id,
    customerName: row.customer_name,
    merchantId: row.merchant_id,
    livemode: row.livemode,
    testClockId: row.test_clock_id,
    transactionRef: row.transaction_ref,
    amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
    currency: row.currency,
    // Only the id (the rest of this stand-in is defaults): a caller that shows the assignee loads it (SendCaseEvent's view does).
    assignee: row.assignee_id ? Object.assign(new AgentEntity(), { id: row.assignee_id }) : null,
    slaPolicyId: row.sla_policy_id,
    escalatedAt: timestampOrNull(row.escalated_at),
    nextDeadlineAt: timestampOrNull(row.next_deadline_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  });
}

export function deadlineFromRow(row: DeadlineRow): DeadlineEntity {
  return Object.assign(new DeadlineEntity(), {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    slaClockId: row.sla_clock_id,
    name: row.name,
    sendId: row.send_id,
    event: row.event,
    dueAt: toDate(row.due_at),
    status: row.status,
    createdAt: toDate(row.created_at),
    settledAt: timestampOrNull(row.settled_at),
  });
}
