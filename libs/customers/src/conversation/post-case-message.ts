import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { PostCommitDispatcher } from '@app/cases';
import { Clock } from '@app/config';
import { CaseMessageEntity, MacroEntity, NotificationEntity, OutboxEntity, type MessageParty } from '@app/db';
import { DomainError, DomainErrorCode, caseMoment, type CaseMoment } from '@app/domain';
import { currentRequestId } from '@app/observability';
import type { CaseMessageView } from './case-message-view';
import { AGENT_REPLIED_TOPIC, INBOX_TYPE_OF_REPLY, MERCHANT_MESSAGE_TOPIC } from './conversation-topics';
import { parseMessageInput } from './message-input';
import { languageOf, selectMessage } from './message-queries';
import { assertPartyOnCase, findCaseFor, ownPartyOf, type ConversationCase, type ConversationParticipant } from './participant';

export interface PostCaseMessageCommand {
  caseId: string;
  /** Agents: `customer` or `merchant` (disputes). A customer or merchant always writes on their own side; omit it. */
  party?: MessageParty;
  body: string;
  /** The message's language; by default the language the party last wrote in (zh-CN if never). */
  locale?: 'zh-CN' | 'en';
  /** Agents only: the canned reply the text started from. */
  macroId?: string | null;
}

/** Excerpt length in an inbox entry: enough to triage without opening the case. */
const EXCERPT_LENGTH = 140;

/**
 * Adds a message to a case's conversation. An agent's message goes out: its `notify` outbox row
 * (to the customer, or to the merchant as a webhook) commits with it and is relayed after commit.
 * A customer's or merchant's message comes in: it lands in the agent inbox of whoever holds the
 * case, or the supervisors' queue, in the same transaction.
 */
@Injectable()
export class PostCaseMessage {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: PostCaseMessageCommand, author: ConversationParticipant): Promise<CaseMessageView> {
    const ownParty = ownPartyOf(author);
    if (ownParty && command.party && command.party !== ownParty) {
      throw new DomainError(DomainErrorCode.ValidationFailed, `A ${author.kind} writes only on the ${ownParty} side of the conversation.`, {
        fields: [{ path: 'party', message: `must be ${ownParty}` }],
      });
    }
    if (ownParty && command.macroId) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'Only agents reply with macros.', { fields: [{ path: 'macroId', message: 'not allowed' }] });
    }
    const { caseId, ...fields } = command;
    const input = parseMessageInput({ ...fields, party: ownParty ?? fields.party });
    const em = this.em.fork();
    const outbox = await em.transactional(async (tx) => {
      const theCase = await findCaseFor(tx, author, caseId);
      assertPartyOnCase(theCase, input.party);
      if (input.macroId && !(await tx.count(MacroEntity, { id: input.macroId }))) {
        throw new DomainError(DomainErrorCode.MacroNotFound, `No macro ${input.macroId}.`, { macroId: input.macroId });
      }
      const now = this.clock.now();
      const outbound = author.kind === 'agent';
      const message = tx.create(CaseMessageEntity, {
        id: randomUUID(),
        caseId: theCase.id,
        party: input.party,
        direction: outbound ? 'outbound' : 'inbound',
        authorKind: author.kind,
        authorId: author.id,
        body: input.body,
        locale: input.locale ?? (outbound ? await languageOf(tx, theCase.id, input.party) : 'zh-CN'),
        macroId: input.macroId ?? null,
        createdAt: now,
      });
      const row = outbound ? await this.notifyRow(tx, theCase, message, now) : null;
      message.outboxId = row?.id ?? null;
      if (!outbound) this.addToInbox(tx, theCase, message, now);
      await tx.flush();
      return { row, messageId: message.id };
    });
    // After commit only, so no job runs for a rolled-back message; if Redis is away the periodic relay sends it.
    if (outbox.row) await this.dispatcher.dispatch({ outbox: [outbox.row] });
    return selectMessage(em, outbox.messageId);
  }

  private async notifyRow(tx: EntityManager, theCase: ConversationCase, message: CaseMessageEntity, now: Date): Promise<OutboxEntity> {
    const toCustomer = message.party === 'customer';
    // A merchant's webhook is built from the case as it is now, however late it goes out (see CaseMoment).
    const moment = toCustomer ? {} : { moment: await momentNow(tx, theCase.id, now) };
    return tx.create(OutboxEntity, {
      id: randomUUID(),
      caseId: theCase.id,
      type: 'notify',
      payload: {
        topic: toCustomer ? AGENT_REPLIED_TOPIC : MERCHANT_MESSAGE_TOPIC,
        audience: [message.party],
        ...(toCustomer ? { customerId: theCase.customerId } : { merchantId: theCase.merchantId }),
        messageId: message.id,
        body: message.body,
        locale: message.locale,
        caseKind: theCase.kind,
        caseState: theCase.state,
        ...moment,
      },
      createdAt: now,
      requestId: currentRequestId() ?? null,
    });
  }

  private addToInbox(tx: EntityManager, theCase: ConversationCase, message: CaseMessageEntity, now: Date): void {
    const assigneeId = theCase.assignee?.id ?? null;
    tx.create(NotificationEntity, {
      id: randomUUID(),
      audience: assigneeId ? 'agent' : 'supervisors',
      recipientAgentId: assigneeId,
      caseId: theCase.id,
      type: INBOX_TYPE_OF_REPLY[message.party],
      payload: {
        caseId: theCase.id,
        subject: theCase.subject,
        messageId: message.id,
        party: message.party,
        excerpt: message.body.length > EXCERPT_LENGTH ? `${message.body.slice(0, EXCERPT_LENGTH - 1)}…` : message.body,
      },
      dedupeKey: `message-${message.id}`,
      createdAt: now,
    });
  }
}

async function momentNow(tx: EntityManager, caseId: string, now: Date): Promise<CaseMoment> {
  // Read past the unit of work: the conversation loaded only part of the case, and the message must not write it.
  const read = <T extends object>(sql: string) => tx.getConnection().execute<T[]>(sql, [caseId], 'all', tx.getTransactionContext());
  const [row] = await read<{ snapshot: unknown; state: string; status: 'active' | 'done'; version: number; updated_at: Date }>(
    'select snapshot, state, status, version, updated_at from cases where id = ?',
  );
  const pending = await read<{ name: string; due_at: Date }>(`select name, due_at from deadlines where case_id = ? and kind = 'machine' and status = 'pending'`);
  return caseMoment({
    at: now,
    updatedAt: new Date(row!.updated_at),
    version: row!.version,
    state: row!.state,
    status: row!.status,
    snapshot: row!.snapshot,
    deadlines: pending.map((d) => ({ kind: 'machine', name: d.name, dueAt: new Date(d.due_at), status: 'pending' })),
  });
}
