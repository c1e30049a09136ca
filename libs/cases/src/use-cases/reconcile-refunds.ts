import { randomUUID } from 'node:crypto';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import {
  compareRefunds,
  DomainError,
  DomainErrorCode,
  REFUND_MISMATCH_KINDS,
  type OurRefundRecord,
  type RefundMismatch,
  type RefundMismatchKind,
  type WalletRefundRecord,
} from '@app/domain';
import { WalletCallError, WalletPort, type WalletRefund } from '@app/wallet';

export interface RefundReconciliationReport {
  from: string;
  to: string;
  /** Refunds looked at, ours and the wallet's together (by key). */
  examined: number;
  /** Findings of this pass, by kind (stored in refund_mismatches). */
  mismatches: Record<RefundMismatchKind, number>;
  /** Earlier findings this pass no longer sees (settled since, or put right by a person). */
  resolved: number;
}

/** Keeps IN lists to a size PostgreSQL plans well. */
const CHUNK = 500;

interface OurRefundRow {
  idempotency_key: string;
  case_id: string;
  transaction_ref: string | null;
  status: string;
  amount_minor: string | number;
  currency: string;
}

/**
 * Compares our refunds with the wallet's over a range of creation times (the wallet's list, plus a
 * look-up by key of ours it did not list, e.g. created across the range's edge) and stores what
 * disagrees for supervisors. It never changes money, refunds or cases: a finding is for a person.
 * Safe to run twice or in two workers at once: findings are upserted (one open row per refund and
 * kind), and a finding a later pass no longer sees is marked resolved.
 */
@Injectable()
export class ReconcileRefunds {
  constructor(
    private readonly em: EntityManager,
    private readonly wallet: WalletPort,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(range: { from?: Date; to?: Date } = {}): Promise<RefundReconciliationReport> {
    const now = this.clock.now();
    const settings = this.config.refundReconciliation;
    const from = range.from ?? new Date(now.getTime() - settings.lookbackMs);
    const to = range.to ?? new Date(now.getTime() - settings.graceMs);
    const em = this.em.fork();

    const listed = await this.fromWallet(() => this.wallet.listRefunds({ from, to }));
    const ours = new Map((await this.ourRefundsCreated(em, from, to)).map((refund) => [refund.idempotencyKey, refund]));
    // Ours that the wallet listed but we created outside the range.
    for (const refund of await this.ourRefundsByKey(
      em,
      listed.map((r) => r.idempotencyKey).filter((key) => !ours.has(key)),
    ))
      ours.set(refund.idempotencyKey, refund);
    const tracked = await this.trackedTransactions(em, [...new Set(listed.map((refund) => refund.transactionRef))]);
    const theirs = new Map(
      listed.filter((refund) => ours.has(refund.idempotencyKey) || tracked.has(refund.transactionRef)).map((refund) => [refund.idempotencyKey, walletRecord(refund)]),
    );
    // Ours the wallet did not list: created across the range's edge on its side, or unknown to it.
    for (const key of [...ours.keys()].filter((key) => !theirs.has(key))) {
      const found = await this.fromWallet(() => this.wallet.findRefund(key));
      if (found) theirs.set(key, walletRecord(found));
    }

    const found = compareRefunds([...ours.values()], [...theirs.values()]);
    const examined = [...new Set([...ours.keys(), ...theirs.keys()])];
    const resolved = await this.store(em, examined, found, now);
    const mismatches = Object.fromEntries(REFUND_MISMATCH_KINDS.map((kind) => [kind, found.filter((m) => m.kind === kind).length])) as Record<RefundMismatchKind, number>;
    return { from: from.toISOString(), to: to.toISOString(), examined: examined.length, mismatches, resolved };
  }

  private async fromWallet<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof WalletCallError)) throw error;
      throw new DomainError(DomainErrorCode.WalletUnavailable, 'The wallet did not answer; the reconciliation did not run. Try again shortly.', { walletError: error.code });
    }
  }

  private async ourRefundsCreated(em: EntityManager, from: Date, to: Date): Promise<OurRefundRecord[]> {
    const rows = await em.getConnection().execute<OurRefundRow[]>(
      `select r.idempotency_key, r.case_id, c.transaction_ref, r.status, r.amount_minor, r.currency
         from refunds r join cases c on c.id = r.case_id
        where r.idempotency_key is not null and r.created_at >= ? and r.created_at < ?
          -- test-mode refunds are simulated: the wallet never saw them, so there is nothing to match
          and c.livemode`,
      [from, to],
    );
    return rows.map(ourRecord);
  }

  private async ourRefundsByKey(em: EntityManager, keys: string[]): Promise<OurRefundRecord[]> {
    const records: OurRefundRecord[] = [];
    for (const chunk of chunks(keys)) {
      const rows = await em.getConnection().execute<OurRefundRow[]>(
        `select r.idempotency_key, r.case_id, c.transaction_ref, r.status, r.amount_minor, r.currency
           from refunds r join cases c on c.id = r.case_id
          where r.idempotency_key in (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      records.push(...rows.map(ourRecord));
    }
    return records;
  }

  /** Transactions we keep a refund ledger for: a wallet refund of one of them concerns us even under a key we do not know. */
  private async trackedTransactions(em: EntityManager, refs: string[]): Promise<Set<string>> {
    const tracked = new Set<string>();
    for (const chunk of chunks(refs)) {
      const rows = await em
        .getConnection()
        .execute<Array<{ transaction_ref: string }>>(`select transaction_ref from refund_ledgers where transaction_ref in (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const row of rows) tracked.add(row.transaction_ref);
    }
    return tracked;
  }

  /** Upserts this pass's findings and resolves the open ones of the examined refunds it no longer sees; returns how many were resolved. */
  private async store(em: EntityManager, examined: string[], found: RefundMismatch[], now: Date): Promise<number> {
    const stillSeen = new Set(found.map((m) => `${m.kind}\u0000${m.idempotencyKey}`));
    return em.transactional(async (tx) => {
      const connection = tx.getConnection();
      const context = tx.getTransactionContext<Knex.Transaction>();
      let resolved = 0;
      for (const chunk of chunks(examined)) {
        const open = await connection.execute<Array<{ id: string; kind: string; idempotency_key: string }>>(
          `select id, kind, idempotency_key from refund_mismatches where resolved_at is null and idempotency_key in (${chunk.map(() => '?').join(', ')}) for update`,
          chunk,
          'all',
          context,
        );
        const gone = open.filter((row) => !stillSeen.has(`${row.kind}\u0000${row.idempotency_key}`)).map((row) => row.id);
        if (gone.length) {
          await connection.execute(`update refund_mismatches set resolved_at = ? where id in (${gone.map(() => '?').join(', ')})`, [now, ...gone], 'run', context);
          resolved += gone.length;
        }
      }
      for (const mismatch of found) {
        await connection.execute(
          `insert into refund_mismatches (id, kind, idempotency_key, transaction_ref, case_id, wallet_refund_id, wallet_status, wallet_amount_minor, our_status, our_amount_minor, currency, first_seen_at, last_seen_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (idempotency_key, kind) where resolved_at is null do update set
             wallet_refund_id = excluded.wallet_refund_id, wallet_status = excluded.wallet_status, wallet_amount_minor = excluded.wallet_amount_minor,
             our_status = excluded.our_status, our_amount_minor = excluded.our_amount_minor, currency = excluded.currency, last_seen_at = excluded.last_seen_at`,
          [
            randomUUID(),
            mismatch.kind,
            mismatch.idempotencyKey,
            mismatch.transactionRef,
            mismatch.caseId,
            mismatch.wallet?.refundId ?? null,
            mismatch.wallet?.status ?? null,
            mismatch.wallet?.amountMinor ?? null,
            mismatch.ours?.status ?? null,
            mismatch.ours?.amountMinor ?? null,
            mismatch.ours?.currency ?? mismatch.wallet?.currency ?? null,
            now,
            now,
          ],
          'run',
          context,
        );
      }
      return resolved;
    });
  }
}

function ourRecord(row: OurRefundRow): OurRefundRecord {
  return {
    idempotencyKey: row.idempotency_key,
    caseId: row.case_id,
    transactionRef: row.transaction_ref,
    status: row.status,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
  };
}

function walletRecord(refund: WalletRefund): WalletRefundRecord {
  return {
    idempotencyKey: refund.idempotencyKey,
    refundId: refund.refundId,
    transactionRef: refund.transactionRef,
    status: refund.status,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}
