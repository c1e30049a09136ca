import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '@app/cases';

/** The wallet's answers to the engine's look-ups arrive as events of the `system` actor. */
export const WALLET_LOOKUP: Actor = { kind: 'system', id: 'wallet' };

/**
 * Whether the case still waits for this very look-up, read inside the command's transaction (the
 * case row is locked by then). A repeated or late job then changes nothing: the answer it carries
 * belongs to a question the case no longer asks.
 */
export async function caseStillAsks(em: EntityManager, caseId: string, state: string, attempt?: { contextKey: string; value: number }): Promise<boolean> {
  const rows = await em
    .getConnection()
    .execute<Array<{ state: string; snapshot: { context?: Record<string, unknown> } }>>(`select state, snapshot from cases where id = ?`, [caseId]);
  const row = rows[0];
  if (!row || row.state !== state) return false;
  return attempt === undefined || row.snapshot.context?.[attempt.contextKey] === attempt.value;
}
