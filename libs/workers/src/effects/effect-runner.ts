import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { Clock } from '@app/config';
import { OutboxEntity } from '@app/db';
import { EFFECT_TYPES } from '@app/domain';
import { EFFECT_HANDLERS, type EffectHandler } from './effect-handler';

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

  async run(outboxId: string): Promise<'done' | 'skipped'> {
    const em = this.em.fork();
    const row = await em.findOne(OutboxEntity, { id: outboxId });
    if (!row || row.status === 'done') return 'skipped';
    const handler = this.byType.get(row.type);
    // No retry can fix a type nobody handles: fail the job at once so the row is marked failed.
    if (!handler) throw new UnrecoverableError(`No handler for effect type "${row.type}"`);
    try {
      await handler.handle(row);
    } catch (error) {
      await em.nativeUpdate(OutboxEntity, { id: row.id }, { attempts: row.attempts + 1, lastError: String(error).slice(0, 2000) });
      throw error;
    }
    await em.nativeUpdate(OutboxEntity, { id: row.id }, { status: 'done', attempts: row.attempts + 1, doneAt: this.clock.now(), lastError: null });
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
