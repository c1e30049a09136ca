import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, DeadlineEntity, timestampOrNull, type CustomerContactEntity, type OutboxRow } from '@app/db';
import { CUSTOMER_LOCALES, type CustomerChannel, type CustomerLocale } from '@app/domain';
import { EmailChannel } from '../channels/email-channel';
import { WalletNotificationChannel } from '../channels/wallet-notification-channel';
import { WechatChannel } from '../channels/wechat-channel';
import { smsNotBefore } from '../quiet-hours';
import { CUSTOMER_TEMPLATES, type CustomerTemplate } from '../templates/catalogue';
import { renderCustomerMessage } from '../templates/render';
import { messageValuesFor } from './message-values';
import { NotificationScheduler } from './notification-scheduler';

/** How a customer can be reached, as views may show it (masked): enough to tell which channels apply. */
export type CustomerReach = Pick<CustomerContactEntity, 'locale' | 'pushEnabled' | 'phoneMasked' | 'emailMasked' | 'wechatOpenIdMasked'>;

/** What the customer's side of a notify needs of the case before anything is rendered, read once per notify with the other audiences'. */
export interface CaseForCustomer {
  caseId: string;
  livemode: boolean;
  customerId: string;
  customerContact: CustomerReach | null;
  /** Deliveries of this outbox row exist already (an earlier run): only its pending ones go (back) on the queue. */
  notificationDeliveriesMade: boolean;
}

/**
 * Turns a `notify` outbox row addressed to the customer into one delivery per channel the
 * customer has, with the message rendered in their language and frozen. Idempotent by
 * (outbox row, channel): the effect may run any number of times, each channel gets it once.
 */
@Injectable()
export class CreateCustomerDeliveries {
  private readonly logger = new Logger('CustomerNotifications');

  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: NotificationScheduler,
    private readonly email: EmailChannel,
    private readonly wallet: WalletNotificationChannel,
    private readonly wechat: WechatChannel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(row: OutboxRow, target: CaseForCustomer): Promise<number> {
    const topic = String(row.payload.topic ?? '');
    const audience = (row.payload.audience ?? []) as string[];
    if (!audience.includes('customer')) return 0;
    const template = CUSTOMER_TEMPLATES[topic];
    // The boot check covers every topic machines and the engine send; a row from elsewhere is logged, not lost silently.
    if (!template) {
      this.logger.error(`no customer template for topic ${topic} (outbox ${row.id})`);
      return 0;
    }
    const rows: unknown[][] = [];
    if (!target.notificationDeliveriesMade) {
      const contact = target.customerContact;
      // A test-mode case's customer is made up by the merchant's test helpers: nobody real is told anything.
      if (!contact || !target.livemode) return 0;
      const channels = this.channelsFor(template, contact, target.customerId);
      // Nothing reaches this customer: the case and its deadlines are not even read.
      if (channels.length === 0) return 0;
      const em = this.em.fork();
      const theCase = await em.findOneOrFail(CaseEntity, { id: target.caseId });
      const pending = await em.find(DeadlineEntity, { caseId: theCase.id, status: 'pending', kind: 'machine' });
      // A row may name the language it was written in (a conversation reply); otherwise the customer's.
      const locale = (CUSTOMER_LOCALES as readonly string[]).includes(String(row.payload.locale)) ? (row.payload.locale as CustomerLocale) : contact.locale;
      const message = renderCustomerMessage(topic, locale, messageValuesFor(row, theCase, pending));
      const now = this.clock.now();
      for (const { channel, recipient } of channels) {
        const notBefore = channel === 'sms' && !template.urgent ? smsNotBefore(now) : null;
        rows.push([randomUUID(), row.id, theCase.id, channel, topic, locale, recipient, message.title, message.body, notBefore, now, now]);
      }
    }
    // One statement: the deliveries for all channels (a crash never leaves some created and the
    // others forgotten) and, also on a re-run, whatever of this row's deliveries is still pending,
    // to go (back) on the queue. The select does not see the CTE's rows (one snapshot): each once.
    const created = rows.length
      ? `with created as (
           insert into notification_deliveries (id, outbox_id, case_id, channel, topic, locale, recipient_masked, title, body, not_before, created_at, updated_at)
           values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
           on conflict (outbox_id, channel) do nothing
           returning id, not_before)
         select * from created union all `
      : '';
    const unsent = await this.em
      .getConnection()
      .execute<Array<{ id: string; not_before: string | Date | null }>>(`${created}select id, not_before from notification_deliveries where outbox_id = ? and status = 'pending'`, [
        ...rows.flat(),
        row.id,
      ]);
    await this.scheduler.schedule(unsent.map((delivery) => ({ id: delivery.id, notBefore: timestampOrNull(delivery.not_before) })));
    return unsent.length;
  }

  /** The channels this message goes out on, each with the recipient as views may show it. */
  private channelsFor(template: CustomerTemplate, contact: CustomerReach, customerId: string): Array<{ channel: CustomerChannel; recipient: string | null }> {
    const channels: Array<{ channel: CustomerChannel; recipient: string | null }> = [];
    const push = contact.pushEnabled && this.wallet.configured;
    if (push) channels.push({ channel: 'push', recipient: `app:${customerId}` });
    // SMS costs money and wakes people: for what the customer must act on or where money moved, or when the app cannot push.
    if (contact.phoneMasked && this.wallet.configured && (template.sms || !push)) channels.push({ channel: 'sms', recipient: contact.phoneMasked });
    if (contact.emailMasked && this.email.configured) channels.push({ channel: 'email', recipient: contact.emailMasked });
    if (contact.wechatOpenIdMasked && this.wechat.configured) channels.push({ channel: 'wechat', recipient: contact.wechatOpenIdMasked });
    return channels;
  }
}
