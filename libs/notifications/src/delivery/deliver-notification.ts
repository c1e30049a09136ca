import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ContactBox, SendCaseEvent } from '@app/cases';
import { Clock } from '@app/config';
import { AgentEntity, CaseEntity, CustomerContactEntity, NotificationDeliveryEntity } from '@app/db';
import { DomainError, DomainErrorCode, definitionFor } from '@app/domain';
import { PermanentDeliveryError, type RenderedMessage, type SendResult } from '../channels/channel';
import { EmailChannel } from '../channels/email-channel';
import { WalletNotificationChannel } from '../channels/wallet-notification-channel';
import { WechatChannel } from '../channels/wechat-channel';

export type DeliveryOutcome = 'sent' | 'failed' | 'skipped' | { notBefore: Date };

/** The event a successful delivery of an information request reports to machines that listen for it. */
const DELIVERY_REPORT = 'CUSTOMER_NOTIFIED';
const NOTIFICATIONS_ACTOR = { kind: 'system' as const, id: 'notifications' };

/**
 * Sends one delivery on its channel and records the outcome: `sent` when the provider accepted it,
 * `failed` with the provider's answer when it refused it for good or the retries ran out. A
 * delivered information request is reported to the case (CUSTOMER_NOTIFIED) in the same
 * transaction that marks the delivery sent, so the case learns of it exactly once.
 */
@Injectable()
export class DeliverNotification {
  constructor(
    private readonly em: EntityManager,
    private readonly box: ContactBox,
    private readonly email: EmailChannel,
    private readonly wallet: WalletNotificationChannel,
    private readonly wechat: WechatChannel,
    private readonly sendCaseEvent: SendCaseEvent,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(deliveryId: string, lastAttempt: boolean): Promise<DeliveryOutcome> {
    const em = this.em.fork();
    const delivery = await em.findOne(NotificationDeliveryEntity, { id: deliveryId });
    if (!delivery || delivery.status !== 'pending') return 'skipped';
    const now = this.clock.now();
    if (delivery.notBefore && delivery.notBefore.getTime() > now.getTime()) return { notBefore: delivery.notBefore };
    await em.nativeUpdate(NotificationDeliveryEntity, { id: deliveryId }, { attempts: delivery.attempts + 1, updatedAt: now });
    let result: SendResult;
    try {
      result = await this.send(em, delivery);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const failed = permanent || lastAttempt;
      await em.nativeUpdate(
        NotificationDeliveryEntity,
        { id: deliveryId, status: 'pending' },
        { lastError: String((error as Error).message ?? error).slice(0, 2000), updatedAt: this.clock.now(), ...(failed ? { status: 'failed' as const } : {}) },
      );
      if (permanent) return 'failed';
      throw error;
    }
    await this.markSent(delivery, result);
    return 'sent';
  }

  private async send(em: EntityManager, delivery: NotificationDeliveryEntity): Promise<SendResult> {
    if (delivery.recipientAgentId) {
      const agent = await em.findOne(AgentEntity, { id: delivery.recipientAgentId }, { fields: ['email'] });
      if (!agent) throw new PermanentDeliveryError('the agent is gone');
      return this.email.send(agent.email, { deliveryId: delivery.id, locale: delivery.locale, title: delivery.title, body: delivery.body });
    }
    const theCase = delivery.caseId ? await em.findOne(CaseEntity, { id: delivery.caseId }, { fields: ['id', 'customerId'] }) : null;
    const contact = delivery.caseId ? await em.findOne(CustomerContactEntity, { caseId: delivery.caseId }) : null;
    if (!theCase || !contact) throw new PermanentDeliveryError('the case or its customer contact is gone');
    const message: RenderedMessage = { deliveryId: delivery.id, locale: delivery.locale, title: delivery.title, body: delivery.body };
    switch (delivery.channel) {
      case 'push':
        return this.wallet.send('push', { userId: theCase.customerId }, message);
      case 'sms': {
        if (!contact.phoneSealed) throw new PermanentDeliveryError('the customer has no phone number');
        const phone = this.box.open(contact.phoneSealed, theCase.id, 'phone');
        return withoutRecipient(phone, contact.phoneMasked, () => this.wallet.send('sms', { userId: theCase.customerId, phone }, message));
      }
      case 'email': {
        if (!contact.emailSealed) throw new PermanentDeliveryError('the customer has no email address');
        const address = this.box.open(contact.emailSealed, theCase.id, 'email');
        return withoutRecipient(address, contact.emailMasked, () => this.email.send(address, message));
      }
      case 'wechat': {
        if (!contact.wechatOpenIdSealed) throw new PermanentDeliveryError('the customer has no WeChat openid');
        const openId = this.box.open(contact.wechatOpenIdSealed, theCase.id, 'wechatOpenId');
        return withoutRecipient(openId, contact.wechatOpenIdMasked, () => this.wechat.send(openId, message));
      }
      default:
        throw new PermanentDeliveryError(`channel ${delivery.channel} is not supported`);
    }
  }

  private async markSent(delivery: NotificationDeliveryEntity, result: SendResult): Promise<void> {
    const sentAt = this.clock.now();
    const mark = (em: EntityManager) =>
      em.nativeUpdate(
        NotificationDeliveryEntity,
        { id: delivery.id, status: 'pending' },
        { status: 'sent', sentAt, providerRef: result.providerRef, lastError: null, updatedAt: sentAt },
      );
    if (delivery.caseId && delivery.topic.endsWith('.info_requested') && (await this.reportsToCase(delivery.caseId, delivery.outboxId))) {
      // The message is out: a lost lock race (deadlock, lock timeout) is retried here rather than by the job, which would send it again.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const command = { caseId: delivery.caseId, event: { type: DELIVERY_REPORT, channel: delivery.channel } };
          const applied = await this.sendCaseEvent.transaction(command, async ({ em, sql }) => {
            const locked = await this.sendCaseEvent.lock(sql, command.caseId, NOTIFICATIONS_ACTOR);
            // Marked by another attempt already: it reported then.
            if ((await mark(em)) !== 1) return null;
            return this.sendCaseEvent.apply(sql, locked, command, NOTIFICATIONS_ACTOR);
          });
          if (applied) await this.sendCaseEvent.publish(applied);
          return;
        } catch (error) {
          const code = error instanceof DomainError ? error.code : undefined;
          if (code === DomainErrorCode.VersionConflict && attempt < 5) continue;
          // Already reported by another channel, or the customer answered meanwhile: the delivery still counts as sent.
          if (code === DomainErrorCode.EventNotAllowed || code === DomainErrorCode.UnknownEvent) break;
          throw error;
        }
      }
    }
    await mark(this.em.fork());
  }

  /**
   * Whether the case's machine listens for delivery reports, and this delivery is of the case's
   * latest information request: a late delivery of an earlier one must not count for a newer one.
   */
  private async reportsToCase(caseId: string, outboxId: string): Promise<boolean> {
    const em = this.em.fork();
    const theCase = await em.findOne(CaseEntity, { id: caseId }, { fields: ['kind', 'machineVersion'] });
    if (!theCase || !(DELIVERY_REPORT in definitionFor(theCase.kind, theCase.machineVersion).events)) return false;
    const [latest] = await em.getConnection().execute<Array<{ id: string }>>(
      `select id from outbox where case_id = ? and type = 'notify' and payload->>'topic' like '%.info_requested' and (payload->'audience')::jsonb @> '["customer"]'::jsonb
        order by created_at desc, id desc limit 1`,
      [caseId],
    );
    return latest?.id === outboxId;
  }
}

/**
 * Providers quote the recipient in their errors (`550 <wang@example.com>: no such user`); the
 * error is stored and shown on the timeline, where contact details appear only masked.
 */
async function withoutRecipient<T>(recipient: string, masked: string | null, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const message = String((error as Error).message ?? error)
      .split(recipient)
      .join(masked ?? '***');
    throw error instanceof PermanentDeliveryError ? new PermanentDeliveryError(message) : new Error(message);
  }
}
