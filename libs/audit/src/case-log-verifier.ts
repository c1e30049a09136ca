import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@app/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CaseLogProblemKind =
  /** The row's content no longer matches its hash: it was edited. */
  | 'content_altered'
  /** The row does not follow the row before it: a row was removed or slipped in before it. */
  | 'chain_broken'
  /** The case's recorded head is not its last row: the tail was cut off or rewritten. */
  | 'head_mismatch'
  /** A row an anchor vouched for is gone or changed. */
  | 'anchored_row_changed'
  /** An anchor no longer matches its own hash or does not follow the anchor before it. */
  | 'anchor_altered';

export interface CaseLogProblem {
  kind: CaseLogProblemKind;
  caseId: string | null;
  /** The timeline row (case_events.id) or, for anchor problems, the anchor id. */
  rowId: string;
  detail: string;
}

export interface CaseLogProof {
  caseId: string;
  valid: boolean;
  problems: CaseLogProblem[];
  /** The chain as stored: each row's id, the hash it builds on and its own. */
  chain: Array<{ eventId: string; type: string; prevHash: string | null; hash: string; createdAt: string }>;
  head: { eventId: string; hash: string } | null;
  /** The newest anchor that vouches for a row of this case, if any. */
  anchor: { id: string; hash: string; createdAt: string; eventId: string; headHash: string } | null;
}

// Every row recomputed from its content with the same function the insert trigger used, and held
// to the row before it (lag over the case's rows in id order).
const ROW_CHECK = `
  select x.case_id, x.id::text as id, x.problem from (
    select e.case_id, e.id,
      case when case_event_hash(e.prev_hash, e) <> e.hash then 'content_altered'
           when e.prev_hash is distinct from lag(e.hash) over (partition by e.case_id order by e.id) then 'chain_broken' end as problem
      from case_events e %WHERE%
  ) x where x.problem is not null order by x.case_id, x.id`;

const HEAD_CHECK = `
  select h.case_id, h.event_id::text as id, last.id::text as last_id
    from case_log_heads h
    left join lateral (select e.id, e.hash from case_events e where e.case_id = h.case_id order by e.id desc limit 1) last on true
   where (last.id is distinct from h.event_id or last.hash is distinct from h.hash) %AND%`;

const ANCHORED_ROW_CHECK = `
  select a.case_id, a.event_id::text as id, a.anchor_id::text as anchor_id
    from audit_anchor_heads a left join case_events e on e.id = a.event_id and e.case_id = a.case_id
   where (e.id is null or e.hash <> a.hash) %AND%`;

const ANCHOR_CHECK = `
  select id::text as id, problem from (
    select id, case
      when hash <> encode(sha256(convert_to(coalesce(prev_hash, '-') || '|' || heads_digest || '|' || head_count || '|' || ((extract(epoch from created_at) * 1000000)::bigint)::text, 'UTF8')), 'hex') then 'anchor hash does not match its content'
      when prev_hash is distinct from lag(hash) over (order by id) then 'does not follow the anchor before it'
      when heads_digest <> coalesce((select encode(sha256(convert_to(string_agg(h.case_id::text || ':' || h.event_id || ':' || h.hash, ',' order by h.case_id), 'UTF8')), 'hex') from audit_anchor_heads h where h.anchor_id = audit_anchors.id), '') then 'its recorded heads were changed'
    end as problem from audit_anchors
  ) x where problem is not null order by id`;

/**
 * Checks the tamper-evident case log: every timeline row against its hash and the row before it,
 * every case head against the case's last row, and the anchors against themselves and the rows they
 * vouch for. Reads only; what it finds is reported, never repaired.
 */
@Injectable()
export class CaseLogVerifier {
  constructor(private readonly em: EntityManager) {}

  async verifyCase(caseId: string): Promise<CaseLogProof> {
    if (!UUID.test(caseId)) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`);
    const connection = this.em.fork().getConnection();
    const [rowProblems, headProblems, anchoredProblems, chain, heads, anchors] = await Promise.all([
      connection.execute<Array<{ case_id: string; id: string; problem: CaseLogProblemKind }>>(ROW_CHECK.replace('%WHERE%', 'where e.case_id = ?'), [caseId]),
      connection.execute<Array<{ case_id: string; id: string; last_id: string | null }>>(HEAD_CHECK.replace('%AND%', 'and h.case_id = ?'), [caseId]),
      connection.execute<Array<{ case_id: string; id: string; anchor_id: string }>>(ANCHORED_ROW_CHECK.replace('%AND%', 'and a.case_id = ?'), [caseId]),
      connection.execute<Array<{ id: string; type: string; prev_hash: string | null; hash: string; created_at: Date }>>(
        `select id::text as id, type, prev_hash, hash, created_at from case_events where case_id = ? order by id`,
        [caseId],
      ),
      connection.execute<Array<{ event_id: string; hash: string }>>(`select event_id::text as event_id, hash from case_log_heads where case_id = ?`, [caseId]),
      connection.execute<Array<{ id: string; hash: string; created_at: Date; event_id: string; head_hash: string }>>(
        `select a.id::text as id, a.hash, a.created_at, h.event_id::text as event_id, h.hash as head_hash
           from audit_anchor_heads h join audit_anchors a on a.id = h.anchor_id where h.case_id = ? order by a.id desc limit 1`,
        [caseId],
      ),
    ]);
    // Every case has at least its opening row: none (and no head) means no such case.
    if (chain.length === 0 && heads.length === 0) throw new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`);
    const problems = [...describeRows(rowProblems), ...describeHeads(headProblems), ...describeAnchoredRows(anchoredProblems)];
    const anchor = anchors[0];
    return {
      caseId,
      valid: problems.length === 0,
      problems,
      chain: chain.map((row) => ({ eventId: row.id, type: row.type, prevHash: row.prev_hash, hash: row.hash, createdAt: new Date(row.created_at).toISOString() })),
      head: heads[0] ? { eventId: heads[0].event_id, hash: heads[0].hash } : null,
      anchor: anchor ? { id: anchor.id, hash: anchor.hash, createdAt: new Date(anchor.created_at).toISOString(), eventId: anchor.event_id, headHash: anchor.head_hash } : null,
    };
  }

  /** The anchors, newest first: their hashes are what an operator copies to a store outside this database. */
  async listAnchors(query: {
    before?: string;
    limit?: number;
  }): Promise<{ data: Array<{ id: string; hash: string; prevHash: string | null; headCount: number; createdAt: string }>; nextBefore: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; hash: string; prev_hash: string | null; head_count: number; created_at: Date }>>(
        `select id::text as id, hash, prev_hash, head_count, created_at from audit_anchors ${query.before ? 'where id < ?' : ''} order by id desc limit ?`,
        query.before ? [query.before, limit + 1] : [limit + 1],
      );
    const page = rows.slice(0, limit);
    return {
      data: page.map((row) => ({ id: row.id, hash: row.hash, prevHash: row.prev_hash, headCount: row.head_count, createdAt: new Date(row.created_at).toISOString() })),
      nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }

  /** Every case and every anchor: what `npm run audit:verify` prints. */
  async verifyAll(): Promise<{ valid: boolean; problems: CaseLogProblem[]; casesChecked: number; rowsChecked: number }> {
    const connection = this.em.fork().getConnection();
    const [rowProblems, headProblems, anchoredProblems, anchorProblems, counts] = await Promise.all([
      connection.execute<Array<{ case_id: string; id: string; problem: CaseLogProblemKind }>>(ROW_CHECK.replace('%WHERE%', '')),
      connection.execute<Array<{ case_id: string; id: string; last_id: string | null }>>(HEAD_CHECK.replace('%AND%', '')),
      connection.execute<Array<{ case_id: string; id: string; anchor_id: string }>>(ANCHORED_ROW_CHECK.replace('%AND%', '')),
      connection.execute<Array<{ id: string; problem: string }>>(ANCHOR_CHECK),
      connection.execute<Array<{ cases: string; rows: string }>>(`select count(distinct case_id) as cases, count(*) as rows from case_events`),
    ]);
    const problems = [
      ...describeRows(rowProblems),
      ...describeHeads(headProblems),
      ...describeAnchoredRows(anchoredProblems),
      ...anchorProblems.map((row) => ({ kind: 'anchor_altered' as const, caseId: null, rowId: row.id, detail: `anchor ${row.id}: ${row.problem}` })),
    ];
    return { valid: problems.length === 0, problems, casesChecked: Number(counts[0]!.cases), rowsChecked: Number(counts[0]!.rows) };
  }
}

function describeRows(rows: Array<{ case_id: string; id: string; problem: CaseLogProblemKind }>): CaseLogProblem[] {
  return rows.map((row) => ({
    kind: row.problem,
    caseId: row.case_id,
    rowId: row.id,
    detail:
      row.problem === 'content_altered'
        ? `timeline row ${row.id} of case ${row.case_id} was changed after it was written`
        : `timeline row ${row.id} of case ${row.case_id} does not follow the row before it (a row was removed or inserted before it)`,
  }));
}

function describeHeads(rows: Array<{ case_id: string; id: string; last_id: string | null }>): CaseLogProblem[] {
  return rows.map((row) => ({
    kind: 'head_mismatch' as const,
    caseId: row.case_id,
    rowId: row.last_id ?? row.id,
    detail: `case ${row.case_id}: its recorded head is row ${row.id}, its last row is ${row.last_id ?? 'missing'} (the tail was cut off or rewritten)`,
  }));
}

function describeAnchoredRows(rows: Array<{ case_id: string; id: string; anchor_id: string }>): CaseLogProblem[] {
  return rows.map((row) => ({
    kind: 'anchored_row_changed' as const,
    caseId: row.case_id,
    rowId: row.id,
    detail: `timeline row ${row.id} of case ${row.case_id}, vouched for by anchor ${row.anchor_id}, is gone or changed`,
  }));
}
