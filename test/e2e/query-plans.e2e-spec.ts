import { FAILED_DEADLINES_SQL, FAILED_EFFECTS_SQL, FAILED_WORK_CASES_SQL, JOB_HEAD_SQL } from '@app/cases';
import { dueClockRemindersSql } from '@app/sla';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Some cases with machine deadlines pending, fired and cancelled, analyzed: on empty tables every index costs the same,
 * and which one the planner picks is a tie that any change to a table can tip (a column added to
 * deadlines once tipped "pending deadlines of a case" to a scan of the pending index).
 */
async function seedAnalyzedCases(t: TestApp): Promise<void> {
  await t.sql(`insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, customer_id)
    select ('50000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'inquiry', 1, 'open', 'active', '{"context": {}}', '{}', 1, 'normal', 'app',
           'Plan case ' || g, 'u_plan_' || g from generate_series(1, 200) g`);
  await t.sql(`insert into deadlines (id, case_id, kind, name, send_id, event, due_at, status)
    select gen_random_uuid(), c.id, 'machine', 'window', 'window', '{"type": "window"}', now() + g * interval '1 hour',
           (array['pending', 'fired', 'cancelled'])[1 + g % 3]
      from cases c cross join generate_series(1, 20) g where c.subject like 'Plan case %'`);
  await t.sql('analyze cases, deadlines, sla_clocks');
}

/**
 * The reads every command and case view make per case must be served by an index: a filter the
 * indexes do not cover turns into a scan of the whole table, which a test database is too small
 * to show as slowness. With sequential scans priced out, a plan still scanning the table means
 * no index can serve the query.
 */
describe('per-case reads on the hot paths use an index', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedAnalyzedCases(t);
  });
  afterAll(() => t.close());

  const planOf = async (query: string): Promise<string> => {
    await t.sql('set enable_seqscan = off');
    try {
      const rows = await t.sql<{ 'QUERY PLAN': string }>(`explain ${query}`);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await t.sql('reset enable_seqscan');
    }
  };
  const someCase = `'00000000-0000-4000-8000-000000000001'`;

  // The index must be searched by the case (an Index Cond on it), not merely scanned whole.
  it.each([
    [
      'a command and the case view: live deadlines (pending, and SLA alarms fired)',
      `select * from deadlines d where d.case_id = ${someCase} and (d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired')) for update`,
      'case_id',
    ],
    ['pending deadlines of a case (merchant view, SLA clocks)', `select * from deadlines d where d.case_id = ${someCase} and d.status = 'pending'`, 'case_id'],
    ['the case row', `select * from cases c where c.id = ${someCase} for update`, 'id'],
    ["the case's SLA clocks", `select * from sla_clocks k where k.case_id = ${someCase}`, 'case_id'],
  ])('%s', async (_what, query, column) => {
    const plan = await planOf(query);
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toMatch(new RegExp(`Index Cond: \\(${column} = `));
  });
});

/**
 * What runs on a timer whatever the load: the reconciler's walk over pending deadlines and the
 * overdue gauges of every /metrics scrape. Each must search a partial index of the rows it wants
 * (pending ones), never read a whole table or index: settled rows pile up forever.
 */
describe('the reconciler and the overdue gauges read partial indexes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedAnalyzedCases(t);
  });
  afterAll(() => t.close());

  const planOf = async (query: string): Promise<string> => {
    await t.sql('set enable_seqscan = off');
    try {
      const rows = await t.sql<{ 'QUERY PLAN': string }>(`explain ${query}`);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await t.sql('reset enable_seqscan');
    }
  };

  // An index scan of the named partial index, searched by the condition (not merely read whole).
  it.each([
    [
      'deadlines_overdue',
      `select kind, count(*) as n from deadlines where status = 'pending' and due_at < now() - interval '1 minute'
         and case_id not in (select id from cases where test_clock_id is not null) group by 1`,
      /using deadlines_pending_due_id_idx .*\n\s+Index Cond: \(due_at < /,
    ],
    [
      'outbox_overdue',
      `select type, count(*) as n from outbox where status = 'pending' and created_at < now() - interval '900 seconds' group by 1`,
      /using outbox_unrelayed_idx .*\n\s+Index Cond: \(created_at < /,
    ],
    // SlaTracker.fireDueReminders' `due` (sla-tracker.ts), its own statement with its parameters
    // written in: the clock reminders due, and the row of the job that triggered it. The pending
    // index by time serves it (the pending index by clock, whose predicate the filter implies, is
    // gone: no other reader).
    [
      'the reminder sweep: clock reminders due',
      ["'00000000-0000-4000-8000-000000000001'", 'now()', "'00000000-0000-4000-8000-000000000001'"].reduce(
        (sql, literal) => sql.replace('?', literal),
        dueClockRemindersSql(20_000),
      ),
      /(using|on) deadlines_pending_due_id_idx .*\n\s+Index Cond: \(due_at <= /,
    ],
    // Either partial index serves it: the pending one by time, or the unfinished one by status.
    [
      'webhook_deliveries_overdue',
      `select count(*) as n from webhook_deliveries where status = 'pending' and next_attempt_at < now() - interval '1 minute'`,
      /using (webhook_deliveries_pending_idx .*\n\s+Index Cond: \(next_attempt_at < |webhook_deliveries_unfinished_idx .*\n\s+Index Cond: \(status = 'pending')/,
    ],
  ])('%s', async (_what, query, expected) => {
    const plan = await planOf(query);
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toMatch(expected);
  });

  // ListFailedWork: the supervisors' list of what BullMQ gave up on reads only the unfinished rows,
  // never all of a case's effects: an outbox analysed with many done rows per case and a few failed.
  it('the failed work list: failed effects and failed deadlines from their partial indexes', async () => {
    await t.sql(`insert into outbox (id, case_id, type, payload, status, created_at)
      select gen_random_uuid(), c.id, 'notify', '{}', case when g = 1 and c.subject like 'Plan case 1%' then 'failed' else 'done' end, now() - g * interval '1 minute'
        from cases c cross join generate_series(1, 20) g where c.subject like 'Plan case %'`);
    await t.sql(`update deadlines set status = 'failed' where id in (select id from deadlines where status = 'pending' limit 10)`);
    await t.sql('analyze outbox, deadlines');
    const plan = await planOf(FAILED_WORK_CASES_SQL.replace('?', '100'));
    expect(plan).toMatch(/(using|on) outbox_unfinished_idx\b.*\n(\s+.*\n)?\s+Index Cond: \(status = 'failed'/);
    expect(plan).toMatch(/(using|on) deadlines_failed_idx\b/);
    const someCases = `'{50000000-0000-4000-8000-000000000001,50000000-0000-4000-8000-000000000002}'`;
    const effects = await planOf(FAILED_EFFECTS_SQL.replace('?', someCases));
    expect(effects).not.toMatch(/Seq Scan/);
    expect(effects).toMatch(/(using|on) outbox_(unfinished|case)_idx\b/);
    const deadlines = await planOf(FAILED_DEADLINES_SQL.replace('?', someCases));
    expect(deadlines).not.toMatch(/Seq Scan/);
    expect(deadlines).toMatch(/(using|on) deadlines_failed_idx\b.*\n\s+Index Cond: \(case_id = ANY/);
  });

  it("the reconciler's walk of pending chain heads due within the job horizon: in the index's order, never a sort of the rest per batch", async () => {
    // Rows as a live table holds them, analysed, and the planner left to choose: 2,000 cases, each
    // with a machine deadline and a chain of three alarms pending over the next six days, and ten
    // times as many settled ones: more heads in range than a batch takes.
    await t.sql(
      `insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, priority, channel, subject, customer_id, created_at, updated_at)
       select ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'dispute', 1, 'open', 'active', '{}'::jsonb, '{}'::jsonb,
              'normal', 'app', 'plan #' || n, 'u_plan_' || n, now(), now()
         from generate_series(1, 2000) n`,
    );
    await t.sql(
      `insert into deadlines (id, case_id, kind, name, send_id, event, due_at, status, created_at)
       select gen_random_uuid(), ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid,
              case when k = 0 then 'machine' else 'sla' end, 'd' || k, case when k = 0 then 'machineWindow' else 'window.plan-' || n end,
              '{"type":"plan"}'::jsonb, now() + (n * 4 + k) * interval '1 minute',
              case when s = 0 then 'pending' else 'fired' end, now()
         from generate_series(1, 2000) n, generate_series(0, 3) k, generate_series(0, 9) s`,
    );
    await t.sql('analyze deadlines');
    // A horizon of 30 days, so every pending row is in range: where a sort would cost the most.
    const rows = await t.sql<{ 'QUERY PLAN': string }>(
      `explain select d.id, d.due_at::text as due_key from deadlines d
        where d.status = 'pending' and d.due_at <= now() + interval '30 days' and d.due_at >= '-infinity'::timestamptz
          and (d.due_at, d.id) > ('-infinity'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid) and ${JOB_HEAD_SQL('d')}
        order by d.due_at, d.id limit 5000`,
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(
      /Index (Only )?Scan using deadlines_pending_due_id_idx on deadlines d .*\n\s+Index Cond: \(\(due_at <= .*\) AND \(due_at >= .*\) AND \(ROW\(due_at, id\) > /,
    );
    expect(plan).not.toMatch(/Sort|Seq Scan on deadlines d\b/);
  });
});
