import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { BusinessCalendar, SlaClockTarget, SlaMode, SlaPolicy } from '@app/domain';

@Entity({ tableName: 'business_calendars' })
export class BusinessCalendarEntity {
  @PrimaryKey({ type: 'text' })
  id!: string;

  /** The whole calendar (zone, weekly hours, holidays, make-up days), validated before it is stored. */
  @Property({ type: 'json' })
  definition!: BusinessCalendar;

  /** The shipped definition this calendar was installed from (null for one an admin created): while equal to `definition`, nobody edited it. */
  @Property({ type: 'json', nullable: true })
  shippedDefinition?: BusinessCalendar | null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'sla_policies' })
export class SlaPolicyEntity {
  [OptionalProps]?: 'active' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'json' })
  match!: SlaPolicy['match'];

  @Property({ type: 'text' })
  calendarId!: string;

  @Property({ type: 'json' })
  targets!: SlaPolicy['targets'];

  @Property({ type: 'json' })
  reminders!: SlaPolicy['reminders'];

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

export type SlaClockStatus = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

/** One SLA target measured on one case (first response, resolution). */
@Entity({ tableName: 'sla_clocks' })
export class SlaClockEntity {
  [OptionalProps]?: 'createdAt' | 'runningSince' | 'dueAt' | 'metAt' | 'breachedAt' | 'breachedAssigneeId' | 'usedMinutes' | 'finishedAt' | 'finishedMinutes';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  policyId!: string;

  @Property({ type: 'text' })
  target!: SlaClockTarget;

  @Property({ type: 'integer' })
  minutes!: number;

  @Property({ type: 'text' })
  mode!: SlaMode;

  @Property({ type: 'text' })
  calendarId!: string;

  @Property({ type: 'text' })
  status!: SlaClockStatus;

  /** Minutes (in the clock's mode) used up to `runningSince`, or in total once paused or finished. */
  @Property({ type: 'double' })
  usedMinutes: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  runningSince: Date | null = null;

  /** When a running clock breaches; null while paused or finished. */
  @Property({ type: 'timestamptz', nullable: true })
  dueAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  metAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  breachedAt: Date | null = null;

  /** Who held the case when it breached, for breach reports per agent. */
  @Property({ type: 'uuid', nullable: true })
  breachedAssigneeId: string | null = null;

  /** When the target was reached (the first response, the resolution), breached or not; null while it is not. */
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  /** Minutes (in the clock's mode) the target took, counting on past a breach (pauses after a breach are not taken off). */
  @Property({ type: 'double', nullable: true })
  finishedMinutes: number | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** An agent inbox entry; `dedupeKey` makes each reminder land once however often its job runs. */
@Entity({ tableName: 'notifications' })
export class NotificationEntity {
  [OptionalProps]?: 'createdAt' | 'readAt' | 'recipientAgentId' | 'caseId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** An agent, or the supervisors' shared queue when nobody holds the case. */
  @Property({ type: 'text' })
  audience!: 'agent' | 'supervisors';

  @Property({ type: 'uuid', nullable: true })
  recipientAgentId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  caseId: string | null = null;

  /** `sla.reminder`, `sla.breached`, … */
  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text', unique: true })
  dedupeKey!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;
}
