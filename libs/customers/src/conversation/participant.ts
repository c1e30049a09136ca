import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, type MessageParty } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * Who reads or writes a conversation. Agents see every case; a customer only their own cases and a
 * merchant only their own disputes, each only their side of the conversation.
 */
export type ConversationParticipant = { kind: 'agent'; id: string } | { kind: 'customer'; id: string } | { kind: 'merchant'; id: string; livemode: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ConversationCase = Pick<CaseEntity, 'id' | 'kind' | 'state' | 'subject' | 'customerId' | 'customerName' | 'merchantId' | 'transactionRef' | 'assignee'>;

/** Loads the case the participant may see; any other case is the same 404 as one that does not exist. */
export async function findCaseFor(em: EntityManager, participant: ConversationParticipant, caseId: string): Promise<ConversationCase> {
  const scope =
    participant.kind === 'customer'
      ? { customerId: participant.id }
      : participant.kind === 'merchant'
        ? // A test key reaches only test disputes, a live key only live ones.
          { kind: 'dispute' as const, merchantId: participant.id, livemode: participant.livemode }
        : {};
  const found = UUID.test(caseId)
    ? await em.findOne(
        CaseEntity,
        { id: caseId, ...scope },
        { fields: ['id', 'kind', 'state', 'subject', 'customerId', 'customerName', 'merchantId', 'transactionRef', 'assignee'] },
      )
    : null;
  if (!found) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
  return found;
}

/** The side of the conversation a customer or merchant takes; agents choose per message. */
export function ownPartyOf(participant: ConversationParticipant): MessageParty | null {
  return participant.kind === 'agent' ? null : participant.kind;
}

/** Only disputes that name a merchant have a conversation with the merchant. */
export function assertPartyOnCase(theCase: ConversationCase, party: MessageParty): void {
  if (party === 'merchant' && (theCase.kind !== 'dispute' || !theCase.merchantId)) {
    throw new DomainError(DomainErrorCode.MerchantNotAParty, `Case ${theCase.id} has no merchant to write to (only disputes against a merchant do).`, {
      caseId: theCase.id,
    });
  }
}
