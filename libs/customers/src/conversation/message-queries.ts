import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageLocale, MessageParty } from '@app/db';
import { toCaseMessageView, type CaseMessageRow, type CaseMessageView } from './case-message-view';

/** A thread is shown whole; past this many only the newest are returned. */
export const THREAD_LIMIT = 500;

const SELECT_MESSAGES = `
  select m.id, m.case_id, m.party, m.direction, m.author_kind, m.author_id, a.display_name as author_name,
         m.body, m.locale, m.macro_id, m.created_at
    from case_messages m
    left join agents a on m.author_kind = 'agent' and a.id::text = m.author_id`;

export async function selectThread(em: EntityManager, caseId: string, party: MessageParty | undefined): Promise<CaseMessageView[]> {
  const rows = await em.getConnection().execute<CaseMessageRow[]>(
    `select * from (${SELECT_MESSAGES} where m.case_id = ? ${party ? 'and m.party = ?' : ''} order by m.created_at desc, m.id desc limit ${THREAD_LIMIT}) thread
      order by created_at, id`,
    party ? [caseId, party] : [caseId],
  );
  return rows.map(toCaseMessageView);
}

export async function selectMessage(em: EntityManager, id: string): Promise<CaseMessageView> {
  const [row] = await em.getConnection().execute<CaseMessageRow[]>(`${SELECT_MESSAGES} where m.id = ?`, [id]);
  return toCaseMessageView(row!);
}

/**
 * The language a party reads: the one they last wrote in, else zh-CN (most of the wallet's
 * customers). An agent may still choose another per message.
 */
export async function languageOf(em: EntityManager, caseId: string, party: MessageParty): Promise<MessageLocale> {
  const [row] = await em
    .getConnection()
    .execute<Array<{ locale: MessageLocale }>>(
      `select locale from case_messages where case_id = ? and party = ? and direction = 'inbound' order by created_at desc, id desc limit 1`,
      [caseId, party],
    );
  return row?.locale ?? 'zh-CN';
}
