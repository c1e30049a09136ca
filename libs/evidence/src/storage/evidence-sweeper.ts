import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { EvidenceStorage } from './evidence-storage';
import { isEngineStorageKey } from './storage-key';

const BATCH = 500;
/**
 * A pass that finds more orphans than this, making up more than half of the files it looked at,
 * deletes nothing: that is what a worker pointed at the wrong (or a restored) database sees, and
 * files are not to be lost to a configuration mistake. A person decides (see the log line).
 */
const SUSPICIOUS_ORPHANS = 100;

export interface SweepResult {
  /** Stored files of the engine's key shape, old enough to judge. */
  scanned: number;
  /** Of those, files no evidence row refers to. */
  orphans: number;
  deleted: number;
  /** True when the pass found too many orphans to be believable and deleted nothing. */
  refused: boolean;
}

/**
 * Evidence files are stored before the transaction that records them commits (the row must not
 * point at a file that is not there). A crash in between, or a failed clean-up after a refused
 * upload, leaves a file nobody refers to: personal data nothing lists and nothing deletes. This
 * deletes such files once older than EVIDENCE_ORPHAN_GRACE_SECONDS, at boot and then every
 * EVIDENCE_SWEEP_INTERVAL_SECONDS, in the workers. Only keys of the engine's shape are looked at.
 * Two workers sweeping at once delete the same orphans twice, which is harmless. On a versioned
 * bucket a delete only adds a delete marker: expire old versions with a lifecycle rule.
 */
@Injectable()
export class EvidenceSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EvidenceSweeper.name);
  private readonly task = new PeriodicTask(
    async () => {
      const result = await this.sweepOnce();
      if (result.deleted) this.logger.log(`deleted ${result.deleted} orphan evidence files`);
    },
    (error) => this.logger.warn(`evidence sweep failed, will retry: ${error}`),
    'evidence sweep',
  );

  constructor(
    private readonly em: EntityManager,
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

  async sweepOnce(): Promise<SweepResult> {
    const cutoff = this.clock.now().getTime() - this.config.evidence.orphanGraceMs;
    let scanned = 0;
    const orphans: string[] = [];
    let batch: string[] = [];
    const judge = async () => {
      orphans.push(...(await this.unreferenced(batch)));
      batch = [];
    };
    for await (const object of this.storage.list()) {
      // Only keys of the engine's own shape: whatever else shares the folder or bucket is not ours.
      // Only files older than any upload transaction: a young one may be about to be committed.
      if (!isEngineStorageKey(object.key) || object.modifiedAt.getTime() >= cutoff) continue;
      scanned += 1;
      batch.push(object.key);
      if (batch.length >= BATCH) await judge();
    }
    await judge();
    if (orphans.length > SUSPICIOUS_ORPHANS && orphans.length * 2 > scanned) {
      this.logger.error(
        `evidence sweep deleted nothing: ${orphans.length} of ${scanned} stored files have no evidence row, which looks like a wrong or restored database rather than crashed uploads`,
      );
      return { scanned, orphans: orphans.length, deleted: 0, refused: true };
    }
    let deleted = 0;
    for (const key of orphans) {
      try {
        await this.storage.delete(key);
        deleted += 1;
      } catch (error) {
        // One file that cannot go (permissions, a storage hiccup) must not stop the rest.
        this.logger.warn(`orphan evidence file ${key} not deleted, will retry: ${error}`);
      }
    }
    return { scanned, orphans: orphans.length, deleted, refused: false };
  }

  private async unreferenced(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const referenced = await this.em.fork().getConnection().execute<Array<{ storage_key: string }>>(`select storage_key from evidence_files where storage_key in (?)`, [keys]);
    const kept = new Set(referenced.map((row) => row.storage_key));
    return keys.filter((key) => !kept.has(key));
  }
}
