import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@app/config';
import { DbModule } from '@app/db';
import { QueuesModule } from '@app/queues';
import { WorkersModule } from '@app/workers';

/** The worker process: BullMQ processors and the reconciler, no HTTP. Scale it out freely. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [ConfigModule.forRoot(config), DbModule.forRoot(), QueuesModule.forRoot(), WorkersModule],
    };
  }
}
