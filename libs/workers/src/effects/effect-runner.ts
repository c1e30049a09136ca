import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Clock } from '@app/config';
import { OutboxEntity, timestampOrNull, type OutboxRow, type OutboxStatus } from '@app/db';
import { EFFECT_TYPES } from '@app/domain';
import { EFFECT_HANDLERS, type EffectHandler } from './effect-handler';

interface OutboxRead {
  case_id: string | null;
  type: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  created_at: string | Date;
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
    const connection = this.em.getConnection();
    const expected = type === undefined ? undefined : this.byType.get(type);
    const caseColumns = expected?.caseColumns;
    // Read and marked in plain SQL: the row is only read, and hydrating an entity for it cost more than the rest of a notify.
    const [found] = await connection.execute<Array<OutboxRead & Record<string, unknown>>>(
      caseColumns
        ? `select o.case_id, o.type, o.payload, o.status, o.created_at, ${caseColumns} from outbox o left join cases c on c.id = o.case_id where o.id = ?`
        : `select case_id, type, payload, status, created_at from outbox where id = ?`,
      [outboxId],
    );
    if (!found || found.status === 'done') return 'skipped';
    const row: OutboxRow = { id: outboxId, caseId: found.case_id, type: found.type, payload: found.payload, createdAt: timestampOrNull(found.created_at)! };
    const handler = this.byType.get(row.type);
    // No retry can fix a type nobody handles: fail the job at once so the row is marked failed.
    if (!handler) throw new UnrecoverableError(`No handler for effect type "${row.type}"`);
    // Read without the columns its handler needs (a job without the type, or with another): once more, with them.
    if (handler.caseColumns && handler !== expected) return this.run(outboxId, row.type);
    try {
      await handler.handle(row, found);
    } catch (error) {
      await connection.execute(`update outbox set attempts = attempts + 1, last_error = ? where id = ?`, [String(error).slice(0, 2000), row.id]);
      throw error;
    }
    await connection.execute(`update outbox set status = 'done', attempts = attempts + 1, done_at = ?, last_error = null where id = ?`, [this.clock.now(), row.id]);
    return 'done';
  }

  /**
   * After BullMQ gave up: park the row so the reconciler stops re-sending it and operators see it
   * (`effects_unfinished{status="failed"}`) and redrive it. A row already done stays done.
   */
  async markFailed(outboxId: string, error: string): Promise<void> {
    await this.em.fork().nativeUpdate(OutboxEntity, { id: outboxId, status: { $ne: 'done' } }, { status: 'failed', lastError: error.slice(0, 2000) });
  }
}
