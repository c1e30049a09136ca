import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ormOptions } from './orm-options';

/**
 * MikroORM for the app. Its module is global: the EntityManager is injectable everywhere. An HTTP
 * request gets its own fork through the API's request context (withOrmRequestContext, made on
 * first use), not MikroORM's middleware, which forks at every request; workers fork one per job.
 */
@Module({})
export class DbModule {
  static forRoot(): DynamicModule {
    return {
      module: DbModule,
      imports: [
        MikroOrmModule.forRootAsync({
          driver: PostgreSqlDriver,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...ormOptions(config.database.url, {
              pool: { min: 0, max: config.database.poolMax, idleTimeoutMillis: config.database.poolIdleMs },
              // Idle connections are kept for minutes: TCP keep-alive stops a NAT or a load balancer
              // from dropping one silently (the next command would hang on it until TCP gave up).
              driverOptions: { connection: { keepAlive: true, keepAliveInitialDelayMillis: 60_000 } },
              debug: config.database.debug,
            }),
            registerRequestContext: false,
          }),
        }),
      ],
    };
  }
}
