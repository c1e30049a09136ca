import type { CaseMessageView } from '../conversation/case-message-view';

/** The customer's side of the conversation in the customer API's terms; agents are "support", never named. */
export function toCustomerMessageView(view: CaseMessageView) {
  return {
    id: view.id,
    case_id: view.caseId,
    from: view.direction === 'inbound' ? ('you' as const) : ('support' as const),
    body: view.body,
    locale: view.locale,
    created_at: view.createdAt,
  };
}
export type CustomerMessageView = ReturnType<typeof toCustomerMessageView>;
