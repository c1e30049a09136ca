import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** Heads that moved shortly before the last anchor may have committed after it read: anchor them again. */
const OVERLAP = "interval '5 minutes'";

/**
 * Chains the case heads that moved since the last anchor into a new anchor row: its hash covers the
 * anchor before it and a digest of those heads, so rewriting a case's log after an anchor shows up
 * against the anchor even if the rewrite re-chains the case consistently. Anchors are cheap (one row
 * plus one per case that changed); publishing their hashes outside the database makes them stronger.
 */
@Injectable()
export class AnchorCaseLogs {
  constructor(private readonly em: EntityManager) {}

  async execute(): Promise<{ anchorId: string; heads: number } | null> {
    return this.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      // One anchor at a time, whichever worker's timer fires.
      await connection.execute(`select pg_advisory_xact_lock(hashtextextended('audit_anchors', 0))`);
      const [last] = await connection.execute<Array<{ id: string; hash: string; created_at: Date }>>(
        `select id::text as id, hash, created_at from audit_anchors order by id desc limit 1`,
      );
      const heads = await connection.execute<Array<{ case_id: string; event_id: string; hash: string }>>(
        last
          ? `select case_id, event_id::text as event_id, hash from case_log_heads where updated_at > ?::timestamptz - ${OVERLAP} order by case_id`
          : `select case_id, event_id::text as event_id, hash from case_log_heads order by case_id`,
        last ? [last.created_at] : [],
      );
      if (heads.length === 0) return null;
      const [anchor] = await connection.execute<Array<{ id: string }>>(
        `with digest as (
           select encode(sha256(convert_to(string_agg(x.case_id::text || ':' || x.event_id || ':' || x.hash, ',' order by x.case_id), 'UTF8')), 'hex') as value
             from jsonb_to_recordset(?::jsonb) as x(case_id uuid, event_id bigint, hash text)
         ), stamp as (select date_trunc('milliseconds', clock_timestamp()) as at)
         insert into audit_anchors (prev_hash, heads_digest, head_count, hash, created_at)
         select ?, digest.value, ?, encode(sha256(convert_to(coalesce(?, '-') || '|' || digest.value || '|' || ? || '|' || ((extract(epoch from stamp.at) * 1000000)::bigint)::text, 'UTF8')), 'hex'), stamp.at
           from digest, stamp
         returning id::text as id`,
        [JSON.stringify(heads), last?.hash ?? null, heads.length, last?.hash ?? null, heads.length],
      );
      await connection.execute(
        `insert into audit_anchor_heads (anchor_id, case_id, event_id, hash)
         select ?, x.case_id, x.event_id, x.hash from jsonb_to_recordset(?::jsonb) as x(case_id uuid, event_id bigint, hash text)`,
        [anchor!.id, JSON.stringify(heads)],
      );
      return { anchorId: anchor!.id, heads: heads.length };
    });
  }
}
