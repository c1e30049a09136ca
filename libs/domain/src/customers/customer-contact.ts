/** Languages customers are written to in; zh-CN first. */
export const CUSTOMER_LOCALES = ['zh-CN', 'en'] as const;
export type CustomerLocale = (typeof CUSTOMER_LOCALES)[number];
export const DEFAULT_CUSTOMER_LOCALE: CustomerLocale = 'zh-CN';

/** Channels a customer may be reached on. */
export const CUSTOMER_CHANNELS = ['push', 'sms', 'email', 'wechat'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/** The personal contact fields (sealed at rest, masked in views, revealed only by an audited action). */
export const CONTACT_FIELDS = ['phone', 'email', 'wechatOpenId'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export type CustomerContact = Partial<Record<ContactField, string>>;

/** E.164-ish: an optional +, a non-zero first digit, 7–15 digits in all (mainland mobiles without +86 pass too). */
export const PHONE_PATTERN = /^\+?[1-9]\d{6,14}$/;
/** A pragmatic address check (one @, a dot in the domain, no spaces); the mail server has the last word. */
export const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** WeChat openids are 28 URL-safe characters; allow some slack for other app ids. */
export const WECHAT_OPENID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** `13812345678` → `138****5678`; `+8613812345678` → `+86138****5678`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `${phone.slice(0, 1)}****`;
  return `${phone.slice(0, phone.length - 8)}****${phone.slice(-4)}`;
}

/** `wang@example.com` → `w***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** Openids say nothing to a person; enough to tell two apart. */
export function maskOpenId(openId: string): string {
  return `${openId.slice(0, 4)}****${openId.slice(-2)}`;
}

export function maskContact(contact: CustomerContact): CustomerContact {
  return {
    ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}),
    ...(contact.email ? { email: maskEmail(contact.email) } : {}),
    ...(contact.wechatOpenId ? { wechatOpenId: maskOpenId(contact.wechatOpenId) } : {}),
  };
}
