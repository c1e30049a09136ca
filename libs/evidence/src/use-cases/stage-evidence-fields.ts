import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { findOwnedDispute } from '@app/merchants';
import { evidenceEventFor, evidenceLocked, type EvidenceTextField } from '../evidence-rules';
import { loadEvidenceView, lockDraft, type EvidenceView } from '../evidence-view';

export interface StageEvidenceFieldsCommand {
  merchantId: string;
  /** The key's mode: a test key reaches only test disputes. */
  livemode: boolean;
  disputeId: string;
  /** A string sets the field, null clears it, an absent field is left as it is. */
  fields: Partial<Record<EvidenceTextField, string | null>>;
}

/** Stages typed text evidence on the dispute's draft; nothing reaches the case until submitted. */
@Injectable()
export class StageEvidenceFields {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: StageEvidenceFieldsCommand): Promise<EvidenceView> {
    await this.em.fork().transactional(async (em) => {
      const dispute = await findOwnedDispute(em, { id: command.merchantId, livemode: command.livemode }, command.disputeId);
      if (!evidenceEventFor(dispute)) throw evidenceLocked(command.disputeId);
      const now = this.clock.now();
      const draft = await lockDraft(em, dispute.id, command.merchantId, now);
      const fields = { ...draft.fields };
      for (const [name, value] of Object.entries(command.fields)) {
        if (value === undefined) continue;
        if (value === null) delete fields[name];
        else fields[name] = value;
      }
      draft.fields = fields;
      draft.updatedAt = now;
    });
    return loadEvidenceView(this.em.fork(), command.disputeId, command.merchantId);
  }
}
