import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, PeriodicTask, type AppConfig } from '@app/config';
import { EvidenceStorage, type StoredObject } from './evidence-storage';
import { isEngineStorageKey } from './storage-key';

const BATCH = 500;

export interface SweepResult {
  /** Stored files looked at. */
  scanned: number;
  /** Stored files no evidence row refers to, older than the grace period, removed. */
  orphansDeleted: number;
  /** Upload scratch files left by a crashed request, removed. */
  scratchDeleted: number;
}

/**
 * Evidence files are stored before the transaction that records them commits (the row must not
 * point at a file that is not there). A crash in between, or a failed clean-up after a refused
 * upload, leaves a file nobody refers to: personal data nothing lists and nothing deletes. This
 * removes such files once they are older than EVIDENCE_ORPHAN_GRACE_SECONDS, and the upload
 * parser's scratch files likewise. Runs in the workers on a timer; two workers sweeping at once
 * only delete the same orphans twice, which is harmless.
 */
@Injectable()
export class EvidenceSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EvidenceSweeper.name);
  private readonly task = new PeriodicTask(
    async () => {
      const result = await this.sweepOnce();
      if (result.orphansDeleted || result.scratchDeleted) {
        this.logger.log(`removed ${result.orphansDeleted} orphan evidence files and ${result.scratchDeleted} upload scratch files`);
      }
    },
    (error) => this.logger.warn(`evidence sweep failed, will retry: ${error}`),
  );

  constructor(
    private readonly em: EntityManager,
    private readonly storage: EvidenceStorage,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.evidence.sweepIntervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async sweepOnce(): Promise<SweepResult> {
    const cutoff = this.clock.now().getTime() - this.config.evidence.orphanGraceMs;
    const result: SweepResult = { scanned: 0, orphansDeleted: 0, scratchDeleted: 0 };
    let batch: StoredObject[] = [];
    const flush = async () => {
      result.orphansDeleted += await this.deleteUnreferenced(batch.map((object) => object.key));
      batch = [];
    };
    for await (const object of this.storage.list()) {
      result.scanned += 1;
      // Only keys of the engine's own shape: whatever else shares the folder or bucket is not ours.
      if (!isEngineStorageKey(object.key)) continue;
      // Only files older than any upload transaction: a young one may be about to be committed.
      if (object.modifiedAt.getTime() >= cutoff) continue;
      batch.push(object);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    result.scratchDeleted = await this.deleteOldScratchFiles(cutoff);
    return result;
  }

  private async deleteUnreferenced(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const referenced = await this.em
      .fork()
      .getConnection()
      .execute<Array<{ storage_key: string }>>(`select storage_key from evidence_files where storage_key in (?)`, [keys]);
    const kept = new Set(referenced.map((row) => row.storage_key));
    let deleted = 0;
    for (const key of keys.filter((candidate) => !kept.has(candidate))) {
      try {
        await this.storage.delete(key);
        deleted += 1;
      } catch (error) {
        // One file that cannot go (permissions, a storage hiccup) must not stop the rest.
        this.logger.warn(`orphan evidence file ${key} not deleted, will retry: ${error}`);
      }
    }
    return deleted;
  }

  private async deleteOldScratchFiles(cutoff: number): Promise<number> {
    const dir = this.storage.incomingDir();
    const names = await readdir(dir).catch(() => [] as string[]);
    let deleted = 0;
    for (const name of names) {
      const path = join(dir, name);
      const stats = await stat(path).catch(() => undefined);
      if (stats?.isFile() && stats.mtimeMs < cutoff) {
        await rm(path, { force: true });
        deleted += 1;
      }
    }
    return deleted;
  }
}
