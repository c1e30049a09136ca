import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { Clock } from '@app/config';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { findOwnedDispute, getMerchantDisputeView, type MerchantDisputeView } from '@app/merchants';
import { evidenceEventFor, evidenceLocked } from '../evidence-rules';

export interface SubmitEvidenceCommand {
  merchantId: string;
  /** The key's mode: a test key reaches only test disputes. */
  livemode: boolean;
  disputeId: string;
  /** What the merchant says in one paragraph; a list of what was staged when absent. */
  summary?: string;
}

/**
 * Submits the staged evidence: the draft is numbered and locked in the same transaction as the
 * machine event (MERCHANT_CONTEST the first time, MERCHANT_INFO_PROVIDED when an agent asked for
 * more). If the machine refuses the event, the draft stays a draft.
 */
@Injectable()
export class SubmitEvidence {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: SubmitEvidenceCommand): Promise<MerchantDisputeView> {
    const dispute = await findOwnedDispute(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.disputeId);
    const eventType = evidenceEventFor(dispute);
    if (!eventType) throw evidenceLocked(command.disputeId);

    // Filled in inside the transaction (from what is staged) before the engine reads it.
    const event = { type: eventType, summary: command.summary?.trim() ?? '' };
    await this.sendCaseEvent.execute(
      { caseId: dispute.id, event },
      { kind: 'merchant', id: command.merchantId },
      {
        inSameTransaction: async (em) => {
          const draft = await em.findOne(EvidenceSubmissionEntity, { caseId: dispute.id, status: 'draft' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          const files = draft ? await em.find(EvidenceFileEntity, { submissionId: draft.id }, { fields: ['category'] }) : [];
          const fieldNames = Object.keys(draft?.fields ?? {});
          if (!draft || (fieldNames.length === 0 && files.length === 0)) {
            throw new DomainError(DomainErrorCode.ValidationFailed, 'Stage evidence (fields or files) before submitting it.', {
              fields: [{ path: 'evidence', message: 'nothing staged' }],
            });
          }
          const [{ next }] = await em
            .getConnection()
            .execute<Array<{ next: number }>>(
              'select coalesce(max(number), 0) + 1 as next from evidence_submissions where case_id = ?',
              [dispute.id],
              'all',
              em.getTransactionContext(),
            );
          event.summary ||= `Evidence submitted: ${[...fieldNames, ...(files.length ? [`${files.length} file(s)`] : [])].join(', ')}`;
          draft.status = 'submitted';
          draft.number = Number(next);
          draft.summary = event.summary;
          draft.eventType = eventType;
          draft.submittedAt = this.clock.now();
          draft.updatedAt = draft.submittedAt;
          return true;
        },
      },
    );
    return getMerchantDisputeView(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.disputeId);
  }
}
