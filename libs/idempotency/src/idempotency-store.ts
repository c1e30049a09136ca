import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';

export type ClaimOutcome =
  /** `claim` identifies this holder: only it may complete or release the key (see takeover below). */
  { kind: 'proceed'; claim: Date } | { kind: 'replay'; status: number; contentType: string; body: Buffer };

/**
 * A request that holds a key longer than this is presumed dead (process crash between claim and
 * completion) and a retry may take the key over. Longer than any request should run.
 */
const LEASE_MS = 60_000;

interface Row {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_content_type: string | null;
  response_body: Buffer | null;
  locked_at: Date;
  expires_at: Date;
}

/**
 * Stripe's idempotency rules on PostgreSQL. A key is scoped to the caller (merchant or intake
 * client), so two callers never see each other's responses. The row is claimed before the
 * request runs, so concurrent requests with one key cannot both run: the losers get 409.
 * Only successful responses are kept: a failed request changed nothing, so its retry may run
 * again, and bad input leaves no row behind.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnModuleDestroy {
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired().catch(() => undefined), 3600_000);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /** `path` is the route (no query string); `hash` covers method, path and body. */
  async claim(scope: string, key: string, hash: string, path: string): Promise<ClaimOutcome> {
    const connection = this.em.fork().getConnection();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.merchantApi.idempotencyTtlHours * 3600_000);
    for (let round = 0; round < 3; round += 1) {
      const inserted = await connection.execute(
        `insert into idempotency_keys (scope, key, request_hash, request_path, status, locked_at, created_at, expires_at)
         values (?, ?, ?, ?, 'in_progress', ?, ?, ?) on conflict (scope, key) do nothing returning key`,
        [scope, key, hash, path, now, now, expiresAt],
      );
      if (inserted.length === 1) return { kind: 'proceed', claim: now };
      const [row] = await connection.execute<Row[]>(
        `select request_hash, status, response_status, response_content_type, response_body, locked_at, expires_at
         from idempotency_keys where scope = ? and key = ?`,
        [scope, key],
      );
      if (!row) continue; // released or purged in between: claim again
      if (new Date(row.expires_at) <= now) {
        await connection.execute(`delete from idempotency_keys where scope = ? and key = ? and expires_at <= ?`, [scope, key, now]);
        continue;
      }
      if (row.request_hash !== hash) {
        throw new DomainError(DomainErrorCode.IdempotencyKeyReused, 'This idempotency key was already used with a different request. Use a new key for a new request.');
      }
      if (row.status === 'completed') {
        return { kind: 'replay', status: row.response_status!, contentType: row.response_content_type!, body: row.response_body! };
      }
      if (now.getTime() - new Date(row.locked_at).getTime() < LEASE_MS) {
        throw new DomainError(DomainErrorCode.IdempotencyKeyInUse, 'A request with this idempotency key is still being processed. Retry after it has finished.');
      }
      // The holder died: take the key over, unless another retry did so first.
      const taken = await connection.execute(`update idempotency_keys set locked_at = ? where scope = ? and key = ? and status = 'in_progress' and locked_at = ? returning key`, [
        now,
        scope,
        key,
        row.locked_at,
      ]);
      if (taken.length === 1) return { kind: 'proceed', claim: now };
    }
    throw new DomainError(DomainErrorCode.IdempotencyKeyInUse, 'A request with this idempotency key is still being processed.');
  }

  /**
   * Whether a live, completed response is stored for the key on this route. Lets a route that
   * refuses requests early (before the body is read) let a retry through to be replayed; claim()
   * stays the judge (same body, or 422).
   */
  async hasCompleted(scope: string, key: string, path: string): Promise<boolean> {
    const rows = await this.em
      .fork()
      .getConnection()
      .execute(`select 1 from idempotency_keys where scope = ? and key = ? and request_path = ? and status = 'completed' and expires_at > ?`, [scope, key, path, this.clock.now()]);
    return rows.length > 0;
  }

  /**
   * Both act only while this holder still owns the key (`locked_at` is its claim): a holder that
   * outlived its lease and was taken over must not complete or release the new holder's row.
   */
  async complete(scope: string, key: string, claim: Date, response: { status: number; contentType: string; body: Buffer }): Promise<void> {
    await this.em
      .fork()
      .getConnection()
      .execute(
        `update idempotency_keys set status = 'completed', response_status = ?, response_content_type = ?, response_body = ?
          where scope = ? and key = ? and status = 'in_progress' and locked_at = ?`,
        [response.status, response.contentType, response.body, scope, key, claim],
      );
  }

  async release(scope: string, key: string, claim: Date): Promise<void> {
    await this.em.fork().getConnection().execute(`delete from idempotency_keys where scope = ? and key = ? and status = 'in_progress' and locked_at = ?`, [scope, key, claim]);
  }

  async purgeExpired(): Promise<number> {
    const rows = await this.em.fork().getConnection().execute(`delete from idempotency_keys where expires_at < ? returning key`, [this.clock.now()]);
    return rows.length;
  }
}
