import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Every list of the agent API answers a page at a time: `limit` rows (50 by default, at most 200)
 * and `nextCursor` (null on the last page). Walking the cursor visits every row once, in the
 * list's order; a limit over the maximum or a cursor the API did not write is a 400.
 */
describe('lists are paged with a maximum', () => {
  let t: TestApp;
  let merchantId: string;
  const ROWS = 55;

  const HOURS = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [String(day), day < 6 ? [{ start: '09:00', end: '18:00' }] : []]));

  beforeAll(async () => {
    t = await startTestApp();
    const admin = (path: string) => t.http.put(path).set('Authorization', t.auth);
    const post = (path: string) => t.http.post(path).set('Authorization', t.auth);
    // Agents straight into the table: hashing 55 passwords would only slow the test down.
    await t.sql(
      `insert into agents (id, email, display_name, role, password_hash, active)
       select gen_random_uuid(), 'paged-' || n || '@test.local', 'Paged ' || lpad(n::text, 3, '0'), 'agent', 'not-a-hash', n % 10 <> 0
         from generate_series(1, $1) n`,
      [ROWS],
    );
    for (let n = 0; n < ROWS; n++) {
      await admin(`/v1/sla/calendars/paged-${n}`)
        .send({ name: `Paged ${n}`, timeZone: 'Asia/Shanghai', weeklyHours: HOURS, holidays: [], makeUpWorkdays: [] })
        .expect(200);
      // Positions repeat, so the id decides between policies of the same position.
      await admin(`/v1/sla/policies/paged-${n}`)
        .send({
          name: `Paged ${n}`,
          position: 100 + (n % 7),
          match: { kinds: ['inquiry'], channels: ['weibo'] },
          calendarId: 'prc-default',
          targets: { resolution: { minutes: 600, mode: 'business' } },
          reminders: [],
          active: false,
        })
        .expect(200);
      await post('/v1/admin/merchants')
        .send({ id: `m_paged_${n}`, name: `Paged ${n}` })
        .expect(201);
      await post('/v1/macros')
        .send({ translations: { 'zh-CN': { title: `模板 ${n}`, body: '正文' }, en: { title: `Macro ${String(n).padStart(2, '0')}`, body: 'Body' } } })
        .expect(201);
    }
    merchantId = 'm_paged_0';
    for (let n = 0; n < ROWS; n++)
      await post(`/v1/admin/merchants/${merchantId}/api-keys`)
        .send({ kind: n % 2 ? 'secret' : 'restricted', name: `key ${n}` })
        .expect(201);
  }, 120_000);
  afterAll(() => t.close());

  type Row = Record<string, unknown> & { id: string };
  const get = (path: string) => t.http.get(path).set('Authorization', t.auth);

  const walk = async (path: string, limit: number): Promise<Row[]> => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: { data: Row[]; nextCursor: string | null } = (await get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200))
        .body;
      expect(page.data.length).toBeLessThanOrEqual(limit);
      if (page.nextCursor) expect(page.data).toHaveLength(limit);
      rows.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  };

  const expectPaged = async (path: string, expectedIds: string[]) => {
    expect(expectedIds.length).toBeGreaterThan(50);
    // The default page is 50 rows, with a cursor to the rest.
    const first = (await get(path).expect(200)).body;
    expect(first.data).toHaveLength(50);
    expect(typeof first.nextCursor).toBe('string');
    // Small pages walk every row once, in order; one page of the maximum holds them all.
    expect((await walk(path, 7)).map((row) => row.id)).toEqual(expectedIds);
    const all = (await get(`${path}${path.includes('?') ? '&' : '?'}limit=200`).expect(200)).body;
    expect(all.data.map((row: Row) => row.id)).toEqual(expectedIds);
    expect(all.nextCursor).toBeNull();
    // Over the maximum, or a cursor the API did not write: 400, a stable code, the field named.
    const separator = path.includes('?') ? '&' : '?';
    for (const [query, field] of [
      ['limit=201', 'limit'],
      ['limit=0', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, 'cursor'],
    ] as const) {
      const refused = await get(`${path}${separator}${query}`).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
  };

  it('GET /v1/agents: active agents by name; admins may include the deactivated ones', async () => {
    const active = await t.sql<{ id: string }>(`select id from agents where active order by display_name, id`);
    await expectPaged(
      '/v1/agents',
      active.map((row) => row.id),
    );
    const everyone = await t.sql<{ id: string }>(`select id from agents order by display_name, id`);
    await expectPaged(
      '/v1/agents?includeInactive=true',
      everyone.map((row) => row.id),
    );
    expect(everyone.length).toBeGreaterThan(active.length);
  });

  it('GET /v1/sla/policies: in match order, position then id', async () => {
    const policies = await t.sql<{ id: string }>(`select id from sla_policies order by position, id`);
    await expectPaged(
      '/v1/sla/policies',
      policies.map((row) => row.id),
    );
  });

  it('GET /v1/sla/calendars: by id', async () => {
    const calendars = await t.sql<{ id: string }>(`select id from business_calendars order by id`);
    await expectPaged(
      '/v1/sla/calendars',
      calendars.map((row) => row.id),
    );
  });

  it('GET /v1/admin/merchants and their API keys: newest first', async () => {
    const merchants = await t.sql<{ id: string }>(`select id from merchants order by created_at desc, id`);
    await expectPaged(
      '/v1/admin/merchants',
      merchants.map((row) => row.id),
    );
    const keys = await t.sql<{ id: string }>(`select id from merchant_api_keys where merchant_id = $1 order by created_at desc, id desc`, [merchantId]);
    await expectPaged(
      `/v1/admin/merchants/${merchantId}/api-keys`,
      keys.map((row) => row.id),
    );
  });

  it("GET /v1/macros: by title in the reader's language", async () => {
    const english = await t.login('paged-reader@test.local', 'agent');
    await t.http.patch(`/v1/agents/${english.id}`).set('Authorization', t.auth).send({ locale: 'en' }).expect(200);
    const macros = await t.sql<{ id: string; title: string }>(`select id, translations->'en'->>'title' as title from macros`);
    const byEnglishTitle = [...macros].sort((a, b) => a.title.localeCompare(b.title, 'en') || a.id.localeCompare(b.id)).map((row) => row.id);
    const page = (await t.http.get('/v1/macros?limit=200').set('Authorization', english.auth).expect(200)).body;
    expect(page.data.map((row: Row) => row.id)).toEqual(byEnglishTitle);
    // The admin reads in Chinese (the default): pinyin order of the Chinese titles, as a browser sorts them.
    const chinese = await t.sql<{ id: string; title: string }>(`select id, translations->'zh-CN'->>'title' as title from macros`);
    const byChineseTitle = [...chinese].sort((a, b) => a.title.localeCompare(b.title, 'zh-CN') || a.id.localeCompare(b.id)).map((row) => row.id);
    await expectPaged('/v1/macros', byChineseTitle);
  });

  it('a page read after rows were added neither repeats nor skips the rows that stayed', async () => {
    const first = (await get('/v1/sla/calendars?limit=10').expect(200)).body;
    await t.http
      .put(`/v1/sla/calendars/${first.data[0].id}-a-${randomUUID().slice(0, 8)}`)
      .set('Authorization', t.auth)
      .send({ name: 'Inserted', timeZone: 'Asia/Shanghai', weeklyHours: HOURS, holidays: [], makeUpWorkdays: [] })
      .expect(200);
    const second = (await get(`/v1/sla/calendars?limit=10&cursor=${first.nextCursor}`).expect(200)).body;
    const ids = (await t.sql<{ id: string }>(`select id from business_calendars where id > $1 order by id limit 10`, [first.data[9].id])).map((row) => row.id);
    expect(second.data.map((row: Row) => row.id)).toEqual(ids);
  });
});
