import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ActorKind } from '@app/domain';

/**
 * The append-only timeline. `machine` rows are the events the case's machine consumed, in order;
 * replaying them from the case's input reproduces its snapshot. `annotation` rows (assignment,
 * notes, priority) are for people and do not touch the machine. A trigger refuses UPDATE and DELETE.
 */
@Entity({ tableName: 'case_events' })
export class CaseEventEntity {
  [OptionalProps]?: 'createdAt' | 'actorId' | 'fromState' | 'toState';

  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  category!: 'machine' | 'annotation';

  /** Event type: the machine event (`DECIDE_PARTIAL_REFUND`, `xstate.after.…`) or `case.assigned`, `case.note_added`, … */
  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  actorKind!: ActorKind;

  @Property({ type: 'text', nullable: true })
  actorId: string | null = null;

  @Property({ type: 'text', nullable: true })
  fromState: string | null = null;

  @Property({ type: 'text', nullable: true })
  toState: string | null = null;

  /** The case version after this event. */
  @Property({ type: 'integer' })
  caseVersion!: number;

  /** For machine rows: the exact event given to the machine. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
