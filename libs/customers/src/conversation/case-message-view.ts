import type { MessageDirection, MessageLocale, MessageParty } from '@app/db';

export interface CaseMessageView {
  id: string;
  caseId: string;
  party: MessageParty;
  direction: MessageDirection;
  author: { kind: 'agent' | 'customer' | 'merchant'; id: string; displayName: string | null };
  body: string;
  locale: MessageLocale;
  macroId: string | null;
  createdAt: string;
}

/** A row of case_messages joined with the agent's display name, as the SQL below selects it. */
export interface CaseMessageRow {
  id: string;
  case_id: string;
  party: MessageParty;
  direction: MessageDirection;
  author_kind: 'agent' | 'customer' | 'merchant';
  author_id: string;
  author_name: string | null;
  body: string;
  locale: MessageLocale;
  macro_id: string | null;
  created_at: Date | string;
}

export function toCaseMessageView(row: CaseMessageRow): CaseMessageView {
  return {
    id: row.id,
    caseId: row.case_id,
    party: row.party,
    direction: row.direction,
    author: { kind: row.author_kind, id: row.author_id, displayName: row.author_name },
    body: row.body,
    locale: row.locale,
    macroId: row.macro_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The merchant API speaks snake_case and never names our agents. */
export function toMerchantMessageView(view: CaseMessageView) {
  return {
    id: view.id,
    dispute_id: view.caseId,
    direction: view.direction,
    from: view.direction === 'inbound' ? 'merchant' : 'support',
    body: view.body,
    locale: view.locale,
    created_at: view.createdAt,
  };
}
export type MerchantMessageView = ReturnType<typeof toMerchantMessageView>;
