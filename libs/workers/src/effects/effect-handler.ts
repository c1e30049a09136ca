import type { OutboxRow } from '@app/db';

/** Carries out one kind of outbox effect. Must be idempotent by the outbox row id. */
export interface EffectHandler {
  readonly types: readonly string[];
  handle(row: OutboxRow): Promise<void>;
}

export const EFFECT_HANDLERS = Symbol('EFFECT_HANDLERS');
