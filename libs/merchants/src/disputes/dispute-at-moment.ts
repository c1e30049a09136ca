import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseMoment, DisputeContext } from '@app/domain';
import {
  disputeView,
  evidenceDueByOf,
  merchantEvidenceItems,
  merchantStatusOf,
  toDecisionView,
  type DisputeIdentity,
  type MerchantDecisionView,
  type MerchantDisputeView,
} from './merchant-dispute-view';

/**
 * The merchant's view of a dispute as it was at an event (the moment stored with its outbox row),
 * for webhooks. The machine snapshot, state and deadlines come from the moment; the two facts kept
 * outside the case row are read as of the moment from append-only data: evidence submitted by then,
 * and whether the merchant had been asked by then (the timeline up to the moment's version).
 */
export async function disputeAtMoment(em: EntityManager, identity: DisputeIdentity, moment: CaseMoment): Promise<{ object: MerchantDisputeView; decision: MerchantDecisionView }> {
  const [facts] = await em.getConnection().execute<Array<{ has_evidence: boolean; forwarded: boolean }>>(
    `select exists (select 1 from evidence_submissions s where s.case_id = ? and s.status = 'submitted' and s.submitted_at <= ?::timestamptz) as has_evidence,
            exists (select 1 from case_events e where e.case_id = ? and e.type = 'FORWARD_TO_MERCHANT' and e.case_version <= ?) as forwarded`,
    [identity.id, moment.at, identity.id, moment.version],
  );
  const context = (moment.snapshot as { context: DisputeContext }).context;
  const items = await merchantEvidenceItems(em, [identity.id], moment.at);
  const object = disputeView(identity, {
    evidenceItems: items.get(identity.id) ?? [],
    snapshot: moment.snapshot,
    caseStatus: moment.status,
    status: merchantStatusOf(moment.state, context, facts!.forwarded),
    evidenceDueBy: evidenceDueByOf(moment.state, moment.deadlines),
    hasEvidence: facts!.has_evidence,
    updated: new Date(moment.updated ?? moment.at),
  });
  return { object, decision: toDecisionView(object, { id: identity.id, snapshot: moment.snapshot as Record<string, unknown> }) };
}
