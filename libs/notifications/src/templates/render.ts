import { IntlMessageFormat } from 'intl-messageformat';
import type { CustomerLocale } from '@app/domain';
import { AGENT_TEMPLATES, CUSTOMER_TEMPLATES, type LocalizedMessage } from './catalogue';

/** Customers read times in Beijing time, whatever the server's zone. */
const FORMATS = {
  date: { beijing: { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' } },
} as const;

/** Integer fen as yuan with the ¥ sign and thousands separators: 123450 → ¥1,234.50 (no float arithmetic). */
export function formatYuan(amountMinor: number): string {
  const sign = amountMinor < 0 ? '-' : '';
  const fen = Math.abs(Math.trunc(amountMinor));
  const yuan = Math.floor(fen / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${(fen % 100).toString().padStart(2, '0')}`;
}

export type MessageValues = Record<string, string | number | Date>;

const compiled = new Map<string, IntlMessageFormat>();

function format(message: string, locale: CustomerLocale, values: MessageValues): string {
  const key = `${locale}\u0000${message}`;
  let formatter = compiled.get(key);
  if (!formatter) {
    formatter = new IntlMessageFormat(message, locale, FORMATS as never);
    compiled.set(key, formatter);
  }
  return String(formatter.format(values));
}

/** The title and body of a topic's message in the customer's language; throws for a topic with no template. */
export function renderCustomerMessage(topic: string, locale: CustomerLocale, values: MessageValues): LocalizedMessage {
  const template = CUSTOMER_TEMPLATES[topic];
  if (!template) throw new Error(`No customer template for topic ${topic}`);
  const message = template.messages[locale];
  return { title: format(message.title, locale, values), body: format(message.body, locale, values) };
}

/** An email to an agent (e.g. an SLA breach) in the agent's language; throws for a topic with no template. */
export function renderAgentMessage(topic: string, locale: CustomerLocale, values: MessageValues): LocalizedMessage {
  const messages = AGENT_TEMPLATES[topic];
  if (!messages) throw new Error(`No agent template for topic ${topic}`);
  return { title: format(messages[locale].title, locale, values), body: format(messages[locale].body, locale, values) };
}
