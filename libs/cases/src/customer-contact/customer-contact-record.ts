import { CustomerContactEntity } from '@app/db';
import { DEFAULT_CUSTOMER_LOCALE, maskEmail, maskOpenId, maskPhone, type CustomerLocale } from '@app/domain';
import type { ContactBox } from './contact-box';

/** What a case is told about its customer when it opens (all optional but the id). */
export interface CustomerInput {
  id: string;
  name?: string | null;
  locale?: CustomerLocale;
  phone?: string | null;
  email?: string | null;
  wechatOpenId?: string | null;
  pushEnabled?: boolean;
}

/** The contact as every view shows it: masked. */
export interface CustomerContactView {
  locale: CustomerLocale;
  pushEnabled: boolean;
  phone: string | null;
  email: string | null;
  wechatOpenId: string | null;
}

/** The case's contact row: each personal field sealed, beside its masked copy. */
export function contactRecordFor(box: ContactBox, caseId: string, customer: CustomerInput, now: Date): CustomerContactEntity {
  const record = Object.assign(new CustomerContactEntity(), {
    caseId,
    locale: customer.locale ?? DEFAULT_CUSTOMER_LOCALE,
    // Push only where the wallet says the app user allows it.
    pushEnabled: customer.pushEnabled ?? false,
    createdAt: now,
  });
  if (customer.phone) Object.assign(record, { phoneSealed: box.seal(customer.phone, caseId, 'phone'), phoneMasked: maskPhone(customer.phone) });
  if (customer.email) Object.assign(record, { emailSealed: box.seal(customer.email, caseId, 'email'), emailMasked: maskEmail(customer.email) });
  if (customer.wechatOpenId) {
    Object.assign(record, { wechatOpenIdSealed: box.seal(customer.wechatOpenId, caseId, 'wechatOpenId'), wechatOpenIdMasked: maskOpenId(customer.wechatOpenId) });
  }
  return record;
}

export function toContactView(
  record: Pick<CustomerContactEntity, 'locale' | 'pushEnabled' | 'phoneMasked' | 'emailMasked' | 'wechatOpenIdMasked'> | null | undefined,
): CustomerContactView | null {
  if (!record) return null;
  return {
    locale: record.locale,
    pushEnabled: record.pushEnabled,
    phone: record.phoneMasked,
    email: record.emailMasked,
    wechatOpenId: record.wechatOpenIdMasked,
  };
}
