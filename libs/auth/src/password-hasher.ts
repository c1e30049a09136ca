import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';

/**
 * argon2id hashing with a bounded line: each check takes 64 MiB and a core for tens of
 * milliseconds, so at most `maxConcurrentPasswordChecks` run at once per process and at most
 * `maxQueuedPasswordChecks` wait; past that a login is shed with 503 LOGIN_BUSY at once. A flood
 * of logins then costs a bounded amount of memory and CPU instead of taking the server down.
 */
@Injectable()
export class PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return this.inLine(() => argon2.hash(password, { type: argon2.argon2id }));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.inLine(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    });
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
