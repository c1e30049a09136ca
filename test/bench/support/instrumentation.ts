import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Counts what the in-process app sends to PostgreSQL and Redis, by wrapping the client methods
 * every driver call goes through (knex → pg.Client#query, BullMQ → ioredis#sendCommand). It
 * exists to answer "what does one event cost?" with numbers rather than by reading code, and is
 * bench-only: nothing in the app knows about it. The overhead is a counter and a timestamp.
 */
export interface StatementStats {
  /** Statements by a short label such as `select cases`, `insert case_events`, `begin`. */
  byKind: Record<string, number>;
  total: number;
  /** Sum of the wall time from sending a statement to its result, over all statements. */
  totalMs: number;
}

export interface RedisStats {
  byCommand: Record<string, number>;
  total: number;
}

export interface CounterSnapshot {
  at: number;
  sql: StatementStats;
  redis: RedisStats;
  /** Event-loop utilisation of this (the API's) thread, cumulative. */
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  cpu: NodeJS.CpuUsage;
  /** CPU time of the main thread alone, where the API and the in-process workers run (Linux only). */
  mainThreadCpuMs: number | null;
  /** The part of it spent in the kernel (system calls, and the scheduling they set off). */
  mainThreadKernelCpuMs: number | null;
  machine: { busy: number; total: number };
}

export interface CounterDelta {
  seconds: number;
  sql: StatementStats;
  redis: RedisStats;
  /**
   * 0..1: share of the window the API's event loop was not idle. Wall time, so it also counts time
   * the thread was runnable but waiting for a core; mainThreadCpuMs is the CPU it really used.
   */
  apiEventLoopUtilization: number;
  mainThreadCpuMs: number | null;
  mainThreadKernelCpuMs: number | null;
  /** CPU seconds per second of this process (API, workers and any worker threads), out of the core count. */
  processCpuCores: number;
  /** 0..1 over all cores of the machine (PostgreSQL, Redis, this process and anything else running). */
  machineCpuBusy: number;
  cores: number;
}

function statementKind(sql: string): string {
  // The head is enough to name it; lower-casing a whole multi-row statement would bill the API for the bench's bookkeeping.
  const text = sql.trimStart().slice(0, 120).toLowerCase();
  const verb = /^(\w+)/.exec(text)?.[1] ?? '?';
  const table =
    verb === 'select'
      ? /\bfrom\s+"?(\w+)"?/.exec(text)?.[1]
      : verb === 'insert'
        ? /^insert\s+into\s+"?(\w+)"?/.exec(text)?.[1]
        : verb === 'update'
          ? /^update\s+"?(\w+)"?/.exec(text)?.[1]
          : verb === 'delete'
            ? /^delete\s+from\s+"?(\w+)"?/.exec(text)?.[1]
            : undefined;
  return table ? `${verb} ${table}` : verb;
}

/**
 * utime + stime (clock ticks of 10 ms) from a /proc stat file, in ms: `/proc/<pid>/stat` for a
 * whole process, `/proc/self/task/<tid>/stat` for one thread; null where there is no /proc.
 */
export function procCpuMs(statPath: string): number | null {
  const split = procCpuSplitMs(statPath);
  return split && split.user + split.kernel;
}

/** The same, apart: utime (user space) and stime (in the kernel), in ms. */
export function procCpuSplitMs(statPath: string): { user: number; kernel: number } | null {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the parenthesised command name: state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) * 10, kernel: Number(fields[12]) * 10 };
  } catch {
    return null;
  }
}

/**
 * CPU PostgreSQL's processes have used, in ms: each `postgres` process's own, and what they
 * collected from children that exited (a backend whose connection closed). Null where no
 * PostgreSQL process is in this machine's /proc (a database on another host or in a container).
 */
export function postgresCpuMs(): number | null {
  let total = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
    found = true;
    // utime, stime, cutime, cstime: the 12th to 15th fields after the command name, in clock ticks of 10 ms.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  }
  return found ? total : null;
}

/** The main thread alone, where the API (and in-process workers) run. */
export const MAIN_THREAD_STAT = `/proc/self/task/${process.pid}/stat`;

function mainThreadCpu(): Pick<CounterSnapshot, 'mainThreadCpuMs' | 'mainThreadKernelCpuMs'> {
  const split = procCpuSplitMs(MAIN_THREAD_STAT);
  return { mainThreadCpuMs: split && split.user + split.kernel, mainThreadKernelCpuMs: split && split.kernel };
}

function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

export class DriverCounters {
  private readonly sql: StatementStats = { byKind: {}, total: 0, totalMs: 0 };
  private readonly redis: RedisStats = { byCommand: {}, total: 0 };
  private readonly restore: Array<() => void> = [];

  install(): void {
    const sql = this.sql;
    const originalQuery = Client.prototype.query;
    // pg's query() is overloaded (promise or callback, text or config); only observe, never change.
    Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      const kind = statementKind(text);
      sql.byKind[kind] = (sql.byKind[kind] ?? 0) + 1;
      sql.total += 1;
      const started = performance.now();
      const done = () => {
        sql.totalMs += performance.now() - started;
      };
      const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
      if (callbackIndex >= 0) {
        const callback = args[callbackIndex] as (...results: unknown[]) => void;
        args[callbackIndex] = (...results: unknown[]) => {
          done();
          callback(...results);
        };
        return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
      }
      const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      return result;
    } as typeof Client.prototype.query;
    this.restore.push(() => {
      Client.prototype.query = originalQuery;
    });

    const redis = this.redis;
    const originalSend = Redis.prototype.sendCommand;
    Redis.prototype.sendCommand = function countedSend(this: Redis, command, stream) {
      const name = String((command as { name?: string }).name ?? '?').toLowerCase();
      redis.byCommand[name] = (redis.byCommand[name] ?? 0) + 1;
      redis.total += 1;
      return originalSend.call(this, command, stream);
    } as typeof Redis.prototype.sendCommand;
    this.restore.push(() => {
      Redis.prototype.sendCommand = originalSend;
    });
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  snapshot(): CounterSnapshot {
    return {
      at: performance.now(),
      sql: { byKind: { ...this.sql.byKind }, total: this.sql.total, totalMs: this.sql.totalMs },
      redis: { byCommand: { ...this.redis.byCommand }, total: this.redis.total },
      elu: performance.eventLoopUtilization(),
      cpu: process.cpuUsage(),
      ...mainThreadCpu(),
      machine: machineCpu(),
    };
  }

  static delta(from: CounterSnapshot, to: CounterSnapshot): CounterDelta {
    const seconds = (to.at - from.at) / 1000;
    const diff = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(b)
          .map(([key, value]) => [key, value - (a[key] ?? 0)] as const)
          .filter(([, value]) => value > 0)
          .sort((x, y) => y[1] - x[1]),
      );
    const cpuMicros = to.cpu.user - from.cpu.user + (to.cpu.system - from.cpu.system);
    return {
      seconds,
      sql: { byKind: diff(from.sql.byKind, to.sql.byKind), total: to.sql.total - from.sql.total, totalMs: to.sql.totalMs - from.sql.totalMs },
      redis: { byCommand: diff(from.redis.byCommand, to.redis.byCommand), total: to.redis.total - from.redis.total },
      apiEventLoopUtilization: performance.eventLoopUtilization(to.elu, from.elu).utilization,
      mainThreadCpuMs: to.mainThreadCpuMs === null || from.mainThreadCpuMs === null ? null : to.mainThreadCpuMs - from.mainThreadCpuMs,
      mainThreadKernelCpuMs: to.mainThreadKernelCpuMs === null || from.mainThreadKernelCpuMs === null ? null : to.mainThreadKernelCpuMs - from.mainThreadKernelCpuMs,
      processCpuCores: cpuMicros / 1e6 / seconds,
      machineCpuBusy: (to.machine.busy - from.machine.busy) / Math.max(1, to.machine.total - from.machine.total),
      cores: cpus().length,
    };
  }
}
