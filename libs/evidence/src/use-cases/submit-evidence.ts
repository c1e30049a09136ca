import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { Clock } from '@app/config';
import { EvidenceFileEntity, EvidenceSubmissionEntity } from '@app/db';
import { DomainError, DomainErrorCode, evidenceRequirementsStatus, evidenceRequirementsUnmet } from '@app/domain';
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
 * more). If the machine refuses the event, the draft stays a draft. Contesting needs the evidence
 * the dispute's reason requires of the merchant (EVIDENCE_REQUIREMENTS_UNMET lists what is missing);
 * an answer to an agent's question is whatever the agent asked for.
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
    const actor = { kind: 'merchant' as const, id: command.merchantId };

    // One transaction, composed in the lock order every command keeps: the case first, then the
    // draft is numbered and locked, then the event (whose summary says what was submitted) is
    // applied. If the machine refuses it, the transaction rolls back and the draft stays a draft.
    const applied = await this.sendCaseEvent.transaction({ caseId: dispute.id }, async ({ em, sql }) => {
      const locked = await this.sendCaseEvent.lock(sql, dispute.id, actor);
      const reason = (dispute.snapshot as { context: { reason: string } }).context.reason;
      const summary = await this.submitDraft(em, dispute.id, eventType, reason, command.summary?.trim() ?? '');
      return this.sendCaseEvent.apply(sql, locked, { caseId: dispute.id, event: { type: eventType, summary } }, actor);
    });
    await this.sendCaseEvent.publish(applied);
    return getMerchantDisputeView(this.em.fork(), { id: command.merchantId, livemode: command.livemode }, command.disputeId);
  }

  /** Numbers and locks the staged draft; returns the event's summary (what the merchant wrote, or a list of what was staged). */
  private async submitDraft(em: EntityManager, caseId: string, eventType: string, reason: string, written: string): Promise<string> {
    const draft = await em.findOne(EvidenceSubmissionEntity, { caseId, status: 'draft' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const files = draft ? await em.find(EvidenceFileEntity, { submissionId: draft.id }, { fields: ['category'] }) : [];
    const fieldNames = Object.keys(draft?.fields ?? {});
    if (!draft || (fieldNames.length === 0 && files.length === 0)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Stage evidence (fields or files) before submitting it.', {
        fields: [{ path: 'evidence', message: 'nothing staged' }],
      });
    }
    if (eventType === 'MERCHANT_CONTEST') {
      const status = evidenceRequirementsStatus(reason, 'merchant', [...fieldNames, ...files.map((file) => file.category)]);
      const unmet = evidenceRequirementsUnmet(status, reason, 'merchant');
      if (unmet) throw unmet;
    }
    const [{ next }] = await em
      .getConnection()
      .execute<Array<{ next: number }>>('select coalesce(max(number), 0) + 1 as next from evidence_submissions where case_id = ?', [caseId], 'all', em.getTransactionContext());
    const summary = written || `Evidence submitted: ${[...fieldNames, ...(files.length ? [`${files.length} file(s)`] : [])].join(', ')}`;
    draft.status = 'submitted';
    draft.number = Number(next);
    draft.summary = summary;
    draft.eventType = eventType;
    draft.submittedAt = this.clock.now();
    draft.updatedAt = draft.submittedAt;
    return summary;
  }
}
