import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface SlaBreachQuery {
  policyId?: string;
  agentId?: string;
  caseId?: string;
  limit?: number;
}

export interface SlaBreachView {
  caseId: string;
  target: string;
  policyId: string;
  breachedAt: string;
  assigneeId: string | null;
  caseSubject: string;
  caseKind: string;
}

/** Breaches per case, policy or agent (the agent who held the case when it breached). */
@Injectable()
export class ListSlaBreaches {
  constructor(private readonly em: EntityManager) {}

  async execute(query: SlaBreachQuery): Promise<{ items: SlaBreachView[]; counts: { byPolicy: Record<string, number>; byAgent: Record<string, number> } }> {
    const where: string[] = ['k.breached_at is not null'];
    const params: unknown[] = [];
    const filters: Array<[string, string | undefined]> = [
      ['k.policy_id = ?', query.policyId],
      ['k.breached_assignee_id = ?', query.agentId],
      ['k.case_id = ?', query.caseId],
    ];
    for (const [condition, value] of filters) {
      if (!value) continue;
      where.push(condition);
      params.push(value);
    }
    const connection = this.em.fork().getConnection();
    const rows = await connection.execute<Array<Record<string, string | null>>>(
      `select k.case_id, k.target, k.policy_id, k.breached_at, k.breached_assignee_id, c.subject, c.kind
         from sla_clocks k join cases c on c.id = k.case_id
        where ${where.join(' and ')} order by k.breached_at desc limit ${Math.min(Math.max(query.limit ?? 100, 1), 500)}`,
      params,
    );
    const counts = await connection.execute<Array<{ policy_id: string; agent: string | null; n: string }>>(
      `select k.policy_id, k.breached_assignee_id as agent, count(*) as n from sla_clocks k where ${where.join(' and ')} group by 1, 2`,
      params,
    );
    const byPolicy: Record<string, number> = {};
    const byAgent: Record<string, number> = {};
    for (const row of counts) {
      byPolicy[row.policy_id] = (byPolicy[row.policy_id] ?? 0) + Number(row.n);
      const agent = row.agent ?? 'unassigned';
      byAgent[agent] = (byAgent[agent] ?? 0) + Number(row.n);
    }
    return {
      items: rows.map((row) => ({
        caseId: row.case_id!,
        target: row.target!,
        policyId: row.policy_id!,
        breachedAt: new Date(row.breached_at!).toISOString(),
        assigneeId: row.breached_assignee_id,
        caseSubject: row.subject!,
        caseKind: row.kind!,
      })),
      counts: { byPolicy, byAgent },
    };
  }
}
