import type { DeadlineEntity, SqlSession } from '@app/db';

/**
 * Which pending deadlines have a BullMQ job. Every row is the source of truth for its own moment,
 * but a job is only an alarm clock, and SLA alarms come in chains that are planned, paused and
 * resumed together: a clock's reminders and breach, one window's reminders. Only the earliest
 * pending alarm of a chain (its head) has a job; when the head is settled, whoever settled it
 * enqueues the next one: a command or a firing under the case's lock (deadlineJobChanges), the
 * reminder sweep and a job BullMQ gave up on after their commit (currentJobHeads). So pausing a
 * clock removes one job instead of three, and resuming it adds one: what a transition sends to
 * Redis no longer grows with the reminder ladder. A machine deadline is a chain of its own (firm:
 * every `after` is a row and a job).
 *
 * The reconciler expects exactly the heads (JOB_HEAD_SQL says the same in SQL), so a head whose
 * job was lost or never enqueued still gets one. A job for a row that is no longer a head is
 * harmless: a pending row fires at its due time whoever rings.
 */
type ChainMember = Pick<DeadlineEntity, 'id' | 'kind' | 'slaClockId' | 'sendId' | 'dueAt' | 'status'>;

/** The chain a deadline belongs to: its clock, its window (the reminders' send id), or itself. */
export function jobChainOf(deadline: Pick<DeadlineEntity, 'id' | 'kind' | 'slaClockId' | 'sendId'>): string {
  if (deadline.kind !== 'sla') return `deadline:${deadline.id}`;
  return deadline.slaClockId ? `clock:${deadline.slaClockId}` : `send:${deadline.sendId}`;
}

/** The pending deadlines that have a job: the earliest pending row of each chain, by due time then id. */
export function jobHeads<T extends ChainMember>(deadlines: Iterable<T>): Map<string, T> {
  const heads = new Map<string, T>();
  for (const deadline of deadlines) {
    if (deadline.status !== 'pending') continue;
    const chain = jobChainOf(deadline);
    const head = heads.get(chain);
    if (!head || earlier(deadline, head)) heads.set(chain, deadline);
  }
  return heads;
}

/** The heads as they were, copied: the rows themselves are settled in place by the transition. */
export type HeadsBefore = ReadonlySet<string>;

/** A new case's: it had no deadlines. */
export const NO_HEADS: HeadsBefore = new Set();

export function headsBefore(deadlines: Iterable<ChainMember>): HeadsBefore {
  return new Set([...jobHeads(deadlines).values()].map((deadline) => deadline.id));
}

export interface DeadlineJobChanges<T> {
  /** Heads that had no job: new machine deadlines, the first alarm of a chain that (re)started, the next alarm after a settled one. */
  add: T[];
  /** Rows that had a job and were cancelled. A settled (fired) row's job is the one running, and BullMQ finishes it. */
  remove: T[];
}

/**
 * The jobs a change of a case's deadlines adds and removes, from the heads before it and every
 * deadline after it (the rows it settled, in place, and the rows it added).
 */
export function deadlineJobChanges<T extends ChainMember>(before: HeadsBefore, after: readonly T[]): DeadlineJobChanges<T> {
  return {
    add: [...jobHeads(after).values()].filter((deadline) => !before.has(deadline.id)),
    remove: after.filter((deadline) => before.has(deadline.id) && deadline.status === 'cancelled'),
  };
}

/**
 * The deadlines that have a job by now (or should have): those due within the horizon
 * (DEADLINE_JOB_HORIZON_MS). A deadline further ahead is only its row until a reconciler pass
 * finds it within the horizon and adds its job, which then waits in Redis for the exact time: an
 * SLA alarm hours away is often cancelled (its clock paused) before then, and a job never made
 * costs Redis and the deadline workers nothing. Time only moves on, so a deadline beyond the
 * horizon now never had a job either (unless the horizon was longer when it got one: a stale job
 * finds its row settled, or fires it on time).
 */
export function withinJobHorizon<T extends Pick<DeadlineEntity, 'dueAt'>>(deadlines: readonly T[], now: Date, horizonMs: number): T[] {
  const until = now.getTime() + horizonMs;
  return deadlines.filter((deadline) => deadline.dueAt.getTime() <= until);
}

function earlier(a: Pick<DeadlineEntity, 'id' | 'dueAt'>, b: Pick<DeadlineEntity, 'id' | 'dueAt'>): boolean {
  const byTime = a.dueAt.getTime() - b.dueAt.getTime();
  return byTime < 0 || (byTime === 0 && a.id < b.id);
}

/** CHAIN_KEY_SQL(d): an SLA alarm's chain within its case, as jobChainOf says (a clock id and a send id never look alike). */
const CHAIN_KEY_SQL = (d: string) => `coalesce(${d}.sla_clock_id::text, ${d}.send_id)`;

/** SAME_CHAIN_SQL(e, d): SLA alarm `e` is in the chain of SLA alarm `d`, as jobChainOf says: the same clock, or without one the same send id. */
const SAME_CHAIN_SQL = (e: string, d: string) =>
  `${e}.case_id = ${d}.case_id and ${e}.kind = 'sla' and ${e}.sla_clock_id is not distinct from ${d}.sla_clock_id
   and (${d}.sla_clock_id is not null or ${e}.send_id = ${d}.send_id)`;

/**
 * JOB_HEAD_SQL(d): true for a pending deadline `d` that is the head of its chain (jobChainOf): a
 * machine deadline, or an SLA alarm with no earlier pending alarm of the same chain. The probe
 * runs on deadlines_case_pending_idx: a case has a handful. Ties on the due time go by id, as in
 * jobHeads (uuid order is the same in both: lower-case hex).
 */
export const JOB_HEAD_SQL = (d: string) =>
  `(${d}.kind <> 'sla' or not exists (
     select 1 from deadlines e
      where e.status = 'pending' and ${SAME_CHAIN_SQL('e', d)} and (e.due_at, e.id) < (${d}.due_at, ${d}.id)))`;

/**
 * The heads now of the chains of SLA alarms just settled outside a case's lock (the reminder sweep,
 * a job BullMQ gave up on), to enqueue. Read after the settling transaction committed: two sweeps
 * may each hold part of one clock's due reminders, and whichever commits last then sees them all
 * settled (the other may enqueue a row the last one settled: a job that finds its row settled).
 */
export async function currentJobHeads(sql: SqlSession, settledIds: readonly string[]): Promise<Array<Pick<DeadlineEntity, 'id' | 'caseId' | 'dueAt'>>> {
  if (settledIds.length === 0) return [];
  // The ids as one array literal: a sweep may settle thousands.
  const rows = await sql.all<{ id: string; case_id: string; due_at: string | Date }>(
    `select distinct on (n.case_id, ${CHAIN_KEY_SQL('n')}) n.id, n.case_id, n.due_at
       from deadlines s join deadlines n on n.status = 'pending' and ${SAME_CHAIN_SQL('n', 's')}
      where s.id = any(?::uuid[]) and s.kind = 'sla'
      order by n.case_id, ${CHAIN_KEY_SQL('n')}, n.due_at, n.id`,
    [`{${settledIds.join(',')}}`],
  );
  return rows.map((row) => ({ id: row.id, caseId: row.case_id, dueAt: new Date(row.due_at) }));
}
