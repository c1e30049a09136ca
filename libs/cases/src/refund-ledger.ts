import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlSessionOf, type CaseEntity, type SqlSession, type SqlStatement } from '@app/db';
import { moveRefundLedger, soleDecisionRefusal, type RefundLedgerBalance, type RefundLedgerMovement, type SoleDecider } from '@app/domain';

/**
 * The per-transaction refund ledger as the command path keeps it (libs/domain's refund-ledger.ts
 * says what each movement means). Lock order, the same on every path: the case row, its live
 * deadlines (lockCaseWithLiveDeadlines), then its transaction's ledger row. Two commands on
 * different cases of one transaction therefore queue on the ledger row, never the other way round,
 * and the check below sees every commitment committed before it.
 */
export const LOCK_REFUND_LEDGER_SQL = `select l.transaction_ref, l.currency, l.captured_minor, l.committed_minor, l.refunded_minor,
  s.committed_minor as share_committed_minor, s.refunded_minor as share_refunded_minor
  from refund_ledgers l left join refund_ledger_shares s on s.case_id = ?
  where l.transaction_ref = ? for update of l`;

/**
 * What one agent decided alone on the transaction so far. A statement of its own after the lock,
 * not a subquery of it: under READ COMMITTED a statement that waited for the lock still reads other
 * rows as of its start, and would miss a decision committed while it waited.
 */
const DECIDED_ALONE_SQL = `select coalesce(sum(amount_minor), 0) as minor from refund_sole_decisions where transaction_ref = ? and agent_id = ?`;
/** Every decision taken alone is kept (a decision counts as taken: a later one on the same case, an appeal's, adds to it). */
const RECORD_SOLE_DECISION_SQL = `insert into refund_sole_decisions (transaction_ref, case_id, agent_id, amount_minor, decided_at) values (?, ?, ?, ?, ?)`;

/** The movement's two writes; the command's writer sends them as parts of its one statement (case-writes.ts). */
const WRITE_SHARE_SQL = `insert into refund_ledger_shares (case_id, transaction_ref, committed_minor, refunded_minor, updated_at) values (?, ?, ?, ?, ?)
    on conflict (case_id) do update set committed_minor = excluded.committed_minor, refunded_minor = excluded.refunded_minor, updated_at = excluded.updated_at`;
const WRITE_LEDGER_SQL = `update refund_ledgers set committed_minor = ?, refunded_minor = ?, updated_at = ? where transaction_ref = ?`;

/** bigint columns come back from the driver as strings. */
type Minor = string | number;

interface LockedLedgerRow {
  transaction_ref: string;
  currency: string;
  captured_minor: Minor;
  committed_minor: Minor;
  refunded_minor: Minor;
  share_committed_minor: Minor | null;
  share_refunded_minor: Minor | null;
}

/** What the wallet says of the transaction: the ledger its first case creates. */
export interface RefundLedgerOpening {
  transactionRef: string;
  currency: string;
  capturedMinor: number;
  /** Refunded by the wallet before any case of ours (another channel, or cases from before the ledger). */
  alreadyRefundedMinor: number;
}

/**
 * Creates the transaction's ledger when its first case opens (the first opener's look-up stands).
 * What the wallet had already refunded counts as refunded, so our cases share only what is left.
 */
export async function ensureRefundLedger(em: EntityManager, opening: RefundLedgerOpening, now: Date): Promise<void> {
  await em
    .getConnection()
    .execute(
      `insert into refund_ledgers (transaction_ref, currency, captured_minor, refunded_minor, created_at, updated_at) values (?, ?, ?, ?, ?, ?) on conflict (transaction_ref) do nothing`,
      [opening.transactionRef, opening.currency, opening.capturedMinor, Math.min(opening.alreadyRefundedMinor, opening.capturedMinor), now, now],
      'run',
      em.getTransactionContext(),
    );
}

/**
 * Locks the case's transaction ledger and checks a transition's movement of its case's share, in
 * the command's transaction, after the case lock, and returns the writes that record it (for the
 * command's writer). Throws (DomainError) before anything is written when a commitment would take
 * the transaction past what was captured (REFUND_EXCEEDS_TRANSACTION), or when an agent deciding
 * alone would, with what they decided alone on the transaction before, go past their limit
 * (APPROVAL_REQUIRED; the ledger's lock makes two such decisions queue, so they cannot both pass).
 * Most transitions move nothing and cost no statement. A case without a ledger (no transaction
 * reference, or opened before the wallet was in the loop) is left to the wallet's own refusal of
 * refunds beyond what it captured.
 */
export async function planCaseRefundShare(
  sql: SqlSession,
  caseEntity: Pick<CaseEntity, 'id' | 'transactionRef'>,
  movement: RefundLedgerMovement | null,
  now: Date,
): Promise<SqlStatement[]> {
  if (!movement || !caseEntity.transactionRef) return [];
  const [row] = await sql.all<LockedLedgerRow>(LOCK_REFUND_LEDGER_SQL, [caseEntity.id, caseEntity.transactionRef]);
  if (!row) return [];
  const share = { committedMinor: Number(row.share_committed_minor ?? 0), refundedMinor: Number(row.share_refunded_minor ?? 0) };
  const ledger = {
    transactionRef: row.transaction_ref,
    currency: row.currency,
    capturedMinor: Number(row.captured_minor),
    committedMinor: Number(row.committed_minor),
    refundedMinor: Number(row.refunded_minor),
  };
  const next = moveRefundLedger(ledger, share, movement);
  const soleDecision =
    movement.kind === 'commit' && movement.decidedAlone ? await checkSoleDecision(sql, caseEntity.id, ledger, movement.amountMinor, movement.decidedAlone, now) : [];
  if (next.share.committedMinor === share.committedMinor && next.share.refundedMinor === share.refundedMinor) return soleDecision;
  return [
    { sql: WRITE_SHARE_SQL, params: [caseEntity.id, ledger.transactionRef, next.share.committedMinor, next.share.refundedMinor, now] },
    { sql: WRITE_LEDGER_SQL, params: [next.ledger.committedMinor, next.ledger.refundedMinor, now, ledger.transactionRef] },
    ...soleDecision,
  ];
}

/** Holds an agent's decision alone to their limit with what they decided alone on the transaction before, and records it. */
async function checkSoleDecision(sql: SqlSession, caseId: string, ledger: RefundLedgerBalance, amountMinor: number, decider: SoleDecider, now: Date): Promise<SqlStatement[]> {
  const decided = decider.agentId ? await decidedAloneMinor(sql, ledger.transactionRef, decider.agentId) : 0;
  const refusal = soleDecisionRefusal(decider, { amountMinor, currency: ledger.currency, transactionRef: ledger.transactionRef }, decided);
  if (refusal) throw refusal;
  return [{ sql: RECORD_SOLE_DECISION_SQL, params: [ledger.transactionRef, caseId, decider.agentId, amountMinor, now] }];
}

/** What one agent decided alone on a wallet transaction so far, in minor units (0 for nothing). */
export async function decidedAloneMinor(sql: SqlSession, transactionRef: string, agentId: string): Promise<number> {
  const [decided] = await sql.all<{ minor: Minor }>(DECIDED_ALONE_SQL, [transactionRef, agentId]);
  return Number(decided?.minor ?? 0);
}

/** planCaseRefundShare with its writes sent at once: a case that opens (its rows go through OpenCase's flush). */
export async function moveCaseRefundShare(
  em: EntityManager,
  caseEntity: Pick<CaseEntity, 'id' | 'transactionRef'>,
  movement: RefundLedgerMovement | null,
  now: Date,
): Promise<void> {
  const writes = await planCaseRefundShare(sqlSessionOf(em), caseEntity, movement, now);
  for (const write of writes) await em.getConnection().execute(write.sql, write.params, 'run', em.getTransactionContext());
}
