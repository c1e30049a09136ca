import { Module } from '@nestjs/common';
import { AuditWorkerModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { WalletModule } from '@app/wallet';
import { EvidenceWorkerModule } from '@app/evidence';
import { NotificationsModule } from '@app/notifications';
import { WebhooksModule, WebhookWorkerModule } from '@app/webhooks';
import { AccountActionHandler } from './effects/account-action.handler';
import { EFFECT_HANDLERS } from './effects/effect-handler';
import { EffectRunner } from './effects/effect-runner';
import { NotifyHandler } from './effects/notify.handler';
import { PendingTransactionsCheckHandler } from './effects/pending-transactions-check.handler';
import { TransactionStatusCheckHandler } from './effects/transaction-status-check.handler';
import { RefundHandler } from './effects/refund.handler';
import { DeadlineProcessor } from './processors/deadline.processor';
import { EffectProcessor } from './processors/effect.processor';
import { Reconciler } from './reconciler';
import { RefundReconciliationTask } from './refund-reconciliation';
import { RefundStatusPoller } from './wallet/refund-status-poller';
import { ReportRollupRefresher } from './report-rollup-refresher';

/**
 * The BullMQ workers (deadlines, effects), the reconciler and the periodic sweeps (webhook
 * retries lost with Redis, orphan evidence files, refunds whose wallet callback is overdue, case-log
 * anchors, the reports' rollups). Imported by apps/worker, and by apps/api when RUN_WORKERS_IN_PROCESS is set for the
 * one-command demo.
 */
@Module({
  imports: [CasesModule, WalletModule, WebhooksModule, WebhookWorkerModule, EvidenceWorkerModule, AuditWorkerModule, NotificationsModule],
  providers: [
    RefundHandler,
    AccountActionHandler,
    NotifyHandler,
    PendingTransactionsCheckHandler,
    TransactionStatusCheckHandler,
    {
      provide: EFFECT_HANDLERS,
      inject: [RefundHandler, AccountActionHandler, NotifyHandler, PendingTransactionsCheckHandler, TransactionStatusCheckHandler],
      useFactory: (...handlers: unknown[]) => handlers,
    },
    EffectRunner,
    DeadlineProcessor,
    EffectProcessor,
    Reconciler,
    RefundStatusPoller,
    ReportRollupRefresher,
    RefundReconciliationTask,
  ],
  exports: [Reconciler, RefundStatusPoller],
})
export class WorkersModule {}
