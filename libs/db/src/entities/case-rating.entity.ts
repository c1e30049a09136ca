import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** The customer's rating of how their case was handled: once per case, after it is resolved. */
@Entity({ tableName: 'case_ratings' })
export class CaseRatingEntity {
  [OptionalProps]?: 'createdAt' | 'comment';

  @PrimaryKey({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  customerId!: string;

  /** 1 (poor) to 5 (excellent). */
  @Property({ type: 'smallint' })
  score!: number;

  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
