import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { RawTimestamp } from '@app/db';

/** How many cases one answer lists unless asked for another number. */
export const DEFAULT_FAILED_WORK_CASES = 100;
/** The most cases one answer lists (`limit` above it is refused by the route). */
export const MAX_FAILED_WORK_CASES = 500;

export interface FailedEffectView {
  id: string;
  /** The outbox row's effect: requestRefund, freezeAccount, notify, … */
  type: string;
  attempts: number;
  /** The last attempt's error, as the worker recorded it (at most 2,000 characters). */
  lastError: string | null;
  /** When the command that asked for it committed. */
  writtenAt: string;
}

export interface FailedDeadlineView {
  id: string;
  /** machine: a state's timer (a merchant's window, a retry's backoff); sla: a reminder or breach. */
  kind: 'machine' | 'sla';
  name: string;
  dueAt: string;
}

export interface FailedWorkCase {
  caseId: string;
  kind: string;
  state: string;
  subject: string;
  livemode: boolean;
  /** The earliest of its failed effects' writing and its failed deadlines' due times: how long it has waited. */
  oldestAt: string;
  effects: FailedEffectView[];
  deadlines: FailedDeadlineView[];
}

export interface FailedWorkPage {
  /** Cases with failed work, the longest waiting first. */
  data: FailedWorkCase[];
  /** How many cases have failed work in all (more than `data` holds when it hit the limit). */
  total: number;
}

/**
 * The cases with failed work, the longest waiting first (parameter: the limit), with how many there
 * are in all. Exported for the query-plan test: it must search the partial indexes of unfinished
 * rows, never the tables.
 */
export const FAILED_WORK_CASES_SQL = `with failed as (
    select case_id, created_at as at from outbox where status = 'failed' and case_id is not null
    union all
    select case_id, due_at from deadlines where status = 'failed'
  ), by_case as (
    select case_id, min(at) as oldest_at from failed group by case_id
  )
  select b.case_id, b.oldest_at, c.kind, c.state, c.subject, c.livemode, count(*) over () as total
    from by_case b join cases c on c.id = b.case_id
   order by b.oldest_at, b.case_id
   limit ?`;

/** The failed effects of the cases listed (parameter: their ids, as a PostgreSQL array literal). */
export const FAILED_EFFECTS_SQL = `select id, case_id, type, attempts, last_error, created_at from outbox
  where status = 'failed' and case_id = any(?::uuid[]) order by created_at, id`;

/** The failed deadlines of the cases listed (parameter: their ids, as a PostgreSQL array literal). */
export const FAILED_DEADLINES_SQL = `select id, case_id, kind, name, due_at from deadlines
  where status = 'failed' and case_id = any(?::uuid[]) order by due_at, id`;

interface CaseRow {
  case_id: string;
  kind: string;
  state: string;
  subject: string;
  livemode: boolean;
  oldest_at: RawTimestamp;
  total: string;
}

/**
 * The work BullMQ gave up on, by case, for supervisors: what the `effects_unfinished{status="failed"}`
 * and `deadlines_failed` gauges count, with where it is, so that it can be redriven
 * (RedriveCaseEffects, RedriveCaseDeadlines) without reading the tables by hand. Both reads start
 * from partial indexes of the unfinished rows (outbox_unfinished_idx, deadlines_failed_idx), so
 * they cost nothing like the tables' size: settled rows pile up, failed ones wait for a person.
 */
@Injectable()
export class ListFailedWork {
  constructor(private readonly em: EntityManager) {}

  async execute(query: { limit?: number } = {}): Promise<FailedWorkPage> {
    const limit = Math.min(query.limit ?? DEFAULT_FAILED_WORK_CASES, MAX_FAILED_WORK_CASES);
    const connection = this.em.fork().getConnection();
    const cases = await connection.execute<CaseRow[]>(FAILED_WORK_CASES_SQL, [limit]);
    if (cases.length === 0) return { data: [], total: 0 };
    // An array literal, one parameter: MikroORM writes parameters into the statement's text, and a
    // JavaScript array would become a list of values there.
    const ids = `{${cases.map((row) => row.case_id).join(',')}}`;
    // A case redriven between these reads and the one above is listed with what is left (maybe nothing).
    const [effects, deadlines] = await Promise.all([
      connection.execute<Array<{ id: string; case_id: string; type: string; attempts: number; last_error: string | null; created_at: RawTimestamp }>>(FAILED_EFFECTS_SQL, [ids]),
      connection.execute<Array<{ id: string; case_id: string; kind: 'machine' | 'sla'; name: string; due_at: RawTimestamp }>>(FAILED_DEADLINES_SQL, [ids]),
    ]);
    return {
      data: cases.map((row) => ({
        caseId: row.case_id,
        kind: row.kind,
        state: row.state,
        subject: row.subject,
        livemode: row.livemode,
        oldestAt: new Date(row.oldest_at).toISOString(),
        effects: effects
          .filter((effect) => effect.case_id === row.case_id)
          .map((effect) => ({ id: effect.id, type: effect.type, attempts: effect.attempts, lastError: effect.last_error, writtenAt: new Date(effect.created_at).toISOString() })),
        deadlines: deadlines
          .filter((deadline) => deadline.case_id === row.case_id)
          .map((deadline) => ({ id: deadline.id, kind: deadline.kind, name: deadline.name, dueAt: new Date(deadline.due_at).toISOString() })),
      })),
      total: Number(cases[0]!.total),
    };
  }
}
