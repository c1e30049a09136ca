import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * `failed`: BullMQ gave up on its job; a supervisor redrives it (POST /v1/cases/:id/deadlines/redrive).
 * `refused`: a deadline-driven decision the refund ledger refused (the case went to a supervisor).
 */
export type DeadlineStatus = 'pending' | 'fired' | 'cancelled' | 'stale' | 'refused' | 'failed';

/**
 * A delayed event a machine scheduled with `after`. This row is the source of truth; the BullMQ
 * delayed job (job id derived from the row id) is only its alarm clock and is rebuilt from here
 * by the reconciler when Redis loses it.
 */
@Entity({ tableName: 'deadlines' })
export class DeadlineEntity {
  [OptionalProps]?: 'status' | 'createdAt' | 'settledAt' | 'kind' | 'slaClockId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  /** `machine`: a delayed machine event; `sla`: a reminder or breach alarm of an SLA clock. */
  @Property({ type: 'text' })
  kind: 'machine' | 'sla' = 'machine';

  @Property({ type: 'uuid', nullable: true })
  slaClockId: string | null = null;

  /** The delay's name in the machine (e.g. `merchantResponseWindow`), or the alarm (`reminder-80pct`, `breach`). */
  @Property({ type: 'text' })
  name!: string;

  /** XState's send id; `xstate.cancel` names it. */
  @Property({ type: 'text' })
  sendId!: string;

  @Property({ type: 'json' })
  event!: { type: string; [key: string]: unknown };

  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  @Property({ type: 'text' })
  status: DeadlineStatus = 'pending';

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  settledAt: Date | null = null;
}
