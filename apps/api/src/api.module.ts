import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@app/audit';
import { AgentAuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { ConfigModule, type AppConfig, type Clock } from '@app/config';
import { DbModule } from '@app/db';
import { AllExceptionsFilter } from '@app/http';
import { OpsModule } from '@app/ops';
import { QueuesModule } from '@app/queues';
import { WorkersModule } from '@app/workers';
import { AgentsController, AuthController } from './auth/auth.controller';
import { CaseLinksController } from './cases/case-links.controller';
import { CasesController } from './cases/cases.controller';
import { FailedWorkController } from './cases/failed-work.controller';
import { SavedViewsController } from './cases/saved-views.controller';
import { MachinesController } from './machines/machines.controller';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { OpsMetrics } from './ops/ops-metrics';
import { NotificationsController, SlaController } from './sla/sla.controller';
import { CaseExportController, ReportsController } from './reports/reports.controller';
import { StatsController } from './stats/stats.controller';
import { ApprovalsController } from './approvals/approvals.controller';
import { EvidenceModule } from '@app/evidence';
import { IdempotencyModule } from '@app/idempotency';
import { IntakeModule } from '@app/intake';
import { MerchantsModule } from '@app/merchants';
import { WebhooksModule } from '@app/webhooks';
import { AuditLogController } from './admin/audit-log.controller';
import { CaseLogController } from './audit/case-log.controller';
import { MerchantsAdminController } from './admin/merchants-admin.controller';
import { MerchantWebhooksAdminController } from './admin/merchant-webhooks-admin.controller';
import { CaseEvidenceController } from './evidence/case-evidence.controller';
import { IntakeController } from './intake/intake.controller';
import { MerchantDisputesController } from './merchant/merchant-disputes.controller';
import { MerchantRefundRequestsController } from './merchant/merchant-refund-requests.controller';
import { MerchantDisputeCustomerEvidenceController } from './merchant/merchant-dispute-customer-evidence.controller';
import { RefundPoliciesAdminController } from './admin/refund-policies-admin.controller';
import { EvidenceSharingController } from './evidence/evidence-sharing.controller';
import { MerchantTestHelpersController } from './merchant/merchant-test-helpers.controller';
import { MerchantWebhooksController } from './merchant/merchant-webhooks.controller';
import { ConversationModule, CustomersModule } from '@app/customers';
import { CustomerCasesController } from './customer/customer-cases.controller';
import { CaseMessagesController } from './conversation/case-messages.controller';
import { MacrosController } from './conversation/macros.controller';
import { MerchantDisputeMessagesController } from './merchant/merchant-dispute-messages.controller';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { WalletEventsController } from './wallet/wallet-events.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        DbModule.forRoot(),
        QueuesModule.forRoot(),
        // Probes, the metrics registry, and the shutdown of in-process workers.
        OpsModule,
        CasesModule,
        AuthModule,
        AuditModule,
        // Merchant API, intake API and the admin routes for merchants and their keys.
        MerchantsModule,
        EvidenceModule,
        WebhooksModule,
        IdempotencyModule,
        IntakeModule,
        // The conversation on a case (agents, merchants; customers through the customer API) and macros.
        ConversationModule,
        // The customer API (the wallet backend acting for a signed-in customer).
        CustomersModule,
        // One-command demo: the workers run inside the API process.
        ...(config.workers.inProcess ? [WorkersModule] : []),
      ],
      controllers: [
        AuthController,
        AgentsController,
        // Before CasesController: `export` is not a case id.
        CaseExportController,
        CasesController,
        FailedWorkController,
        ReportsController,
        CaseLinksController,
        SavedViewsController,
        MachinesController,
        StatsController,
        ApprovalsController,
        SlaController,
        NotificationsController,
        HealthController,
        MetricsController,
        MerchantDisputesController,
        MerchantDisputeCustomerEvidenceController,
        MerchantRefundRequestsController,
        RefundPoliciesAdminController,
        EvidenceSharingController,
        MerchantWebhooksController,
        MerchantTestHelpersController,
        IntakeController,
        MerchantsAdminController,
        MerchantWebhooksAdminController,
        CaseEvidenceController,
        AuditLogController,
        CaseLogController,
        CaseMessagesController,
        MacrosController,
        MerchantDisputeMessagesController,
        CustomerCasesController,
        WalletEventsController,
        ReconciliationController,
      ],
      providers: [{ provide: APP_GUARD, useExisting: AgentAuthGuard }, { provide: APP_FILTER, useClass: AllExceptionsFilter }, OpsMetrics],
    };
  }
}
