import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, PeriodicTask, type AppConfig } from '@app/config';
import { AnchorCaseLogs } from './anchor-case-logs';

/** Runs in the workers: an anchor of the case logs every AUDIT_ANCHOR_INTERVAL_SECONDS. */
@Injectable()
export class CaseLogAnchoring implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CaseLogAnchoring.name);
  private readonly task = new PeriodicTask(
    async () => {
      const anchored = await this.anchor.execute();
      if (anchored) this.logger.log(`anchor ${anchored.anchorId}: ${anchored.heads} case heads`);
    },
    (error) => this.logger.error(`anchoring the case logs failed (next pass retries): ${error instanceof Error ? error.message : String(error)}`),
    'case log anchoring',
  );

  constructor(
    private readonly anchor: AnchorCaseLogs,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.audit.anchorIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
