import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { QUEUES } from './job-catalogue';

export function redisConnectionOptions(config: AppConfig) {
  return {
    host: config.redis.host,
    port: config.redis.port,
    password: config.redis.password,
    db: config.redis.db,
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    maxRetriesPerRequest: null,
  };
}

@Module({})
export class QueuesModule {
  static forRoot(): DynamicModule {
    return {
      module: QueuesModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ connection: redisConnectionOptions(config), prefix: config.queues.prefix }),
        }),
        BullModule.registerQueue({ name: QUEUES.deadlines }, { name: QUEUES.effects }, { name: QUEUES.webhooks }, { name: QUEUES.notifications }),
      ],
      exports: [BullModule],
    };
  }
}
