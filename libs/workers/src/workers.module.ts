import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { EvidenceWorkerModule } from '@app/evidence';
import { NotificationsModule } from '@app/notifications';
import { WebhooksModule, WebhookWorkerModule } from '@app/webhooks';
import { AccountActionHandler } from './effects/account-action.handler';
import { EFFECT_HANDLERS } from './effects/effect-handler';
import { EffectRunner } from './effects/effect-runner';
import { NotifyHandler } from './effects/notify.handler';
import { RefundHandler } from './effects/refund.handler';
import { SimulatedWalletGateway, WalletGateway } from './gateways/wallet-gateway';
import { DeadlineProcessor } from './processors/deadline.processor';
import { EffectProcessor } from './processors/effect.processor';
import { Reconciler } from './reconciler';

/**
 * The BullMQ workers (deadlines, effects), the reconciler and the periodic sweeps (webhook
 * retries lost with Redis, orphan evidence files). Imported by apps/worker, and by
 * apps/api when RUN_WORKERS_IN_PROCESS is set for the one-command demo.
 */
@Module({
  imports: [CasesModule, WebhooksModule, WebhookWorkerModule, EvidenceWorkerModule, NotificationsModule],
  providers: [
    { provide: WalletGateway, useClass: SimulatedWalletGateway },
    RefundHandler,
    AccountActionHandler,
    NotifyHandler,
    {
      provide: EFFECT_HANDLERS,
      inject: [RefundHandler, AccountActionHandler, NotifyHandler],
      useFactory: (...handlers: unknown[]) => handlers,
    },
    EffectRunner,
    DeadlineProcessor,
    EffectProcessor,
    Reconciler,
  ],
  exports: [Reconciler, WalletGateway],
})
export class WorkersModule {}
