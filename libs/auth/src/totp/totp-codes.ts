import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { authenticator } from 'otplib';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { SecretBox } from '@app/secrets';

const STEP_SECONDS = 30;
const RECOVERY_CODES = 10;

/**
 * RFC 6238 codes (30-second steps, 6 digits, SHA-1: what every authenticator app reads from an
 * otpauth:// URL), seeds sealed at rest, and one-time recovery codes. A code is accepted one step
 * early or late (clock drift), and `stepOf` tells which step it matched so the caller can refuse
 * a code that was already used.
 */
@Injectable()
export class TotpCodes {
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.box = new SecretBox(config.auth.totp.secretKeys, 'totp seed', 'TOTP_SECRET_KEYS');
  }

  newSeed(): string {
    return authenticator.generateSecret(20);
  }

  otpauthUrl(accountEmail: string, seed: string): string {
    return authenticator.keyuri(accountEmail, this.config.auth.totp.issuer, seed);
  }

  seal(seed: string, agentId: string): string {
    return this.box.seal(seed, agentId);
  }

  open(sealed: string, agentId: string): string {
    return this.box.open(sealed, agentId);
  }

  /** The time step the code belongs to, or null when it matches none within one step of now. */
  stepOf(seed: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const now = this.clock.now().getTime();
    const delta = authenticator.clone({ epoch: now, window: 1 }).checkDelta(code, seed);
    return delta === null ? null : Math.floor(now / 1000 / STEP_SECONDS) + delta;
  }

  /** Ten fresh recovery codes (`xxxx-xxxx-xxxx`, 60 random bits each) and the hashes to keep. */
  newRecoveryCodes(): Array<{ code: string; hash: string }> {
    return Array.from({ length: RECOVERY_CODES }, () => {
      const raw = randomBytes(8).toString('hex').slice(0, 12);
      const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
      return { code, hash: hashRecoveryCode(code) };
    });
  }
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}
