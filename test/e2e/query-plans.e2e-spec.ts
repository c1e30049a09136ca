import { startTestApp, type TestApp } from '../support/test-app';

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
    ['a command and the case view: live deadlines (pending, and SLA alarms fired)', `select * from deadlines d where d.case_id = ${someCase} and (d.status = 'pending' or (d.kind = 'sla' and d.status = 'fired')) for update`, 'case_id'],
    ['pending deadlines of a case (merchant view, SLA clocks)', `select * from deadlines d where d.case_id = ${someCase} and d.status = 'pending'`, 'case_id'],
    ['the case row', `select * from cases c where c.id = ${someCase} for update`, 'id'],
    ['the case\'s SLA clocks', `select * from sla_clocks k where k.case_id = ${someCase}`, 'case_id'],
  ])('%s', async (_what, query, column) => {
    const plan = await planOf(query);
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan).toMatch(new RegExp(`Index Cond: \\(${column} = `));
  });
});
