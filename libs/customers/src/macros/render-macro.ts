import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AgentEntity, MacroEntity, type MessageLocale, type MessageParty } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { MESSAGE_LOCALES, MESSAGE_PARTIES } from '../conversation/message-input';
import { languageOf } from '../conversation/message-queries';
import { findCaseFor } from '../conversation/participant';
import { caseNumberOf, fillPlaceholders } from './macro-template';
import { macroNotFound } from './manage-macros';

export interface RenderedMacro {
  macroId: string;
  locale: MessageLocale;
  title: string;
  /** The reply text with its placeholders filled, for the agent to edit and send. */
  body: string;
}

/**
 * A macro filled in for one case, in the language the reply goes out in: the one asked for, else
 * the language the party last wrote in.
 */
@Injectable()
export class RenderMacro {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { macroId: string; caseId: string; party?: string; locale?: string }, agentId: string): Promise<RenderedMacro> {
    const fields = [
      ...(query.party !== undefined && !(MESSAGE_PARTIES as readonly string[]).includes(query.party) ? [{ path: 'party', message: 'must be customer or merchant' }] : []),
      ...(query.locale !== undefined && !(MESSAGE_LOCALES as readonly string[]).includes(query.locale) ? [{ path: 'locale', message: 'must be zh-CN or en' }] : []),
    ];
    if (fields.length) throw new DomainError(DomainErrorCode.ValidationFailed, 'The render request is invalid.', { fields });
    const em = this.em.fork();
    const theCase = await findCaseFor(em, { kind: 'agent', id: agentId }, query.caseId);
    const macro = /^[0-9a-f-]{36}$/i.test(query.macroId) ? await em.findOne(MacroEntity, { id: query.macroId }) : null;
    if (!macro) throw macroNotFound(query.macroId);
    const locale = (query.locale as MessageLocale | undefined) ?? (await languageOf(em, theCase.id, (query.party as MessageParty | undefined) ?? 'customer'));
    const agent = await em.findOne(AgentEntity, { id: agentId }, { fields: ['displayName'] });
    const values = {
      caseNumber: caseNumberOf(theCase.id),
      customerName: theCase.customerName ?? '',
      agentName: agent?.displayName ?? '',
      subject: theCase.subject,
      transactionRef: theCase.transactionRef ?? '',
    };
    const { title, body } = macro.translations[locale];
    return { macroId: macro.id, locale, title: fillPlaceholders(title, values), body: fillPlaceholders(body, values) };
  }
}
