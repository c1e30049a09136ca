import type { Client } from 'pg';
import { waitFor } from './wait-for';

/**
 * Waits until (at least) `count` sessions wait for a lock that `holder` (a connection in an open transaction)
 * holds, directly or queued behind another waiter (a second waiter for a row waits for the first):
 * PostgreSQL's own lock graph (pg_blocking_pids), so the wait does not depend on how the engine's
 * statements are worded. `sql` runs on another connection: a transaction sees pg_stat_activity as
 * it was when it first looked.
 */
export async function waitForLockWaiters(what: string, holder: Client, count: number, sql: <T>(text: string, params?: unknown[]) => Promise<T[]>): Promise<void> {
  const {
    rows: [{ pid }],
  } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
  await waitFor(what, async () => {
    const [row] = await sql<{ n: string }>(
      `with recursive waiting(pid) as (
         select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))
         union
         select a.pid from pg_stat_activity a join waiting w on w.pid = any(pg_blocking_pids(a.pid)))
       select count(*) as n from waiting`,
      [pid],
    );
    return Number(row!.n) >= count;
  });
}
