import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AgentAuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { ConfigModule, type AppConfig } from '@app/config';
import { DbModule } from '@app/db';
import { AllExceptionsFilter } from '@app/http';
import { QueuesModule } from '@app/queues';
import { WorkersModule } from '@app/workers';
import { AgentsController, AuthController } from './auth/auth.controller';
import { CasesController } from './cases/cases.controller';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DbModule.forRoot(),
        QueuesModule.forRoot(),
        CasesModule,
        AuthModule,
        // One-command demo: the workers run inside the API process.
        ...(config.workers.inProcess ? [WorkersModule] : []),
      ],
      controllers: [AuthController, AgentsController, CasesController, HealthController, MetricsController],
      providers: [
        { provide: APP_GUARD, useExisting: AgentAuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
