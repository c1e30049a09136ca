import type { OutboxRow } from '@app/db';

/** Carries out one kind of outbox effect. Must be idempotent by the outbox row id. */
export interface EffectHandler {
  readonly types: readonly string[];
  /**
   * What `handle` needs about the row's case, as select-list expressions over `c` (the case; its
   * columns are null when the row has none) and `o` (the outbox row), named apart from the row's
   * own columns (outbox_id, case_id, type, payload, status, created_at). The runner reads them in the same
   * statement as the row, so the handler needs no read of its own.
   */
  readonly caseColumns?: string;
  /** `read`: the row as the runner read it, caseColumns included (always, for a handler that has them). */
  handle(row: OutboxRow, read: Record<string, unknown>): Promise<void>;
}

export const EFFECT_HANDLERS = Symbol('EFFECT_HANDLERS');
