import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, PeriodicTask, type AppConfig } from '@app/config';
import { ReconcileRefunds } from '@app/cases';

/**
 * The daily reconciliation of our refunds with the wallet's (ReconcileRefunds), at boot and every
 * REFUND_RECONCILIATION_INTERVAL_SECONDS. On a timer of its own like the other sweeps: a pass is
 * idempotent, so several workers running one at the same time only repeat each other's work.
 */
@Injectable()
export class RefundReconciliationTask implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RefundReconciliation');
  private readonly task = new PeriodicTask(
    () => this.runOnce(),
    (error) => this.logger.warn({ event: 'refund_reconciliation.failed', error: String(error) }),
    'refund reconciliation',
  );

  constructor(
    private readonly reconcile: ReconcileRefunds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.refundReconciliation.intervalMs, { immediately: true });
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async runOnce(): Promise<void> {
    const report = await this.reconcile.execute();
    const found = Object.values(report.mismatches).reduce((sum, n) => sum + n, 0);
    const line = { event: 'refund_reconciliation.done', ...report };
    if (found > 0) this.logger.warn(line);
    else this.logger.log(line);
  }
}
