import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { EvidenceStorage } from './evidence-storage';

/**
 * The upload parser's scratch files are removed when their request ends; a process that crashed
 * mid-upload leaves them behind. Every process that parses uploads (the API; the workers share the
 * folder with local storage) removes scratch files older than EVIDENCE_ORPHAN_GRACE_SECONDS at
 * boot and every EVIDENCE_SWEEP_INTERVAL_SECONDS.
 */
@Injectable()
export class ScratchCleaner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScratchCleaner.name);
  private readonly task = new PeriodicTask(
    async () => {
      const removed = await this.cleanOnce();
      if (removed) this.logger.log(`removed ${removed} upload scratch files left by an interrupted process`);
    },
    (error) => this.logger.warn(`scratch clean-up failed, will retry: ${error}`),
    'upload scratch cleaning',
  );

  constructor(
    private readonly storage: EvidenceStorage,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.evidence.sweepIntervalMs, { immediately: true });
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async cleanOnce(): Promise<number> {
    const cutoff = this.clock.now().getTime() - this.config.evidence.orphanGraceMs;
    const dir = this.storage.incomingDir();
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names.filter((candidate) => candidate.endsWith('.part'))) {
      const path = join(dir, name);
      const stats = await stat(path).catch(() => undefined);
      if (stats?.isFile() && stats.mtimeMs < cutoff) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
