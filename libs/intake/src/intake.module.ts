import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { MerchantsModule } from '@app/merchants';
import { IntakeTokenGuard } from './intake-token.guard';
import { OpenIntakeCase } from './open-intake-case';

/** The intake API's use case and service-token guard, for the wallet's own backend. */
@Module({
  imports: [CasesModule, MerchantsModule],
  providers: [IntakeTokenGuard, OpenIntakeCase],
  exports: [IntakeTokenGuard, OpenIntakeCase],
})
export class IntakeModule {}
