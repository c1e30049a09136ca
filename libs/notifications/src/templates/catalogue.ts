import type { CustomerLocale } from '@app/domain';

/** One message in one language: ICU MessageFormat strings (intl-messageformat), never concatenated. */
export interface LocalizedMessage {
  /** Email subject and push title. */
  title: string;
  body: string;
}

export interface CustomerTemplate {
  /** Worth an SMS even when the app can push (the customer must act, or money moved). */
  sms: boolean;
  /** Account-security messages go out at night too; everything else waits out SMS quiet hours. */
  urgent?: boolean;
  messages: Record<CustomerLocale, LocalizedMessage>;
}

/**
 * Arguments every message may use: `caseNumber`, `kind` (the case kind), `name` (may be empty), `amount` (the case's
 * amount as ¥1,234.50); topics add their own (`dueAt`, `question`, `refundAmount`, `outcome`, `body`).
 * Times are Dates formatted with the `beijing` date style (Beijing time, e.g. 12月4日 10:30).
 */
const infoRequested: CustomerTemplate = {
  sms: true,
  messages: {
    'zh-CN': {
      title: '请补充案件 {caseNumber} 的材料',
      body: '为处理您的案件 {caseNumber}，我们需要：{question}。{hasDue, select, yes {请在{dueAt, date, beijing}前在钱包App中回复，逾期我们将根据现有材料处理。} other {请尽快在钱包App中回复。}}',
    },
    en: {
      title: 'Information needed for case {caseNumber}',
      body: 'To handle your case {caseNumber} we need: {question}. {hasDue, select, yes {Please reply in the wallet app by {dueAt, date, beijing} (Beijing time); after that we decide on what we have.} other {Please reply in the wallet app soon.}}',
    },
  },
};

const infoReplyDueSoon: CustomerTemplate = {
  sms: true,
  messages: {
    'zh-CN': {
      title: '提醒：案件 {caseNumber} 的材料即将截止',
      body: '您的案件 {caseNumber} 还在等待您的材料：{question}。截止时间为{dueAt, date, beijing}，请尽快在钱包App中回复。',
    },
    en: {
      title: 'Reminder: case {caseNumber} needs your reply soon',
      body: 'Your case {caseNumber} is still waiting for: {question}. The deadline is {dueAt, date, beijing} (Beijing time); please reply in the wallet app.',
    },
  },
};

/** The wallet took the refund and the bank is processing it (REFUND topic `refund.sent`, with the expected arrival). */
const refundSent: CustomerTemplate = {
  sms: true,
  messages: {
    'zh-CN': {
      title: '退款已发出：案件 {caseNumber}',
      body: '案件 {caseNumber} 的退款{refundAmount}已按原路退回，{hasExpected, select, yes {预计{expectedBy, date, beijing}前到账。} other {通常1–3个工作日到账。}}',
    },
    en: {
      title: 'Refund sent for case {caseNumber}',
      body: 'The refund of {refundAmount} for case {caseNumber} has been sent back to how you paid; {hasExpected, select, yes {it is expected to arrive by {expectedBy, date, beijing} (Beijing time).} other {it usually arrives within 1–3 working days.}}',
    },
  },
};

/** The wallet confirmed the refund settled (REFUND_SUCCEEDED). */
const refundArrived: CustomerTemplate = {
  sms: true,
  messages: {
    'zh-CN': {
      title: '退款已到账：案件 {caseNumber}',
      body: '案件 {caseNumber} 的退款{refundAmount}已原路退回到账，请查收。',
    },
    en: {
      title: 'Refund arrived for case {caseNumber}',
      body: 'The refund of {refundAmount} for case {caseNumber} has arrived back where you paid from.',
    },
  },
};

const caseResolved: CustomerTemplate = {
  sms: false,
  messages: {
    'zh-CN': { title: '案件 {caseNumber} 已处理完毕', body: '您的案件 {caseNumber} 已处理完毕，详情请在钱包App中查看。' },
    en: { title: 'Case {caseNumber} is resolved', body: 'Your case {caseNumber} has been resolved; the details are in the wallet app.' },
  },
};

const caseClosed: CustomerTemplate = {
  sms: false,
  messages: {
    'zh-CN': { title: '案件 {caseNumber} 已结案', body: '您的案件 {caseNumber} 已结案。感谢您的耐心。' },
    en: { title: 'Case {caseNumber} is closed', body: 'Your case {caseNumber} is now closed. Thank you for your patience.' },
  },
};

export const CUSTOMER_TEMPLATES: Readonly<Record<string, CustomerTemplate>> = {
  'case.opened': {
    sms: false,
    messages: {
      'zh-CN': {
        title: '我们已收到您的{kind, select, dispute {申诉} inquiry {咨询} other {请求}}（案件 {caseNumber}）',
        body: '我们已收到您的{kind, select, dispute {申诉} inquiry {咨询} other {请求}}，{hasDue, select, yes {将在{dueAt, date, beijing}前回复。} other {会尽快回复。}}案件编号：{caseNumber}。',
      },
      en: {
        title: 'We have received your {kind, select, dispute {dispute} inquiry {question} other {request}} ({caseNumber})',
        body: '{hasDue, select, yes {We have received your {kind, select, dispute {dispute} inquiry {question} other {request}} and will reply by {dueAt, date, beijing} (Beijing time).} other {We have received your {kind, select, dispute {dispute} inquiry {question} other {request}} and will reply as soon as we can.}} Case number: {caseNumber}.',
      },
    },
  },
  'dispute.info_requested': infoRequested,
  'refund_request.info_requested': infoRequested,
  'payment_failure.info_requested': infoRequested,
  'account_security.info_requested': infoRequested,
  'dispute.info_reply_due_soon': infoReplyDueSoon,
  'refund_request.info_reply_due_soon': infoReplyDueSoon,
  'payment_failure.info_reply_due_soon': infoReplyDueSoon,
  'dispute.resolved': {
    sms: true,
    messages: {
      'zh-CN': {
        title: '案件 {caseNumber} 的处理结果',
        body: '{outcome, select, full_refund {您的申诉已成立，我们将为您全额退款{refundAmount}。} partial_refund {我们将为您部分退款{refundAmount}。} rejected {很遗憾，您的申诉未获支持。} other {您的案件已有处理结果。}}如有异议，可在14天内在钱包App中申请复核。',
      },
      en: {
        title: 'Decision on case {caseNumber}',
        body: '{outcome, select, full_refund {Your dispute was upheld: we will refund you {refundAmount} in full.} partial_refund {We will refund you {refundAmount} in part.} rejected {We are sorry: your dispute was not upheld.} other {Your case has been decided.}} If you disagree, you may appeal in the wallet app within 14 days.',
      },
    },
  },
  'refund.sent': refundSent,
  'dispute.refund_succeeded': refundArrived,
  'refund_request.refund_succeeded': refundArrived,
  'refund_request.resolved': caseResolved,
  'dispute.closed': caseClosed,
  'payment_failure.reversed': {
    sms: true,
    messages: {
      'zh-CN': { title: '扣款已退回：案件 {caseNumber}', body: '案件 {caseNumber} 中失败的支付{amount}已退回您的账户。' },
      en: { title: 'Payment reversed for case {caseNumber}', body: 'The failed payment of {amount} in case {caseNumber} has been returned to your account.' },
    },
  },
  'payment_failure.resolved': caseResolved,
  'balance_discrepancy.explained_by_pending': {
    sms: false,
    messages: {
      'zh-CN': { title: '余额问题已查明：案件 {caseNumber}', body: '您反映的余额差异来自尚未结算的交易，结算后余额会自动更新。案件编号：{caseNumber}。' },
      en: {
        title: 'Your balance question (case {caseNumber})',
        body: 'The difference in your balance comes from transactions that have not settled yet; your balance updates once they do. Case number: {caseNumber}.',
      },
    },
  },
  'balance_discrepancy.corrected': {
    sms: true,
    messages: {
      'zh-CN': { title: '余额已更正：案件 {caseNumber}', body: '我们已更正您的账户余额。案件编号：{caseNumber}。' },
      en: { title: 'Balance corrected (case {caseNumber})', body: 'We have corrected your account balance. Case number: {caseNumber}.' },
    },
  },
  'balance_discrepancy.resolved': caseResolved,
  'account_security.frozen': {
    sms: true,
    urgent: true,
    messages: {
      'zh-CN': { title: '您的账户已被临时冻结', body: '为保护您的资金，您的账户已被临时冻结（案件 {caseNumber}）。客服将联系您核实身份，请勿向任何人透露验证码。' },
      en: {
        title: 'Your account is temporarily frozen',
        body: 'To protect your money your account is temporarily frozen (case {caseNumber}). Support will contact you to verify your identity; never share a verification code.',
      },
    },
  },
  'account_security.resolved': {
    sms: true,
    urgent: true,
    messages: {
      'zh-CN': { title: '账户安全案件 {caseNumber} 已处理', body: '您的账户安全案件 {caseNumber} 已处理完毕，详情请在钱包App中查看。' },
      en: { title: 'Account security case {caseNumber} resolved', body: 'Your account security case {caseNumber} has been resolved; the details are in the wallet app.' },
    },
  },
  'inquiry.answered': {
    sms: false,
    messages: {
      'zh-CN': { title: '您的咨询已回复（{caseNumber}）', body: '我们已回复您的咨询 {caseNumber}，请在钱包App中查看。' },
      en: { title: 'Your question was answered ({caseNumber})', body: 'We have answered your question {caseNumber}; see the wallet app.' },
    },
  },
  'inquiry.closed': caseClosed,
  'conversation.agent_replied': {
    sms: false,
    messages: {
      'zh-CN': { title: '客服回复了您的案件 {caseNumber}', body: '{body}' },
      en: { title: 'Support replied on case {caseNumber}', body: '{body}' },
    },
  },
};

/**
 * Topics that reach the customer without being a machine's `notify`: the acknowledgement
 * OpenCase commits, the reminders before an information window closes (one per kind that asks
 * the customer with an infoReplyWindow), and conversation replies.
 */
/** Written by the refund effect when the wallet takes a refund that settles later (libs/workers). */
export const REFUND_SENT_TOPIC = 'refund.sent';

export function engineCustomerTopics(kindsAskingCustomers: readonly string[]): string[] {
  return ['case.opened', 'conversation.agent_replied', REFUND_SENT_TOPIC, ...kindsAskingCustomers.map((kind) => `${kind}.info_reply_due_soon`)];
}

/** Emails to agents, in the agent's own language (their profile's). Arguments: `caseNumber`, `subject`, `target`. */
export const AGENT_TEMPLATES: Readonly<Record<string, Record<CustomerLocale, LocalizedMessage>>> = {
  'sla.breached': {
    'zh-CN': {
      title: 'SLA 已超时：案件 {caseNumber}',
      body: '您负责的案件 {caseNumber}（{subject}）的{target, select, firstResponse {首次响应} resolution {解决} other {服务}}时限已超时，案件已升级给主管。',
    },
    en: {
      title: 'SLA breached: case {caseNumber}',
      body: 'The {target, select, firstResponse {first-response} resolution {resolution} other {service}} target of your case {caseNumber} ({subject}) has been breached; the case was escalated to the supervisors.',
    },
  },
};
