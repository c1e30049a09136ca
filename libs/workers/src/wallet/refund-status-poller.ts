import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { RecordWalletOutcome } from '@app/cases';
import { RefundEntity } from '@app/db';
import { WalletPort } from '@app/wallet';

const BATCH = 100;

/**
 * A lost callback must never strand a refund: refunds the wallet still reports `processing` are
 * looked up by our key once their expected arrival has passed, and whenever no answer came for
 * WALLET_REFUND_POLL_SECONDS. A final answer goes the callback's way (row settled with the machine
 * event, in one transaction), so a callback arriving as well changes nothing.
 */
@Injectable()
export class RefundStatusPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RefundStatusPoller');
  private readonly task = new PeriodicTask(
    () => this.pollOnce(),
    (error) => this.logger.warn(`refund status poll failed, will retry: ${error}`),
    'refund status poll',
  );

  constructor(
    private readonly em: EntityManager,
    private readonly wallet: WalletPort,
    private readonly outcomes: RecordWalletOutcome,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.wallet.refundPollMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; the number of refunds looked up. */
  async pollOnce(): Promise<number> {
    const now = this.clock.now();
    const quietSince = new Date(now.getTime() - this.config.wallet.refundPollMs);
    // Claimed by stamping last_checked_at under skip-locked row locks: several workers share the list.
    const due = await this.em.fork().transactional(async (em) => {
      const rows = await em.getConnection().execute<Array<{ id: string; case_id: string; idempotency_key: string }>>(
        `select id, case_id, idempotency_key from refunds
          where status = 'processing' and idempotency_key is not null
            and (coalesce(last_checked_at, processing_at) <= ?
                 or (expected_arrival_at <= ? and coalesce(last_checked_at, processing_at) < expected_arrival_at))
          order by last_checked_at nulls first limit ${BATCH} for update skip locked`,
        [quietSince, now],
        'all',
        em.getTransactionContext(),
      );
      if (rows.length) await em.nativeUpdate(RefundEntity, { id: { $in: rows.map((row) => row.id) } }, { lastCheckedAt: now });
      return rows;
    });
    for (const row of due) {
      try {
        await this.check(row);
      } catch (error) {
        this.logger.warn({ event: 'wallet.refund_poll_failed', refundId: row.id, error: String(error) });
      }
    }
    return due.length;
  }

  private async check(row: { id: string; case_id: string; idempotency_key: string }): Promise<void> {
    const answer = await this.wallet.findRefund(row.idempotency_key);
    if (!answer) {
      this.logger.error({ event: 'wallet.refund_unknown_to_wallet', refundId: row.id, key: row.idempotency_key });
      return;
    }
    if (answer.status === 'processing') {
      if (answer.expectedArrivalAt) await this.em.fork().nativeUpdate(RefundEntity, { id: row.id, status: 'processing' }, { expectedArrivalAt: answer.expectedArrivalAt });
      return;
    }
    const result = await this.outcomes.refund(
      { id: row.id, caseId: row.case_id },
      answer.status === 'succeeded'
        ? { status: 'succeeded', walletRefundId: answer.refundId, settledAt: answer.settledAt }
        : { status: 'failed', walletRefundId: answer.refundId, failureReason: answer.failureReason ?? 'failed' },
    );
    this.logger.log({ event: 'wallet.refund_found_by_poll', refundId: row.id, status: answer.status, result });
  }
}
