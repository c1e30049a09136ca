import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A named queue view an agent saved: the queue's tab, filters and sort as the URL carries them.
 * Private to its owner unless a supervisor shared it with the team.
 */
@Entity({ tableName: 'saved_views' })
export class SavedViewEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'shared';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  ownerId!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The queue's URL parameters (tab, kind, state, priority, channel, q, sort), all strings. */
  @Property({ type: 'json' })
  query!: Record<string, string>;

  @Property({ type: 'boolean' })
  shared: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}

export type CaseLinkKind = 'related' | 'duplicate';

/**
 * Two cases an agent linked. A link has no direction, so it is stored once with the smaller id
 * first; a merge stores the duplicate → original pair with kind `duplicate`.
 */
@Entity({ tableName: 'case_links' })
export class CaseLinkEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  caseA!: string;

  @PrimaryKey({ type: 'uuid' })
  caseB!: string;

  @Property({ type: 'text' })
  kind!: CaseLinkKind;

  @Property({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
