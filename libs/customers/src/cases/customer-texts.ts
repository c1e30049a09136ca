import type { CaseKind } from '@app/domain';
import type { CustomerStatus } from './customer-status';

/** The languages the customer API speaks; zh-CN unless the caller asks for English. */
export const CUSTOMER_LOCALES = ['zh-CN', 'en'] as const;
export type CustomerLocale = (typeof CUSTOMER_LOCALES)[number];
export const DEFAULT_CUSTOMER_LOCALE: CustomerLocale = 'zh-CN';

/** What the customer is told comes next; `{due}` and `{amount}` are filled in. */
export type NextStep =
  | 'agent_will_look'
  | 'merchant_must_answer'
  | 'answer_our_question'
  | 'we_are_reviewing'
  | 'we_are_reviewing_appeal'
  | 'refund_on_its_way'
  | 'you_may_appeal'
  | 'case_will_close'
  | 'reply_if_needed';

export type OutcomeText = 'full_refund' | 'partial_refund' | 'rejected';

export interface CustomerTexts {
  kind: Record<CaseKind, string>;
  status: Record<CustomerStatus, string>;
  /** With a due time, and without (no deadline is set for that step). */
  next: Record<NextStep, { due: string; open: string }>;
  outcome: Record<OutcomeText, string>;
}

/** One dictionary per language; a key missing in either is a type error. */
export const CUSTOMER_TEXTS: Record<CustomerLocale, CustomerTexts> = {
  'zh-CN': {
    kind: { dispute: '交易争议', refund_request: '退款申请', payment_failure: '支付失败', balance_discrepancy: '余额异常', account_security: '账户安全', inquiry: '咨询' },
    status: {
      received: '已收到，等待处理',
      waiting_for_merchant: '等待商家回复',
      waiting_for_you: '等待您补充信息',
      in_review: '审核中',
      appeal_in_review: '申诉审核中',
      refund_in_progress: '退款处理中',
      answered: '已答复',
      resolved: '已处理',
      closed: '已结案',
      withdrawn: '已撤销',
    },
    next: {
      agent_will_look: { due: '客服将在 {due} 前开始处理您的案件。', open: '客服将尽快开始处理您的案件。' },
      merchant_must_answer: { due: '商家需在 {due} 前回复；之后我们将继续处理您的案件。', open: '我们正在等待商家回复。' },
      answer_our_question: { due: '请在 {due} 前回答我们的问题；逾期未回复，我们将根据现有信息作出决定。', open: '请回答我们的问题。' },
      we_are_reviewing: { due: '我们正在审核您的案件，预计在 {due} 前完成。', open: '我们正在审核您的案件。' },
      we_are_reviewing_appeal: { due: '我们正在复核您的申诉，预计在 {due} 前完成。', open: '我们正在复核您的申诉。' },
      refund_on_its_way: { due: '{amount} 正在退回您的钱包。', open: '{amount} 正在退回您的钱包。' },
      you_may_appeal: { due: '如您不同意处理结果，可在 {due} 前提出申诉。', open: '如您不同意处理结果，可以提出申诉。' },
      case_will_close: { due: '案件将于 {due} 结案。', open: '案件即将结案。' },
      reply_if_needed: { due: '如仍需帮助，请在 {due} 前回复。', open: '如仍需帮助，请回复我们。' },
    },
    outcome: { full_refund: '全额退款', partial_refund: '部分退款', rejected: '未支持退款' },
  },
  en: {
    kind: {
      dispute: 'Dispute',
      refund_request: 'Refund request',
      payment_failure: 'Failed payment',
      balance_discrepancy: 'Balance discrepancy',
      account_security: 'Account security',
      inquiry: 'Question',
    },
    status: {
      received: 'Received, waiting to be handled',
      waiting_for_merchant: "Waiting for the merchant's answer",
      waiting_for_you: 'Waiting for your reply',
      in_review: 'Under review',
      appeal_in_review: 'Appeal under review',
      refund_in_progress: 'Refund in progress',
      answered: 'Answered',
      resolved: 'Resolved',
      closed: 'Closed',
      withdrawn: 'Withdrawn',
    },
    next: {
      agent_will_look: { due: 'An agent will start on your case by {due}.', open: 'An agent will start on your case soon.' },
      merchant_must_answer: { due: 'The merchant has until {due} to answer; then we continue with your case.', open: "We are waiting for the merchant's answer." },
      answer_our_question: { due: 'Please answer our question by {due}; without an answer we decide on what we have.', open: 'Please answer our question.' },
      we_are_reviewing: { due: 'We are reviewing your case and aim to finish by {due}.', open: 'We are reviewing your case.' },
      we_are_reviewing_appeal: { due: 'We are reviewing your appeal and aim to finish by {due}.', open: 'We are reviewing your appeal.' },
      refund_on_its_way: { due: '{amount} is on its way back to your wallet.', open: '{amount} is on its way back to your wallet.' },
      you_may_appeal: { due: 'If you disagree with the decision, you can appeal until {due}.', open: 'If you disagree with the decision, you can appeal.' },
      case_will_close: { due: 'The case closes on {due}.', open: 'The case will close soon.' },
      reply_if_needed: { due: 'If you still need help, reply by {due}.', open: 'If you still need help, reply to us.' },
    },
    outcome: { full_refund: 'Full refund', partial_refund: 'Partial refund', rejected: 'No refund' },
  },
};

/**
 * `?locale=` wins; otherwise the first language of Accept-Language we speak (any Chinese → zh-CN,
 * any English → en, by q-value); otherwise zh-CN.
 */
export function resolveCustomerLocale(query: string | undefined, acceptLanguage: string | undefined): CustomerLocale {
  if (query && (CUSTOMER_LOCALES as readonly string[]).includes(query)) return query as CustomerLocale;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_CUSTOMER_LOCALE;
}

/** A time as the customer reads it, in the case calendar's time zone (Asia/Shanghai by default). */
export function formatDue(at: Date, locale: CustomerLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(at);
}

/** Minor units as the customer reads money: ¥12.34 / CN¥12.34, never a float in the data. */
export function formatMoney(amountMinor: number, currency: string, locale: CustomerLocale): string {
  const format = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}
