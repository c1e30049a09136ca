import { MikroORM } from '@mikro-orm/postgresql';
import { HISTOGRAM_RELATIVE_ERROR, REPORT_NAMES, type ReportName } from '@app/cases';
import { runReport } from '../../libs/cases/src/reports/case-reports';
import type { ReportFilters } from '../../libs/cases/src/reports/report-filters';
import { startTestApp, type TestApp } from '../support/test-app';

const ZONE = 'Asia/Shanghai';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const AGENT = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Json = Record<string, unknown>;

/**
 * The per-day rollups the reports read without an agent or merchant filter must say what the facts
 * say: counts exactly, percentiles within HISTOGRAM_RELATIVE_ERROR; after later changes to a case
 * too; and neither counts test-mode cases.
 */
describe('report rollups', () => {
  let t: TestApp;
  let orm: MikroORM;

  beforeAll(async () => {
    t = await startTestApp();
    orm = t.app.get(MikroORM);
    await t.sql(`insert into agents (id, email, display_name, role, password_hash)
      select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'rollup-' || g || '@reports.test', 'Rollup agent ' || g, 'agent', 'x' from generate_series(1, 5) g`);
    // 600 cases over the last 40 days with the triggers on (as the engine writes them): kinds,
    // channels, outcomes, clocks of many durations, ratings and refunds; every 37th in test mode.
    await t.sql(`insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, customer_id,
                                    merchant_id, amount_minor, currency, assignee_id, sla_policy_id, livemode, created_at, updated_at)
      select ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, kind, 1,
             case when done and g % 13 = 0 then 'withdrawn' when done then 'closed' else 'open' end, case when done then 'done' else 'active' end,
             case kind
               when 'dispute' then jsonb_build_object('context', jsonb_build_object('decisions', jsonb_build_array(jsonb_build_object('outcome', (array['rejected', 'full_refund', 'partial_refund'])[1 + g % 3]))))
               when 'refund_request' then jsonb_build_object('context', jsonb_build_object('decision', jsonb_build_object('outcome', (array['rejected', 'full_refund'])[1 + g % 2])))
               else '{"context": {}}'::jsonb end,
             jsonb_build_object('reason', (array['not_received', 'not_as_described', 'duplicate', 'unauthorised'])[1 + g % 4]),
             1, 'normal', (array['hotline', 'chat', 'email', 'wechat', 'weibo', 'app'])[1 + (g / 7) % 6], 'Rollup case ' || g, 'u_' || (g % 50),
             case when kind in ('dispute', 'refund_request') then 'm_' || (g % 7) end, 10000, 'CNY',
             case when g % 6 = 0 then null else ('00000000-0000-4000-8000-' || lpad((1 + g % 5)::text, 12, '0'))::uuid end,
             case when kind = 'dispute' then 'disputes' else 'standard' end, g % 37 <> 0, opened, opened + interval '20 hours'
        from (select g, (array['dispute', 'dispute', 'dispute', 'refund_request', 'refund_request', 'payment_failure', 'inquiry'])[1 + g % 7] as kind,
                     g % 10 < 8 as done, now() - (g % 40) * interval '1 day' - (g * 7 % 1440) * interval '1 minute' as opened
                from generate_series(1, 600) g) s`);
    await t.sql(`insert into sla_clocks (id, case_id, policy_id, target, minutes, mode, calendar_id, status, used_minutes, finished_minutes, finished_at, breached_at, created_at)
      select gen_random_uuid(), c.id, c.sla_policy_id, t.target, t.minutes, 'business', 'cn-default',
             case when f.used > t.minutes then 'breached' else 'met' end, least(f.used, t.minutes), f.used, c.created_at + f.used * interval '1 minute',
             case when f.used > t.minutes then c.created_at + t.minutes * interval '1 minute' end, c.created_at
        from cases c cross join (values ('firstResponse', 240), ('resolution', 2400)) t(target, minutes)
        cross join lateral (select (hashtext(c.id::text || t.target) & 1023) * t.minutes / 700.0 as used) f
       where c.status = 'done'`);
    await t.sql(`insert into case_ratings (case_id, customer_id, score, created_at)
      select c.id, c.customer_id, 1 + abs(hashtext(c.id::text || 'score')) % 5, c.updated_at from cases c where c.status = 'done' and abs(hashtext(c.id::text)) % 3 = 0`);
    await t.sql(`insert into outbox (id, case_id, type, payload, status) select ('20000000-0000-4000-8000-' || substr(c.id::text, 25))::uuid, c.id, 'refund', '{}', 'done'
      from cases c where c.outcome in ('lost', 'approved')`);
    await t.sql(`insert into refunds (id, case_id, outbox_id, attempt, amount_minor, currency, status)
      select gen_random_uuid(), c.id, ('20000000-0000-4000-8000-' || substr(c.id::text, 25))::uuid, 1, 1000 + (hashtext(c.id::text) & 4095), 'CNY', 'succeeded'
        from cases c where c.outcome in ('lost', 'approved')`);
  });
  afterAll(() => t.close());

  const filtersOf = (extra: Partial<ReportFilters> = {}): ReportFilters => ({ from: daysBefore(today(), 45), to: today(), timeZone: ZONE, interval: 'day', ...extra });
  const both = async (name: ReportName, filters: ReportFilters) => ({
    rollups: (await runReport(orm.em.fork(), name, filters)) as unknown as Json,
    facts: (await runReport(orm.em.fork(), name, filters, 'facts')) as unknown as Json,
  });

  /** Equal, except that a percentile (…Minutes) of the rollups may be off by HISTOGRAM_RELATIVE_ERROR of the exact one. */
  function expectSame(rollups: unknown, facts: unknown, path = 'report'): void {
    if (typeof facts === 'number' && /Minutes$/.test(path)) {
      expect(typeof rollups).toBe('number');
      const error = Math.abs((rollups as number) - facts);
      // Rounding to a tenth of a minute adds at most 0.05.
      if (error > HISTOGRAM_RELATIVE_ERROR * facts + 0.05) throw new Error(`${path}: rollups say ${String(rollups)}, facts ${facts}`);
      return;
    }
    if (facts !== null && typeof facts === 'object') {
      expect(rollups !== null && typeof rollups === 'object').toBe(true);
      const keys = Object.keys(facts as Json);
      expect(Object.keys(rollups as Json).sort()).toEqual([...keys].sort());
      for (const key of keys) expectSame((rollups as Json)[key], (facts as Json)[key], `${path}.${key}`);
      return;
    }
    if (rollups !== facts) throw new Error(`${path}: rollups say ${JSON.stringify(rollups)}, facts ${JSON.stringify(facts)}`);
  }

  it('gives the facts figures for every report, with no filter, one filter and several, by day, week and month', async () => {
    const cases: Array<Partial<ReportFilters>> = [
      {},
      { interval: 'week' },
      { interval: 'month', channel: 'wechat' },
      { kind: 'dispute' },
      { policyId: 'standard' },
      { kind: 'refund_request', channel: 'chat' },
      { kind: 'dispute', channel: 'app', policyId: 'disputes', interval: 'week' },
      { from: daysBefore(today(), 10), to: daysBefore(today(), 3) },
    ];
    for (const extra of cases) {
      for (const name of REPORT_NAMES) {
        const { rollups, facts } = await both(name, filtersOf(extra));
        expectSame(rollups, facts, `${name} ${JSON.stringify(extra)}`);
      }
    }
    // The data is not empty: the comparison compares something.
    const volume = (await runReport(orm.em.fork(), 'volume', filtersOf())) as { totals: { opened: number; closed: number } };
    const live = await t.sql<{ n: string }>(`select count(*) as n from cases where livemode and subject like 'Rollup case %'`);
    expect(volume.totals.opened).toBeGreaterThanOrEqual(Number(live[0]!.n));
    const times = (await runReport(orm.em.fork(), 'response-times', filtersOf())) as { targets: Array<{ count: number; p90Minutes: number | null }> };
    expect(times.targets.every((target) => target.count > 100 && target.p90Minutes! > 20)).toBe(true);
  });

  it('reflects a case that changes after it was rolled up: closed later, reassigned, a clock breached, a refund paid, moved to test mode', async () => {
    const filters = filtersOf();
    const before = (await runReport(orm.em.fork(), 'volume', filters)) as { totals: { opened: number; closed: number } };
    const sla = (await runReport(orm.em.fork(), 'sla-compliance', filters)) as { totals: { met: number; breached: number } };
    // An open dispute from 20 days ago (rolled up by now) closes today, lost, with a refund; another is reassigned; a met clock breaches.
    const [open] = await t.sql<{ id: string }>(`select id from cases where subject like 'Rollup case %' and status = 'active' and kind = 'dispute' and livemode
      and created_at < now() - interval '15 days' order by id limit 1`);
    await t.sql(
      `update cases set status = 'done', state = 'closed', updated_at = now(),
      snapshot = jsonb_build_object('context', jsonb_build_object('decisions', jsonb_build_array(jsonb_build_object('outcome', 'full_refund')))) where id = $1`,
      [open!.id],
    );
    await t.sql(`insert into outbox (id, case_id, type, payload, status) values ('30000000-0000-4000-8000-000000000001', $1, 'refund', '{}', 'done')`, [open!.id]);
    await t.sql(
      `insert into refunds (id, case_id, outbox_id, attempt, amount_minor, currency, status)
      values (gen_random_uuid(), $1, '30000000-0000-4000-8000-000000000001', 1, 777, 'CNY', 'requested')`,
      [open!.id],
    );
    await t.sql(`update refunds set status = 'succeeded' where case_id = $1`, [open!.id]);
    const [assigned] = await t.sql<{ id: string; assignee_id: string }>(
      `select id, assignee_id from cases where subject like 'Rollup case %' and livemode
      and assignee_id = $1 and status = 'done' order by id limit 1`,
      [AGENT(2)],
    );
    await t.sql(`update cases set assignee_id = $2 where id = $1`, [assigned!.id, AGENT(3)]);
    const [clock] = await t.sql<{ id: string }>(`select k.id from sla_clocks k join cases c on c.id = k.case_id
      where c.livemode and k.status = 'met' and k.target = 'firstResponse' order by k.id limit 1`);
    await t.sql(`update sla_clocks set status = 'breached', used_minutes = 240, finished_minutes = 5000 where id = $1`, [clock!.id]);
    const [moved] = await t.sql<{ id: string }>(
      `select id from cases where subject like 'Rollup case %' and livemode and status = 'active' and kind = 'inquiry' order by id limit 1`,
    );
    await t.sql(`update cases set livemode = false where id = $1`, [moved!.id]);

    const after = (await runReport(orm.em.fork(), 'volume', filters)) as { totals: { opened: number; closed: number } };
    expect(after.totals).toEqual({ opened: before.totals.opened - 1, closed: before.totals.closed + 1 });
    const slaAfter = (await runReport(orm.em.fork(), 'sla-compliance', filters)) as { totals: { met: number; breached: number } };
    expect(slaAfter.totals).toMatchObject({ met: sla.totals.met - 1, breached: sla.totals.breached + 1 });
    // Refunded amounts as the refunds table has them (the paid refund included).
    const disputes = (await runReport(orm.em.fork(), 'dispute-outcomes', filters)) as { totals: { refunded: Array<{ currency: string; amountMinor: number }> } };
    const [paid] = await t.sql<{ amount: string }>(`select sum(r.amount_minor) as amount from refunds r join cases c on c.id = r.case_id
      where r.status = 'succeeded' and c.kind = 'dispute' and c.livemode and c.outcome is not null and c.subject like 'Rollup case %'`);
    expect(disputes.totals.refunded).toEqual([{ currency: 'CNY', amountMinor: Number(paid!.amount) }]);
    for (const name of REPORT_NAMES) {
      const { rollups, facts } = await both(name, filters);
      expectSame(rollups, facts, `${name} after changes`);
    }
    // The reassigned case counts for its new agent: the agent filter reads the facts, the agents' list the rollups.
    const byAgent = (await runReport(orm.em.fork(), 'sla-compliance', filters)) as { byAgent: Array<{ agentId: string | null; met: number; breached: number }> };
    for (const agentId of [AGENT(2), AGENT(3)]) {
      const filtered = (await runReport(orm.em.fork(), 'sla-compliance', { ...filters, agentId })) as { totals: { met: number; breached: number } };
      const row = byAgent.byAgent.find((r) => r.agentId === agentId)!;
      expect({ met: row.met, breached: row.breached }).toEqual({ met: filtered.totals.met, breached: filtered.totals.breached });
    }
  });

  it('leaves test-mode cases out of every report, by either path, and rebuilds to the same figures', async () => {
    const filters = filtersOf({ kind: 'inquiry' });
    const [live] = await t.sql<{ n: string }>(`select count(*) as n from cases where subject like 'Rollup case %' and kind = 'inquiry' and livemode`);
    const [test] = await t.sql<{ n: string }>(`select count(*) as n from cases where subject like 'Rollup case %' and kind = 'inquiry' and not livemode`);
    expect(Number(test!.n)).toBeGreaterThan(0);
    const { rollups, facts } = await both('volume', filters);
    expect((rollups.totals as Json).opened).toBe(Number(live!.n));
    expect((facts.totals as Json).opened).toBe(Number(live!.n));
    // Through the API as well (no agent or merchant filter: the rollups).
    const { body } = await t.http.get('/v1/reports/volume').query({ kind: 'inquiry', from: filters.from, to: filters.to }).set('Authorization', t.auth).expect(200);
    expect(body.totals.opened).toBe(Number(live!.n));

    const reports = async () => Promise.all(REPORT_NAMES.map((name) => runReport(orm.em.fork(), name, filtersOf({ interval: 'week' }))));
    const current = await reports();
    const [{ folded }] = await t.sql<{ folded: number }>(`select case_report_rollup_rebuild() as folded`);
    expect(folded).toBeGreaterThanOrEqual(600);
    expect(await reports()).toEqual(current);
    // Rebuilding again is harmless.
    await t.sql(`select case_report_rollup_rebuild()`);
    expect(await reports()).toEqual(current);
  });

  it("leaves a case's facts alone while its clock pauses and resumes, and records every result it finishes with", async () => {
    const caseId = '40000000-0000-4000-8000-000000000001';
    const clockId = '40000000-0000-4000-8000-000000000002';
    await t.sql(
      `insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, customer_id, sla_policy_id)
      values ($1, 'payment_failure', 1, 'open', 'active', '{"context": {}}', '{}', 1, 'normal', 'app', 'Clock facts case', 'u_clock', 'standard')`,
      [caseId],
    );
    await t.sql(
      `insert into sla_clocks (id, case_id, policy_id, target, minutes, mode, calendar_id, status, used_minutes, running_since, created_at)
      values ($1, $2, 'standard', 'resolution', 100, 'calendar', 'cn-default', 'running', 0, now(), now())`,
      [clockId, caseId],
    );
    const facts = async () =>
      (
        await t.sql<{ result: string | null; minutes: number | null; changed: string | null; xmin: string }>(
          `select resolution_result as result, resolution_minutes as minutes, changed_xid as changed, xmin::text from case_report_facts where case_id = $1`,
          [caseId],
        )
      )[0]!;
    const clock = (set: string, ...params: unknown[]) => t.sql(`update sla_clocks set ${set} where id = $1`, [clockId, ...params]);
    const opened = await facts();
    expect(opened).toMatchObject({ result: null, minutes: null });

    // Paused (its used minutes move) and resumed, twice: no result either way, so the row is not rewritten.
    for (const used of [20, 45]) {
      await clock(`status = 'paused', used_minutes = $2, running_since = null`, used);
      await clock(`status = 'running', running_since = now()`);
    }
    expect(await facts()).toEqual(opened);

    // Resolved in time: the resolution clock stops (met: 90 of 100 minutes).
    await clock(`status = 'stopped', used_minutes = 90, finished_minutes = 90, running_since = null, met_at = now()`);
    const resolved = await facts();
    expect(resolved).toMatchObject({ result: 'met', minutes: 90 });
    expect(resolved.xmin).not.toBe(opened.xmin);
    // Reopened (an appeal): running again with the time it had used, no result until it finishes again.
    await clock(`status = 'running', running_since = now(), finished_minutes = null, met_at = null`);
    expect(await facts()).toMatchObject({ result: null, minutes: null });
    // Resolved again, late, then closed: breached.
    await clock(`status = 'stopped', used_minutes = 130, finished_minutes = 130, running_since = null`);
    expect(await facts()).toMatchObject({ result: 'breached', minutes: 130 });
    await clock(`status = 'breached'`);
    const closed = await facts();
    expect(closed).toMatchObject({ result: 'breached', minutes: 130 });
    // A finished clock whose used minutes move keeps its result: the row is not rewritten.
    await clock(`used_minutes = 140`);
    expect(await facts()).toEqual(closed);
  });
});
