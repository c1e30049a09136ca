import { randomUUID } from 'node:crypto';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

const BOM = '\uFEFF';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Splits a CSV body (CRLF lines, no embedded line breaks in these tests) into cells. */
const csvRows = (text: string) =>
  text
    .replace(BOM, '')
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'))
        .slice(0, -1),
    );

/** Reports (issue 14): supervisors' aggregates over real cases, their CSV, and the case list's CSV export. */
describe('reports and CSV exports', () => {
  let t: TestApp;
  let supervisor: { auth: string; id: string };
  let agent: { auth: string; id: string };

  beforeAll(async () => {
    t = await startTestApp();
    supervisor = await t.login('sup@reports.test', 'supervisor');
    agent = await t.login('agent@reports.test', 'agent');
  });
  afterAll(() => t.close());

  const open = async (body: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(body).expect(201)).body;
  const report = (name: string, query: Record<string, string> = {}) => t.http.get(`/v1/reports/${name}`).query(query).set('Authorization', supervisor.auth);

  it('lets supervisors and admins read reports and agents only export the case list', async () => {
    for (const name of ['volume', 'response-times', 'sla-compliance', 'dispute-outcomes', 'refund-requests', 'ratings']) {
      expect((await t.http.get(`/v1/reports/${name}`).set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.http.get(`/v1/reports/${name}/csv`).set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await t.http.get(`/v1/reports/${name}`).expect(401)).body.code).toBe('UNAUTHENTICATED');
      await report(name).expect(200);
      await t.http.get(`/v1/reports/${name}`).set('Authorization', t.auth).expect(200);
    }
    expect((await t.http.get('/v1/cases/export').expect(401)).body.code).toBe('UNAUTHENTICATED');
    const exported = await t.http.get('/v1/cases/export').set('Authorization', agent.auth).expect(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('refuses a bad date range and unknown filter values with 4xx codes naming the field', async () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ from: '2026-11-10', to: '2026-11-01' }, 'to'],
      [{ from: '2026-02-30' }, 'from'],
      [{ from: '2025-01-01', to: '2026-06-01' }, 'from'],
      [{ kind: 'chargeback' }, 'kind'],
      [{ channel: 'fax' }, 'channel'],
      [{ interval: 'hour' }, 'interval'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ policyId: 'no-such-policy' }, 'policyId'],
      [{ agentId: randomUUID() }, 'agentId'],
      [{ agentId: 'not-an-id' }, 'agentId'],
      [{ merchantId: 'm_nobody' }, 'merchantId'],
    ];
    for (const [query, field] of bad) {
      for (const path of ['/v1/reports/volume', '/v1/reports/volume/csv']) {
        const { body } = await t.http.get(path).query(query).set('Authorization', supervisor.auth).expect(400);
        expect(body.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(body)).toContain(field);
      }
    }
    expect((await report('chargebacks').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await t.http.get('/v1/cases/export').query({ kind: 'chargeback' }).set('Authorization', agent.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/v1/cases/export').query({ assigneeId: 'someone' }).set('Authorization', agent.auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    // Known values are fine, even when nothing matches them.
    await report('volume', { policyId: 'standard', agentId: agent.id, merchantId: 'm_1', kind: 'inquiry', channel: 'app' }).expect(200);
  });

  it('counts cases opened and closed per day, by filter, with the quiet days as zero', async () => {
    const a = await open(disputeBody({ channel: 'wechat' }));
    await open(disputeBody({ channel: 'wechat' }));
    await open(disputeBody({ channel: 'email' }));
    await t.sql(`update cases set created_at = now() - interval '3 days' where id = $1`, [a.id]);
    await t.sql(`update cases set status = 'done', state = 'withdrawn', updated_at = now() where id = $1`, [a.id]);
    const day = today();
    const from = new Date(Date.parse(`${day}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const { body } = await report('volume', { from, to: day, channel: 'wechat' }).expect(200);
    expect(body.filters).toMatchObject({ from, to: day, timeZone: 'Asia/Shanghai', interval: 'day', channel: 'wechat' });
    expect(body.periods).toHaveLength(7);
    expect(body.totals).toEqual({ opened: 2, closed: 1 });
    expect(body.periods.at(-1)).toEqual({ period: day, opened: 1, closed: 1 });
    expect(body.periods.filter((p: { opened: number }) => p.opened === 0)).toHaveLength(5);

    const csv = await t.http.get('/v1/reports/volume/csv').query({ from, to: day, channel: 'wechat' }).set('Authorization', supervisor.auth).expect(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="volume-${from}-${day}.csv"`);
    expect(csv.text.startsWith(BOM)).toBe(true);
    expect(csvRows(csv.text)[0]).toEqual(['period', 'opened', 'closed']);
    expect(csvRows(csv.text).at(-1)).toEqual([day, '1', '1']);
  });

  it('reports dispute outcomes per merchant and reason with refunded amounts, and refund requests approved and rejected', async () => {
    const merchant = await t.createMerchant('m_reports');
    const won = await open(disputeBody({ merchantId: merchant.id, reason: 'not_as_described' }));
    const lost = await open(disputeBody({ merchantId: merchant.id, reason: 'not_as_described' }));
    const withdrawn = await open(disputeBody({ merchantId: merchant.id, reason: 'duplicate' }));
    const decide = (id: string, outcome: string) =>
      t.sql(`update cases set status = 'done', state = 'closed', snapshot = jsonb_set(snapshot, '{context,decisions}', $2::jsonb) where id = $1`, [
        id,
        JSON.stringify([{ outcome, amountMinor: outcome === 'rejected' ? 0 : 4000 }]),
      ]);
    await decide(won.id, 'rejected');
    await decide(lost.id, 'partial_refund');
    await t.sql(`update cases set status = 'done', state = 'withdrawn' where id = $1`, [withdrawn.id]);
    // The refund the decision paid, as the wallet reported it (its outbox row long done).
    const outboxId = randomUUID();
    await t.sql(`insert into outbox (id, case_id, type, payload, status) values ($1, $2, 'refund', '{}', 'done')`, [outboxId, lost.id]);
    await t.sql(`insert into refunds (id, case_id, outbox_id, attempt, amount_minor, currency, status) values ($1, $2, $3, 1, 4000, 'CNY', 'succeeded')`, [
      randomUUID(),
      lost.id,
      outboxId,
    ]);

    const { body } = await report('dispute-outcomes', { merchantId: merchant.id }).expect(200);
    expect(body.rows).toEqual([
      { merchantId: merchant.id, reason: 'duplicate_charge', won: 0, lost: 0, withdrawn: 1, refunded: [] },
      { merchantId: merchant.id, reason: 'not_as_described', won: 1, lost: 1, withdrawn: 0, refunded: [{ currency: 'CNY', amountMinor: 4000 }] },
    ]);
    expect(body.totals).toEqual({ won: 1, lost: 1, withdrawn: 1, refunded: [{ currency: 'CNY', amountMinor: 4000 }] });

    const request = (n: number) => ({ ...disputeBody({ kind: 'refund_request', reason: undefined, purchasedAt: new Date().toISOString() }), subject: `Refund ${n}` });
    const approved = await open(request(1));
    const rejected = await open(request(2));
    await open(request(3));
    const decideRequest = (id: string, outcome: string) =>
      t.sql(`update cases set state = 'decided', snapshot = jsonb_set(snapshot, '{context,decision}', $2::jsonb) where id = $1`, [id, JSON.stringify({ outcome })]);
    await decideRequest(approved.id, 'full_refund');
    await decideRequest(rejected.id, 'rejected');
    const requests = (await report('refund-requests', { kind: 'refund_request' }).expect(200)).body;
    expect(requests.totals).toEqual({ approved: 1, rejected: 1, withdrawn: 0, refunded: [] });
    expect(requests.periods.at(-1)).toEqual({ period: today(), approved: 1, rejected: 1, withdrawn: 0 });
  });

  it('measures first response from the SLA clocks (median and p90) and SLA compliance per policy, agent and week', async () => {
    const kase = await open(disputeBody({ channel: 'app', subject: 'Clocked' }));
    await t.http.post(`/v1/cases/${kase.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200);
    const current = (await t.http.get(`/v1/cases/${kase.id}`).set('Authorization', t.auth).expect(200)).body;
    // The first thing an agent does to the case through its machine stops the first-response clock.
    await t.http.post(`/v1/cases/${kase.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: current.version }).expect(200);
    const [clock] = await t.sql<{ status: string; finished_minutes: number; finished_at: Date | null; policy_id: string }>(
      `select status, finished_minutes, finished_at, policy_id from sla_clocks where case_id = $1 and target = 'firstResponse'`,
      [kase.id],
    );
    expect(clock).toMatchObject({ status: 'met', finished_at: expect.any(Date) });
    expect(clock!.finished_minutes).toBeGreaterThanOrEqual(0);

    // Three more answered first responses with known durations, one of them breached.
    for (const [minutes, status] of [
      [30, 'met'],
      [60, 'met'],
      [600, 'breached'],
    ] as const) {
      const other = await open(disputeBody({ channel: 'app', subject: `Clocked ${minutes}` }));
      await t.http.post(`/v1/cases/${other.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200);
      await t.sql(`update sla_clocks set status = $2, finished_minutes = $3, finished_at = now() where case_id = $1 and target = 'firstResponse'`, [other.id, status, minutes]);
    }
    const times = (await report('response-times', { channel: 'app', agentId: agent.id }).expect(200)).body;
    const first = times.targets.find((target: { target: string }) => target.target === 'firstResponse');
    expect(first.count).toBe(4);
    // Sorted minutes (to the minute): 0 (a few seconds), 30, 60, 600: the median is the 2nd of 4, the 90th percentile the 4th.
    expect(first.medianMinutes).toBe(30);
    expect(first.p90Minutes).toBe(600);
    expect(times.periods).toContainEqual(expect.objectContaining({ period: today(), target: 'firstResponse', count: 4 }));

    const sla = (await report('sla-compliance', { channel: 'app', agentId: agent.id }).expect(200)).body;
    expect(sla.totals).toEqual({ met: 3, breached: 1, rate: 0.75 });
    expect(sla.byPolicy).toEqual([{ policyId: clock!.policy_id, name: expect.any(String), met: 3, breached: 1, rate: 0.75 }]);
    expect(sla.byAgent).toEqual([{ agentId: agent.id, displayName: 'agent', met: 3, breached: 1, rate: 0.75 }]);
    expect(sla.byWeek).toHaveLength(1);
    const csv = csvRows((await t.http.get('/v1/reports/sla-compliance/csv').query({ channel: 'app', agentId: agent.id }).set('Authorization', supervisor.auth).expect(200)).text);
    expect(csv[0]).toEqual(['dimension', 'key', 'name', 'met', 'breached', 'compliance_percent']);
    expect(csv[1]).toEqual(['all', '', '', '3', '1', '75']);
  });

  it('reports the customer ratings the customer API recorded', async () => {
    const rated = await open(disputeBody({ channel: 'chat' }));
    const alsoRated = await open(disputeBody({ channel: 'chat' }));
    await t.sql(`insert into case_ratings (case_id, customer_id, score) values ($1, 'u_1', 5), ($2, 'u_1', 2)`, [rated.id, alsoRated.id]);
    const { body } = await report('ratings', { channel: 'chat' }).expect(200);
    expect(body.totals).toEqual({ count: 2, average: 3.5 });
    expect(body.distribution).toEqual([
      { score: 1, count: 0 },
      { score: 2, count: 1 },
      { score: 3, count: 0 },
      { score: 4, count: 0 },
      { score: 5, count: 1 },
    ]);
  });

  it('exports the case list with its filters as CSV across batches: UTF-8 BOM, Chinese text intact, formulas guarded', async () => {
    const seed = await open(disputeBody({ channel: 'weibo', subject: '=HYPERLINK("http://evil.example","点我")', customer: { id: 'u_export', name: '王小明' } }));
    // More rows than one batch (2000), copied from the case with SQL: the export must page through all of them.
    await t.sql(
      `insert into cases (id, kind, machine_version, state, status, snapshot, machine_input, version, priority, channel, subject, customer_id, customer_name, created_at, updated_at)
       select gen_random_uuid(), kind, machine_version, state, status, snapshot, machine_input, 1, priority, channel, '退款 #' || g, customer_id, customer_name,
              created_at - g * interval '1 millisecond', updated_at
         from cases, generate_series(1, 2100) g where id = $1`,
      [seed.id],
    );
    const response = await t.http
      .get('/v1/cases/export')
      .query({ channel: 'weibo' })
      .set('Authorization', agent.auth)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const bytes = response.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = csvRows(bytes.toString('utf8'));
    expect(rows[0]!.slice(0, 7)).toEqual(['id', 'kind', 'state', 'status', 'priority', 'channel', 'subject']);
    expect(rows).toHaveLength(1 + 2101);
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(2101);
    expect(rows[1]).toEqual(expect.arrayContaining([seed.id, 'weibo', `'=HYPERLINK("http://evil.example","点我")`, 'u_export', '王小明']));
    expect(rows[2]![6]).toBe('退款 #1');
    expect(rows.at(-1)![6]).toBe('退款 #2100');
  });
});
