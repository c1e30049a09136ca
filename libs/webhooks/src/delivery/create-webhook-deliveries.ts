import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, timestampOrNull, type OutboxRow } from '@app/db';
import { momentOf, type CaseMoment } from '@app/domain';
import { disputeAtMoment, getMerchantDisputeView, getMerchantRefundRequestView, refundRequestAtMoment, toDecisionView } from '@app/merchants';
import { ALL_EVENTS } from '../webhook-events';
import { DeliveryScheduler } from './delivery-scheduler';

/**
 * What the merchant's side of a notify needs of the case before anything is built, read once per
 * notify with what the other audiences need (the body, when there is somebody to send it to, is
 * built from the case itself).
 */
export interface CaseForWebhooks {
  caseId: string;
  merchantId: string | null;
  /** The merchant's enabled endpoints of the case's mode (test or live), with the events each takes. */
  webhookEndpoints: ReadonlyArray<{ id: string; events: readonly string[] }>;
  /** Whether deliveries of this outbox row are still pending: a re-run puts them back on the queue. */
  pendingWebhookDeliveries: boolean;
}

/**
 * Turns a `notify` outbox row addressed to the merchant into one delivery per subscribed
 * endpoint. Idempotent by (outbox row, endpoint): the effect may run any number of times and
 * each endpoint still gets the event once. The body shows the case as it was at the event (the
 * moment stored with the row at commit), so however late this runs, it tells what was true then;
 * and once built it is frozen in the delivery, so retries and replays send the same bytes.
 */
@Injectable()
export class CreateWebhookDeliveries {
  constructor(
    private readonly em: EntityManager,
    private readonly scheduler: DeliveryScheduler,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(row: OutboxRow, target: CaseForWebhooks): Promise<number> {
    const topic = String(row.payload.topic ?? '');
    const audience = (row.payload.audience ?? []) as string[];
    const { merchantId } = target;
    if (!merchantId || !audience.includes('merchant')) return 0;
    const endpoints = target.webhookEndpoints.filter((endpoint) => endpoint.events.includes(topic) || endpoint.events.includes(ALL_EVENTS));
    // No endpoint takes the event and no earlier run left one pending: nothing to write or queue.
    if (endpoints.length === 0 && !target.pendingWebhookDeliveries) return 0;
    const em = this.em.fork();
    const bodies: Array<{ endpointId: string; eventId: string; body: string }> = [];
    if (endpoints.length > 0) {
      const theCase = await em.findOneOrFail(CaseEntity, { id: target.caseId });
      const eventId = `evt_${row.id.replace(/-/g, '')}`;
      // `livemode: false` marks a test case's event (Stripe's flag); test endpoints receive only those.
      const body = JSON.stringify({
        id: eventId,
        type: topic,
        timestamp: row.createdAt.toISOString(),
        livemode: theCase.livemode,
        data: { ...(await this.dataFor(em, theCase, momentOf(row.payload))), ...messageOf(row) },
      });
      for (const endpoint of endpoints) bodies.push({ endpointId: endpoint.id, eventId, body });
    }
    const now = this.clock.now();
    // One statement: this row's new deliveries, and (also on a re-run) whatever of its deliveries is
    // still pending, to go (back) on the queue. The select does not see the CTE's rows (one
    // snapshot), so the union lists each delivery once.
    const inserted = bodies.length
      ? `with created as (
           insert into webhook_deliveries (id, endpoint_id, merchant_id, outbox_id, case_id, event_id, event_type, body, next_attempt_at, created_at, updated_at)
           values ${bodies.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
           on conflict (outbox_id, endpoint_id) do nothing
           returning id, generation, attempts, next_attempt_at)
         select * from created union all `
      : '';
    const pending = await em
      .getConnection()
      .execute<Array<{ id: string; generation: number; attempts: number; next_attempt_at: string | Date | null }>>(
        `${inserted}select id, generation, attempts, next_attempt_at from webhook_deliveries where outbox_id = ? and status = 'pending'`,
        [...bodies.flatMap(({ endpointId, eventId, body }) => [randomUUID(), endpointId, merchantId, row.id, target.caseId, eventId, topic, body, now, now, now]), row.id],
      );
    await this.scheduler.schedule(
      pending.map((delivery) => ({ id: delivery.id, generation: delivery.generation, attempts: delivery.attempts, nextAttemptAt: timestampOrNull(delivery.next_attempt_at) })),
    );
    return endpoints.length;
  }

  private async dataFor(em: EntityManager, theCase: CaseEntity, moment: CaseMoment | null): Promise<Record<string, unknown>> {
    // A refund request as the merchant API shows it, so the merchant can answer it from the event.
    if (theCase.kind === 'refund_request') {
      // Rows committed before moments were stored: the request as it is now is the best there is.
      return {
        object: moment ? refundRequestAtMoment(theCase, moment) : await getMerchantRefundRequestView(em, { id: theCase.merchantId!, livemode: theCase.livemode }, theCase.id),
      };
    }
    if (theCase.kind !== 'dispute') {
      return { object: theCase.kind, id: theCase.id, state: moment?.state ?? theCase.state, transaction_ref: theCase.transactionRef };
    }
    if (moment) return disputeAtMoment(em, theCase, moment);
    // Rows committed before moments were stored: the case as it is now is the best there is.
    const dispute = await getMerchantDisputeView(em, { id: theCase.merchantId!, livemode: theCase.livemode }, theCase.id);
    return { object: dispute, decision: toDecisionView(dispute, theCase) };
  }
}

/** A `dispute.message` event carries the agent's message itself, as the merchant API shows it. */
function messageOf(row: OutboxRow): Record<string, unknown> {
  if (row.payload.topic !== 'dispute.message' || typeof row.payload.messageId !== 'string') return {};
  return {
    message: {
      id: row.payload.messageId,
      dispute_id: row.caseId,
      direction: 'outbound',
      from: 'support',
      body: row.payload.body,
      locale: row.payload.locale,
      created_at: row.createdAt.toISOString(),
    },
  };
}
