import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Clock } from '@app/config';
import { OutboxEntity, timestampOrNull, type OutboxRow, type OutboxStatus } from '@app/db';
import { EFFECT_TYPES } from '@app/domain';
import { EFFECT_HANDLERS, type EffectHandler } from './effect-handler';

interface OutboxRead {
  /** Named apart: a handler's caseColumns may have an `id` of their own (the case's). */
  outbox_id: string;
  case_id: string | null;
  type: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  created_at: string | Date;
}

/** A row read and not done yet; `type` is set when it was read with its handler's caseColumns. */
export interface UnfinishedEffect {
  row: OutboxRow;
  read: Record<string, unknown>;
  type: string | undefined;
}

/** Runs the handler for one outbox row and records the outcome on the row. */
@Injectable()
export class EffectRunner implements OnModuleInit {
  private readonly byType = new Map<string, EffectHandler>();

  constructor(
    private readonly em: EntityManager,
    @Inject(EFFECT_HANDLERS) private readonly handlers: EffectHandler[],
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Fail at boot, not at 3 a.m., when an effect type has no handler or two. */
  onModuleInit(): void {
    for (const handler of this.handlers) {
      for (const type of handler.types) {
        if (this.byType.has(type)) throw new Error(`Effect type "${type}" has two handlers`);
        this.byType.set(type, handler);
      }
    }
    const missing = EFFECT_TYPES.filter((type) => !this.byType.has(type));
    if (missing.length) throw new Error(`No handler for effect types: ${missing.join(', ')}`);
  }

  /**
   * `type`: the effect type the job says the row has (the job is built from the row); its handler's
   * caseColumns are read with the row, one statement for both.
   */
  async run(outboxId: string, type?: string): Promise<'done' | 'skipped'> {
    const [effect] = await this.readUnfinished([outboxId], type);
    if (!effect) return 'skipped';
    // Read without the columns its handler needs (a job without the type, or with another): once more, with them.
    if (effect.type === undefined && this.handlerOf(effect.row.type).caseColumns) return this.run(outboxId, effect.row.type);
    await this.handle(effect);
    return 'done';
  }

  /**
   * The rows of `outboxIds` not done yet, each read with the caseColumns of `type`'s handler, in
   * one statement. A row whose type is not `type` is read without them (`run` reads it again).
   */
  async readUnfinished(outboxIds: readonly string[], type?: string): Promise<UnfinishedEffect[]> {
    const caseColumns = type === undefined ? undefined : this.byType.get(type)?.caseColumns;
    // Read in plain SQL: the rows are only read, and hydrating entities for them cost more than the rest of a notify.
    const found = await this.em
      .getConnection()
      .execute<Array<OutboxRead & Record<string, unknown>>>(
        caseColumns
          ? `select o.id as outbox_id, o.case_id, o.type, o.payload, o.status, o.created_at, ${caseColumns} from outbox o left join cases c on c.id = o.case_id where o.id = any(?::uuid[])`
          : `select id as outbox_id, case_id, type, payload, status, created_at from outbox where id = any(?::uuid[])`,
        [`{${outboxIds.join(',')}}`],
      );
    const byId = new Map(found.map((read) => [read.outbox_id, read]));
    // In the order asked for: a batch runs its rows in the order they were committed.
    return outboxIds.flatMap((id) => {
      const read = byId.get(id);
      if (!read || read.status === 'done') return [];
      const row: OutboxRow = { id, caseId: read.case_id, type: read.type, payload: read.payload, createdAt: timestampOrNull(read.created_at)! };
      return [{ row, read, type: read.type === type ? type : undefined }];
    });
  }

  /** Runs the row's handler and marks the row done. */
  async handle(effect: UnfinishedEffect): Promise<void> {
    await this.runHandler(effect);
    await this.markDone([effect.row.id]);
  }

  /** Runs the row's handler; a failure is counted on the row (attempts, last_error) and thrown on. */
  async runHandler(effect: UnfinishedEffect): Promise<void> {
    try {
      await this.handlerOf(effect.row.type).handle(effect.row, effect.read);
    } catch (error) {
      await this.em.getConnection().execute(`update outbox set attempts = attempts + 1, last_error = ? where id = ?`, [String(error).slice(0, 2000), effect.row.id]);
      throw error;
    }
  }

  /** Marks rows whose handler ran done, in one statement (a batch marks all of its rows at once). */
  async markDone(outboxIds: readonly string[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await this.em
      .getConnection()
      .execute(`update outbox set status = 'done', attempts = attempts + 1, done_at = ?, last_error = null where id = any(?::uuid[])`, [
        this.clock.now(),
        `{${outboxIds.join(',')}}`,
      ]);
  }

  private handlerOf(type: string): EffectHandler {
    const handler = this.byType.get(type);
    // No retry can fix a type nobody handles: fail the job at once so the row is marked failed.
    if (!handler) throw new UnrecoverableError(`No handler for effect type "${type}"`);
    return handler;
  }

  /**
   * After BullMQ gave up: park the row so the reconciler stops re-sending it and operators see it
   * (`effects_unfinished{status="failed"}`) and redrive it. A row already done stays done.
   */
  async markFailed(outboxId: string, error: string): Promise<void> {
    // A job without a row id (not an effect.run's) must not become a where clause without an id.
    if (!outboxId) throw new Error('markFailed needs an outbox id');
    await this.em.fork().nativeUpdate(OutboxEntity, { id: outboxId, status: { $ne: 'done' } }, { status: 'failed', lastError: error.slice(0, 2000) });
  }
}
