import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';

/** Cases whose next deadline is this close count as "due soon" (the admin UI's amber badge uses the same 4 h). */
export const DUE_SOON_MS = 4 * 3600_000;

export interface QueueCounts {
  active: number;
  /** The next deadline has passed (the deadline worker has not fired it yet, or it is an SLA target). */
  overdue: number;
  /** The next deadline is within DUE_SOON_MS. */
  dueSoon: number;
  unassigned: number;
}

export interface QueueStats {
  at: string;
  totals: QueueCounts;
  byKindState: Array<{ kind: string; state: string } & QueueCounts>;
  byAssignee: Array<{ assigneeId: string | null; displayName: string | null } & QueueCounts>;
}

interface CountRow {
  active: string;
  overdue: string;
  due_soon: string;
  unassigned: string;
}

const COUNTS = `count(*) as active,
  count(*) filter (where c.next_deadline_at < ?) as overdue,
  count(*) filter (where c.next_deadline_at >= ? and c.next_deadline_at < ?) as due_soon,
  count(*) filter (where c.assignee_id is null) as unassigned`;

const toCounts = (row: CountRow): QueueCounts => ({
  active: Number(row.active),
  overdue: Number(row.overdue),
  dueSoon: Number(row.due_soon),
  unassigned: Number(row.unassigned),
});

/**
 * Queue depths for supervisors: active cases by kind and state and by assignee, with overdue and
 * due-soon counts. Merchants' test-mode cases are left out: they are integration tests, not work. Aggregates in PostgreSQL (one pass over the active cases each, grouped on the
 * columns of cases_kind_state_idx and cases_assignee_idx) instead of loading cases.
 */
@Injectable()
export class GetQueueStats {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(): Promise<QueueStats> {
    const now = this.clock.now();
    const soon = new Date(now.getTime() + DUE_SOON_MS);
    const params = [now, now, soon];
    const connection = this.em.fork().getConnection();
    const [byKindState, byAssignee] = await Promise.all([
      connection.execute<Array<CountRow & { kind: string; state: string }>>(
        `select c.kind, c.state, ${COUNTS} from cases c where c.status = 'active' and c.livemode group by c.kind, c.state order by c.kind, c.state`,
        params,
      ),
      connection.execute<Array<CountRow & { assignee_id: string | null; display_name: string | null }>>(
        `select c.assignee_id, a.display_name, ${COUNTS} from cases c left join agents a on a.id = c.assignee_id
          where c.status = 'active' and c.livemode group by c.assignee_id, a.display_name order by a.display_name nulls first`,
        params,
      ),
    ]);
    const rows = byKindState.map((row) => ({ kind: row.kind, state: row.state, ...toCounts(row) }));
    const totals = rows.reduce<QueueCounts>(
      (sum, row) => ({
        active: sum.active + row.active,
        overdue: sum.overdue + row.overdue,
        dueSoon: sum.dueSoon + row.dueSoon,
        unassigned: sum.unassigned + row.unassigned,
      }),
      { active: 0, overdue: 0, dueSoon: 0, unassigned: 0 },
    );
    return {
      at: now.toISOString(),
      totals,
      byKindState: rows,
      byAssignee: byAssignee.map((row) => ({ assigneeId: row.assignee_id, displayName: row.display_name, ...toCounts(row) })),
    };
  }
}
