import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { EvidenceStorage, type StoredObject } from './evidence-storage';

const KEY = /^[a-z0-9][a-z0-9/-]{0,200}$/;

/** Files on a local disk under STORAGE_DIR, which the HTTP server never serves. */
export class LocalDiskEvidenceStorage extends EvidenceStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    super();
    this.root = resolve(rootDir);
  }

  incomingDir(): string {
    return join(this.root, '.incoming');
  }

  async put(key: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    try {
      await rename(sourcePath, target);
      // A rename keeps the scratch file's time (when its bytes arrived); the orphan sweep's grace
      // period counts from when it was stored.
      const now = new Date();
      await utimes(target, now, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(sourcePath, target);
      await rm(sourcePath, { force: true });
    }
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path);
    return createReadStream(path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    const incoming = this.incomingDir();
    const walk = async function* (dir: string): AsyncGenerator<string> {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        // Nothing stored yet, or a folder that is not ours (a volume's lost+found): skip it.
        if (['ENOENT', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && path !== incoming) yield* walk(path);
        else if (entry.isFile()) yield path;
      }
    };
    for await (const path of walk(this.root)) {
      const stats = await stat(path).catch(() => undefined); // deleted meanwhile
      if (stats) yield { key: relative(this.root, path).split(sep).join('/'), modifiedAt: stats.mtime };
    }
  }

  /** Keys are generated, but the check stays: a path outside the root is never touched. */
  private pathOf(key: string): string {
    if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid storage key ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`storage key ${key} escapes the storage root`);
    return path;
  }
}
