import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AuditModule, CaseLogVerifier } from '@app/audit';
import { ConfigError, ConfigModule, loadConfig } from '@app/config';
import { DbModule } from '@app/db';
import { Module, type DynamicModule } from '@nestjs/common';

@Module({})
class AuditVerifyModule {
  static forRoot(): DynamicModule {
    return { module: AuditVerifyModule, imports: [ConfigModule.forRoot(loadConfig()), DbModule.forRoot(), AuditModule] };
  }
}

/**
 * `npm run audit:verify`: checks every case's hash-chained timeline, the case heads and the
 * anchors. Prints one line per problem (which row of which case, and what is wrong with it) and
 * exits 1 if there is any, 0 if the whole log holds.
 */
async function main(): Promise<number> {
  const app = await NestFactory.createApplicationContext(AuditVerifyModule.forRoot(), { logger: ['error', 'warn'] });
  try {
    const result = await app.get(CaseLogVerifier).verifyAll();
    for (const problem of result.problems) console.log(`audit:verify: ${problem.kind}: ${problem.detail}`);
    console.log(`audit:verify: ${result.valid ? 'ok' : `${result.problems.length} problem(s)`}: ${result.rowsChecked} timeline rows of ${result.casesChecked} cases checked`);
    return result.valid ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Bad configuration gets one clear line, as in the other commands.
    console.error(error instanceof ConfigError ? `audit:verify: ${error.message}` : error);
    process.exit(2);
  },
);
