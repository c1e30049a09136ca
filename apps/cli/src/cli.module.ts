import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { ConfigModule, type AppConfig } from '@app/config';
import { ConversationModule } from '@app/customers';
import { DbModule } from '@app/db';
import { MerchantsModule } from '@app/merchants';
import { QueuesModule } from '@app/queues';

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DbModule.forRoot(), QueuesModule.forRoot(), CasesModule, AuthModule, MerchantsModule, ConversationModule] };
  }
}
