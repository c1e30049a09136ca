import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, OutboxEntity } from '@app/db';
import { currentDefinition, openCase, type CaseKind, type Channel, type Money, type Priority } from '@app/domain';
import { SlaTracker } from '@app/sla';
import type { Actor } from '../actor';
import { ContactBox } from '../customer-contact/contact-box';
import { contactRecordFor, type CustomerInput } from '../customer-contact/customer-contact-record';
import { PostCommitDispatcher } from '../dispatch/post-commit-dispatcher';
import { rethrowDuplicateCase } from '../errors';
import { recordTransition, setNextDeadline } from '../transition-recorder';

export interface OpenCaseCommand {
  kind: CaseKind;
  channel: Channel;
  priority: Priority;
  subject: string;
  description?: string | null;
  customer: CustomerInput;
  merchantId?: string | null;
  transactionRef?: string | null;
  amount?: Money | null;
  reason?: string | null;
  purchasedAt?: string | null;
}

/** Opens a case of any kind on the newest version of its machine. */
@Injectable()
export class OpenCase {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly sla: SlaTracker,
    private readonly contactBox: ContactBox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: OpenCaseCommand, actor: Actor): Promise<string> {
    const definition = currentDefinition(command.kind);
    const now = this.clock.now();
    // The matched SLA policy sets the case's windows (merchant response, customer reply) and clocks.
    const sla = await this.sla.forFacts({ kind: command.kind, priority: command.priority, channel: command.channel });
    const transition = openCase(
      definition,
      {
        amount: command.amount ?? null,
        reason: command.reason ?? null,
        transactionRef: command.transactionRef ?? null,
        purchasedAt: command.purchasedAt ?? null,
        openedAt: now.toISOString(),
      },
      this.sla.windowsFor(sla),
    );
    const id = randomUUID();
    const work = await this.em.transactional(async (em) => {
      const entity = em.create(CaseEntity, {
        id,
        kind: command.kind,
        machineVersion: definition.version,
        state: transition.state,
        snapshot: transition.snapshot,
        machineInput: transition.event.input,
        priority: command.priority,
        channel: command.channel,
        subject: command.subject,
        description: command.description ?? null,
        customerId: command.customer.id,
        customerName: command.customer.name ?? null,
        merchantId: command.merchantId ?? null,
        transactionRef: command.transactionRef ?? null,
        amountMinor: command.amount?.amountMinor ?? null,
        currency: command.amount?.currency ?? null,
        slaPolicyId: sla?.policy.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      const recorded = recordTransition(entity, transition, actor, now, { isNew: true, dueAt: this.sla.dueAtPlanner(sla), live: [] });
      em.persist([recorded.event, ...recorded.scheduledDeadlines, ...recorded.outbox]);
      const slaWork = this.sla.startClocks(em, entity, sla, transition.slaPhase, now);
      const windowReminders = this.sla.planWindowReminders(em, entity, sla, recorded.scheduledDeadlines, now);
      setNextDeadline(entity, [...recorded.pending, ...slaWork.scheduled]);
      em.persist(contactRecordFor(this.contactBox, id, command.customer, now));
      // The customer's acknowledgement, committed with the case: the first-response clock's breach is the promised reply time.
      const firstResponseDue = slaWork.scheduled.find((deadline) => deadline.sendId === 'sla.firstResponse.breach')?.dueAt ?? null;
      const acknowledgement = Object.assign(new OutboxEntity(), {
        id: randomUUID(),
        caseId: id,
        type: 'notify',
        payload: { topic: 'case.opened', audience: ['customer'], caseKind: command.kind, caseState: transition.state, firstResponseDueAt: firstResponseDue?.toISOString() ?? null },
        createdAt: now,
      });
      em.persist(acknowledgement);
      return { ...recorded, outbox: [...recorded.outbox, acknowledgement], scheduledDeadlines: [...recorded.scheduledDeadlines, ...slaWork.scheduled, ...windowReminders] };
    }).catch((error: unknown) => rethrowDuplicateCase(this.em, error, command.kind, command.transactionRef));
    await this.dispatcher.dispatch(work);
    return id;
  }
}
