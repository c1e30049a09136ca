import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { RefundMismatchEntity } from '@app/db';
import type { RefundMismatchKind } from '@app/domain';

export interface RefundMismatchView {
  id: string;
  kind: RefundMismatchKind;
  idempotencyKey: string;
  transactionRef: string | null;
  caseId: string | null;
  currency: string | null;
  wallet: { refundId: string | null; status: string | null; amountMinor: number | null };
  ours: { status: string | null; amountMinor: number | null };
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/** The reconciliation's findings for supervisors, newest first: open ones, or all with `includeResolved`. */
@Injectable()
export class ListRefundMismatches {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { includeResolved?: boolean; kind?: RefundMismatchKind; limit?: number } = {}): Promise<{ data: RefundMismatchView[] }> {
    const rows = await this.em.fork().find(
      RefundMismatchEntity,
      {
        ...(query.includeResolved ? {} : { resolvedAt: null }),
        ...(query.kind ? { kind: query.kind } : {}),
      },
      { orderBy: { lastSeenAt: 'desc', id: 'asc' }, limit: Math.min(query.limit ?? 100, 500) },
    );
    return {
      data: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        idempotencyKey: row.idempotencyKey,
        transactionRef: row.transactionRef,
        caseId: row.caseId,
        currency: row.currency,
        wallet: { refundId: row.walletRefundId, status: row.walletStatus, amountMinor: row.walletAmountMinor },
        ours: { status: row.ourStatus, amountMinor: row.ourAmountMinor },
        firstSeenAt: row.firstSeenAt.toISOString(),
        lastSeenAt: row.lastSeenAt.toISOString(),
        resolvedAt: row.resolvedAt?.toISOString() ?? null,
      })),
    };
  }
}
