import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type EvidenceSubmissionStatus = 'draft' | 'submitted';
export type EvidenceParty = 'merchant' | 'customer';

/**
 * Evidence a merchant stages for a dispute (typed text fields; files point here) and then submits.
 * A case has at most one draft; submitting numbers it and locks it for good.
 */
@Entity({ tableName: 'evidence_submissions' })
export class EvidenceSubmissionEntity {
  [OptionalProps]?: 'number' | 'fields' | 'summary' | 'eventType' | 'createdAt' | 'updatedAt' | 'submittedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  @Property({ type: 'text' })
  merchantId!: string;

  @Property({ type: 'text' })
  status!: EvidenceSubmissionStatus;

  @Property({ type: 'integer', nullable: true })
  number: number | null = null;

  @Property({ type: 'json' })
  fields: Record<string, string> = {};

  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  /** The machine event the submission was sent as (MERCHANT_CONTEST or MERCHANT_INFO_PROVIDED). */
  @Property({ type: 'text', nullable: true })
  eventType: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null = null;
}

/** A stored evidence file. `storageKey` is generated; the uploader's file name is display text only. */
@Entity({ tableName: 'evidence_files' })
export class EvidenceFileEntity {
  [OptionalProps]?: 'createdAt' | 'party' | 'submissionId' | 'sharedWithMerchantAt' | 'sharedBy';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  caseId!: string;

  /** The merchant submission the file belongs to; null for the customer's evidence, which is not staged. */
  @Property({ type: 'uuid', nullable: true })
  submissionId: string | null = null;

  /** Whose side the file supports. An agent may upload for either (e.g. a hotline caller's photo). */
  @Property({ type: 'text' })
  party: EvidenceParty = 'merchant';

  @Property({ type: 'text' })
  uploadedByKind!: 'merchant' | 'agent' | 'customer';

  @Property({ type: 'text' })
  uploadedById!: string;

  @Property({ type: 'text' })
  category!: string;

  @Property({ type: 'text', unique: true, hidden: true })
  storageKey!: string;

  @Property({ type: 'text' })
  originalName!: string;

  /** Decided by the file's content (magic bytes), never by its name or the client's header. */
  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: new BigIntType('number') })
  sizeBytes!: number;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /** A customer's file an agent chose to show the merchant (the merchant API lists only these); null: agents only. */
  @Property({ type: 'timestamptz', nullable: true })
  sharedWithMerchantAt: Date | null = null;

  /** The agent who shared it. */
  @Property({ type: 'uuid', nullable: true })
  sharedBy: string | null = null;
}
