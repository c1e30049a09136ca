import type { Queue } from 'bullmq';
import { jobIds, type JobPayloads } from '@app/queues';

/** What Redis holds for the job of a pending row. */
export type JobPresence = 'live' | 'missing' | 'finished';

interface PresenceClient {
  zmscore(key: string, ...members: string[]): Promise<Array<string | null>>;
  pipeline(): {
    hmget(key: string, ...fields: string[]): unknown;
    hget(key: string, field: string): unknown;
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
}

/**
 * Where each of `ids` stands in `queue`, in two round trips at most, cheapest where jobs usually
 * are: one ZMSCORE on the queue's delayed set answers for every job waiting for its time (nearly
 * every pending deadline the reconciler checks: due within the job horizon, not yet), and only the ids it does not find
 * are looked up one by one, in one pipeline: a job hash without `finishedOn` is waiting, active or
 * retrying (live); with it, BullMQ completed or failed the job for good (finished); no hash, gone.
 */
export async function presenceOf(queue: Queue, ids: readonly string[]): Promise<JobPresence[]> {
  if (ids.length === 0) return [];
  const client = (await queue.client) as unknown as PresenceClient;
  const scores = await client.zmscore(queue.toKey('delayed'), ...ids);
  const presence: JobPresence[] = scores.map((score) => (score === null ? 'missing' : 'live'));
  const unresolved = ids.flatMap((id, index) => (presence[index] === 'missing' ? [index] : []));
  if (unresolved.length === 0) return presence;
  const pipeline = client.pipeline();
  for (const index of unresolved) pipeline.hmget(queue.toKey(ids[index]!), 'timestamp', 'finishedOn');
  const results = (await pipeline.exec()) ?? [];
  unresolved.forEach((index, position) => {
    const [error, value] = results[position] ?? [new Error('no reply'), null];
    if (error) throw error;
    const [timestamp, finishedOn] = value as [string | null, string | null];
    presence[index] = finishedOn ? 'finished' : timestamp ? 'live' : 'missing';
  });
  return presence;
}

/** BullMQ's states of a job that will still run (or is running). */
const LIVE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children'] as const;

/**
 * The outbox rows carried by the `effect.batch` jobs of `queue` that will still run or are
 * running: their rows have no job of their own and are not stranded. Reads every live job id
 * once (only the batches' data is fetched, in one pipeline), so it is for a reconciler pass that
 * found rows without a job, not for every row.
 */
export async function rowsInLiveBatches(queue: Queue): Promise<Set<string>> {
  const batchPrefix = jobIds.effectBatch('');
  // Every id of every live state: getRanges' default range is the first two of each.
  const batchIds = (await queue.getRanges([...LIVE_STATES], 0, -1)).filter((id) => id.startsWith(batchPrefix));
  const rows = new Set<string>();
  if (batchIds.length === 0) return rows;
  const client = (await queue.client) as unknown as PresenceClient;
  const pipeline = client.pipeline();
  for (const id of batchIds) pipeline.hget(queue.toKey(id), 'data');
  for (const [error, data] of (await pipeline.exec()) ?? []) {
    if (error) throw error;
    // Gone since its id was read (finished and removed): its rows are done or have jobs of their own.
    if (typeof data !== 'string') continue;
    for (const row of (JSON.parse(data) as JobPayloads['effect.batch']).rows) rows.add(row.outboxId);
  }
  return rows;
}
