import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AgentAuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { ConfigModule, type AppConfig, type Clock } from '@app/config';
import { DbModule } from '@app/db';
import { AllExceptionsFilter } from '@app/http';
import { QueuesModule } from '@app/queues';
import { WorkersModule } from '@app/workers';
import { AgentsController, AuthController } from './auth/auth.controller';
import { CasesController } from './cases/cases.controller';
import { MachinesController } from './machines/machines.controller';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { OpsMetrics } from './ops/ops-metrics';
import { NotificationsController, SlaController } from './sla/sla.controller';
import { StatsController } from './stats/stats.controller';
import { EvidenceModule } from '@app/evidence';
import { IdempotencyModule } from '@app/idempotency';
import { IntakeModule } from '@app/intake';
import { MerchantsModule } from '@app/merchants';
import { WebhooksModule } from '@app/webhooks';
import { MerchantsAdminController } from './admin/merchants-admin.controller';
import { CaseEvidenceController } from './evidence/case-evidence.controller';
import { IntakeController } from './intake/intake.controller';
import { MerchantDisputesController } from './merchant/merchant-disputes.controller';
import { MerchantWebhooksController } from './merchant/merchant-webhooks.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        DbModule.forRoot(),
        QueuesModule.forRoot(),
        CasesModule,
        AuthModule,
        // Merchant API, intake API and the admin routes for merchants and their keys.
        MerchantsModule,
        EvidenceModule,
        WebhooksModule,
        IdempotencyModule,
        IntakeModule,
        // One-command demo: the workers run inside the API process.
        ...(config.workers.inProcess ? [WorkersModule] : []),
      ],
      controllers: [AuthController, AgentsController, CasesController, MachinesController, StatsController, SlaController, NotificationsController, HealthController, MetricsController,
        MerchantDisputesController, MerchantWebhooksController, IntakeController, MerchantsAdminController, CaseEvidenceController],
      providers: [
        { provide: APP_GUARD, useExisting: AgentAuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        OpsMetrics,
      ],
    };
  }
}
