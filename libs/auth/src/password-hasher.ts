import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * argon2id hashing at the configured cost (PASSWORD_HASH_*; 64 MiB, three passes, four lanes by
 * default) with a bounded line: each check takes that memory and a core for tens of
 * milliseconds, so at most `maxConcurrentPasswordChecks` run at once per process and at most
 * `maxQueuedPasswordChecks` wait; past that a login is shed with 503 LOGIN_BUSY at once. A flood
 * of logins then costs a bounded amount of memory and CPU instead of taking the server down.
 */
@Injectable()
export class PasswordHasher implements OnApplicationBootstrap {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** A hash of nothing anyone knows, at the configured cost: what a login without an account is checked against. */
  private standIn: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * The stand-in is made at boot, in the background: made on the first login without an account,
   * it made that login pay for two argon2 operations, and so take longer than any other.
   */
  onApplicationBootstrap(): void {
    // A failure here is not the boot's: the next login without an account makes it again.
    this.standInHash().catch(() => undefined);
  }

  hash(password: string): Promise<string> {
    return this.inLine(() => this.hashNow(password));
  }

  /**
   * Whether `password` matches `hash`, by the cost recorded in the hash. Without a hash (no such
   * account) the password is checked against a stand-in made at the configured cost, and the answer
   * is false: a login takes as long as for an account whose hash is at that cost (see needsRehash).
   */
  verify(hash: string | null | undefined, password: string): Promise<boolean> {
    return this.inLine(async () => {
      try {
        return (await argon2.verify(hash ?? (await this.standInHash()), password)) && hash != null;
      } catch {
        return false;
      }
    });
  }

  /** Made at boot (or on the first login without an account, if that comes first); made again on the next if making it failed. */
  private standInHash(): Promise<string> {
    return (this.standIn ??= this.hashNow(randomBytes(32).toString('base64')).catch((error: unknown) => {
      this.standIn = undefined;
      throw error;
    }));
  }

  /** Whether `hash` was made at another cost than the configured one (or another argon2 version). */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.configuredCost());
  }

  private hashNow(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.configuredCost() });
  }

  /** PASSWORD_HASH_* in argon2's terms. */
  private configuredCost(): { memoryCost: number; timeCost: number; parallelism: number } {
    const { memoryKib, iterations, parallelism } = this.config.auth.passwordHash;
    return { memoryCost: memoryKib, timeCost: iterations, parallelism };
  }

  private async inLine<T>(work: () => Promise<T>): Promise<T> {
    const { maxConcurrentPasswordChecks, maxQueuedPasswordChecks } = this.config.auth;
    if (this.running >= maxConcurrentPasswordChecks) {
      if (this.waiting.length >= maxQueuedPasswordChecks) {
        throw new DomainError(DomainErrorCode.LoginBusy, 'Too many logins at once; try again in a moment.', { retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
