import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { MessageLocale, MessageParty } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { CaseMessageView } from './case-message-view';
import { MESSAGE_PARTIES } from './message-input';
import { languageOf, selectThread } from './message-queries';
import { findCaseFor, ownPartyOf, type ConversationParticipant } from './participant';

export interface CaseConversationView {
  caseId: string;
  /** The language a reply to each party goes out in by default (merchant: null when the case has none). */
  replyLocales: { customer: MessageLocale; merchant: MessageLocale | null };
  /** Oldest first; at most the newest THREAD_LIMIT. */
  messages: CaseMessageView[];
}

/**
 * A case's conversation. Agents see both sides (or one, with `party`); a customer or merchant
 * sees only their own side, whatever they ask for.
 */
@Injectable()
export class ListCaseMessages {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { caseId: string; party?: string }, reader: ConversationParticipant): Promise<CaseConversationView> {
    if (query.party !== undefined && !(MESSAGE_PARTIES as readonly string[]).includes(query.party)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'party is customer or merchant.', { fields: [{ path: 'party', message: 'must be customer or merchant' }] });
    }
    const em = this.em.fork();
    const theCase = await findCaseFor(em, reader, query.caseId);
    const party = ownPartyOf(reader) ?? (query.party as MessageParty | undefined);
    const hasMerchant = theCase.kind === 'dispute' && theCase.merchantId !== null;
    const [messages, customer, merchant] = await Promise.all([
      selectThread(em, theCase.id, party),
      languageOf(em, theCase.id, 'customer'),
      hasMerchant ? languageOf(em, theCase.id, 'merchant') : Promise.resolve(null),
    ]);
    return { caseId: theCase.id, replyLocales: { customer, merchant }, messages };
  }
}
