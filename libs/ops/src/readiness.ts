import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { MIGRATION_NAMES } from '@app/db';
import { QUEUES } from '@app/queues';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 2000;
/** MikroORM's table of applied migrations (its default name). */
const MIGRATIONS_TABLE = 'mikro_orm_migrations';

export interface DependencyCheck {
  /** `unknown`: could not be asked because what it depends on is down (migrations without PostgreSQL). */
  status: 'up' | 'down' | 'unknown';
  error?: string;
  /** Migrations this build has that the database has not applied. */
  pending?: string[];
}

export interface ReadinessReport {
  /** `ok` only when every check is up and the process is not shutting down. */
  status: 'ok' | 'degraded' | 'shutting_down';
  checks: { postgres: DependencyCheck; redis: DependencyCheck; migrations: DependencyCheck };
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000}s`)), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Whether this process can do its work now: PostgreSQL answers, Redis answers, and the database
 * has every migration this build expects (a process started ahead of `db:migrate` would otherwise
 * serve requests against a schema it does not know). Asked on every probe; each check is one
 * small round trip with a 2 s bound, so a probe never hangs on a dependency that does not answer.
 */
@Injectable()
export class ReadinessProbe {
  constructor(
    private readonly em: EntityManager,
    @InjectQueue(QUEUES.deadlines) private readonly deadlines: Queue,
    private readonly shutdown: ShutdownState,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [{ postgres, migrations }, redis] = await Promise.all([this.checkDatabase(), this.checkRedis()]);
    const checks = { postgres, redis, migrations };
    const allUp = Object.values(checks).every((check) => check.status === 'up');
    return { status: this.shutdown.shuttingDown ? 'shutting_down' : allUp ? 'ok' : 'degraded', checks };
  }

  /** One query answers both: PostgreSQL is up if it runs, the schema is current if nothing is missing from it. */
  private async checkDatabase(): Promise<{ postgres: DependencyCheck; migrations: DependencyCheck }> {
    let applied: Set<string>;
    try {
      const rows = await withTimeout(this.em.fork().getConnection().execute<Array<{ name: string }>>(`select name from ${MIGRATIONS_TABLE}`), 'PostgreSQL');
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      // 42P01: the table itself is missing, i.e. PostgreSQL answered but nothing was ever migrated.
      if ((error as { code?: string }).code !== '42P01') {
        return { postgres: { status: 'down', error: messageOf(error) }, migrations: { status: 'unknown', error: 'PostgreSQL is down' } };
      }
      applied = new Set();
    }
    const pending = MIGRATION_NAMES.filter((name) => !applied.has(name));
    const migrations: DependencyCheck = pending.length
      ? { status: 'down', error: `${pending.length} migration(s) not applied: run npm run db:migrate`, pending }
      : { status: 'up' };
    return { postgres: { status: 'up' }, migrations };
  }

  private async checkRedis(): Promise<DependencyCheck> {
    try {
      // BullMQ types its connection as a minimal interface; at run time it is the ioredis client it was given.
      const client = (await withTimeout(this.deadlines.client, 'Redis')) as unknown as Pick<Redis, 'status' | 'ping'>;
      // While ioredis reconnects, a command would wait in its offline queue: say so at once instead.
      if (client.status !== 'ready') return { status: 'down', error: `connection is ${client.status}` };
      await withTimeout(client.ping(), 'Redis');
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: messageOf(error) };
    }
  }
}
