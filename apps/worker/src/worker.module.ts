import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type AppConfig, type Clock } from '@app/config';
import { DbModule } from '@app/db';
import { OpsModule } from '@app/ops';
import { QueuesModule } from '@app/queues';
import { WorkersModule } from '@app/workers';

/** The worker process: BullMQ processors and the reconciler; HTTP only for its probes (probe-server.ts). Scale it out freely. */
@Module({})
export class WorkerAppModule {
  /** `clock`: tests move time with it; the wall clock by default. */
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [ConfigModule.forRoot(config, clock), DbModule.forRoot(), QueuesModule.forRoot(), OpsModule, WorkersModule],
    };
  }
}
