import { DeadlockException, MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity, DeadlineEntity, SlaClockEntity, sqlSessionOf, SqlTransactions } from '@app/db';
import { INSERTED_COLUMNS, writeCaseChanges } from '../../libs/cases/src/case-writes';
import { lockCaseWithLiveDeadlines } from '../../libs/cases/src/lock-case';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * A command reads its case and writes what it changed with its own SQL (lock-case.ts,
 * case-writes.ts), not through MikroORM. These hold that SQL to the entities and the schema, so a
 * column added later cannot be silently dropped by the command path.
 */
describe('the command path reads and writes rows as the entities and the schema define them', () => {
  let t: TestApp;
  let em: EntityManager;

  beforeAll(async () => {
    t = await startTestApp();
    em = t.app.get(MikroORM).em as EntityManager;
  });
  afterAll(() => t.close());

  it('lockCaseWithLiveDeadlines maps the case and its live deadlines exactly as MikroORM does, every property', async () => {
    const merchant = await t.createMerchant();
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/assign`).set('Authorization', t.auth).send({ assigneeId: t.adminId }).expect(200);
    const { body: forwarded } = await t.http.get(`/v1/cases/${body.id}`).set('Authorization', t.auth).expect(200);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: forwarded.version }).expect(200);
    // Every nullable column of the case holds a value, so a column the mapping missed shows up.
    // A test clock is only allowed on a test-mode case, so the case turns test mode for this read.
    const [clock] = await t.sql<{ id: string }>(
      `insert into test_clocks (id, merchant_id, frozen_time, created_at, updated_at) values (gen_random_uuid(), $1, now(), now(), now()) returning id`,
      [merchant.id],
    );
    await t.sql(
      `update cases set escalated_at = now() - interval '1 hour', description = 'Parcel lost', customer_name = '王小明', livemode = false, test_clock_id = $2 where id = $1`,
      [body.id, clock.id],
    );

    const locked = await em.fork().transactional((tx) => lockCaseWithLiveDeadlines(sqlSessionOf(tx), body.id));
    // The command path itself reads on a pooled connection (SqlTransactions): same type parsers, same objects.
    // (The assignee is a stand-in holding only the id; its other fields are defaults of the moment.)
    const comparable = (read: Awaited<ReturnType<typeof lockCaseWithLiveDeadlines>>) => ({ ...read, entity: { ...read!.entity, assignee: read!.entity.assignee?.id } });
    const onPool = await t.app.get(SqlTransactions).run((sql) => lockCaseWithLiveDeadlines(sql, body.id));
    expect(comparable(onPool)).toEqual(comparable(locked));
    const fromOrm = await em.fork().findOneOrFail(CaseEntity, { id: body.id });
    const liveFromOrm = await em.fork().find(DeadlineEntity, { caseId: body.id, $or: [{ status: 'pending' }, { kind: 'sla', status: 'fired' }] }, { orderBy: { id: 'asc' } });

    const caseProps = em.getMetadata().get(CaseEntity.name).props;
    expect(caseProps.length).toBeGreaterThan(20);
    for (const prop of caseProps) {
      const mapped = (locked!.entity as unknown as Record<string, unknown>)[prop.name];
      const expected = (fromOrm as unknown as Record<string, unknown>)[prop.name];
      if (prop.name === 'assignee') expect({ prop: prop.name, id: (mapped as CaseEntity['assignee'])?.id }).toEqual({ prop: prop.name, id: t.adminId });
      else expect({ prop: prop.name, value: mapped }).toEqual({ prop: prop.name, value: expected });
      if (prop.nullable && prop.name !== 'assignee') expect({ prop: prop.name, set: expected !== null }).toEqual({ prop: prop.name, set: true });
    }

    // The merchant window, and the SLA alarms of the clocks that run.
    expect(liveFromOrm.length).toBeGreaterThan(0);
    const live = [...locked!.live].sort((a, b) => a.id.localeCompare(b.id));
    expect(live.map((row) => row.id)).toEqual(liveFromOrm.map((row) => row.id));
    for (const prop of em.getMetadata().get(DeadlineEntity.name).props) {
      expect({ prop: prop.name, values: live.map((row) => (row as unknown as Record<string, unknown>)[prop.name]) }).toEqual({
        prop: prop.name,
        values: liveFromOrm.map((row) => (row as unknown as Record<string, unknown>)[prop.name]),
      });
    }

    // The SLA clocks, read in the same round trip after the case lock, by target as MikroORM reads them.
    const clocksFromOrm = await em.fork().find(SlaClockEntity, { caseId: body.id }, { orderBy: { target: 'asc' } });
    expect(clocksFromOrm.length).toBeGreaterThan(0);
    expect(locked!.clocks.map((clock) => clock.id)).toEqual(clocksFromOrm.map((clock) => clock.id));
    for (const prop of em.getMetadata().get(SlaClockEntity.name).props) {
      expect({ prop: prop.name, values: locked!.clocks.map((clock) => (clock as unknown as Record<string, unknown>)[prop.name]) }).toEqual({
        prop: prop.name,
        values: clocksFromOrm.map((clock) => (clock as unknown as Record<string, unknown>)[prop.name]),
      });
    }
  });

  it('reads the clocks of the locked case only, and none for a case without an SLA policy', async () => {
    const open = async () => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id as string;
    const [withClocks, without] = [await open(), await open()];
    await t.sql(`delete from sla_clocks where case_id = $1`, [without]);
    await t.sql(`update cases set sla_policy_id = null where id = $1`, [without]);
    const lock = (caseId: string) => t.app.get(SqlTransactions).run((sql) => lockCaseWithLiveDeadlines(sql, caseId));
    const clocksOf = async (caseId: string) => (await t.sql<{ id: string }>(`select id from sla_clocks where case_id = $1 order by target`, [caseId])).map((row) => row.id);
    expect((await clocksOf(withClocks)).length).toBeGreaterThan(0);
    expect((await lock(withClocks))!.clocks.map((clock) => clock.id)).toEqual(await clocksOf(withClocks));
    expect((await lock(without))!.clocks).toEqual([]);
  });

  it('a write whose case row no longer has the version read fails as a whole before its commit (which goes with it)', async () => {
    const { body } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const count = async () => (await t.sql<{ n: number }>(`select count(*)::int as n from case_events where case_id = $1`, [body.id]))[0]!.n;
    const eventsBefore = await count();
    const failed = await t.app
      .get(SqlTransactions)
      .run(async (sql) => {
        const locked = (await lockCaseWithLiveDeadlines(sql, body.id))!;
        // As if something had moved the case past the lock: the write's `where version = ?` matches no row.
        const entity = Object.assign(Object.create(Object.getPrototypeOf(locked.entity)), locked.entity, { version: locked.entity.version - 1, priority: 'urgent' });
        const note = {
          caseId: body.id,
          category: 'annotation',
          type: 'test.note',
          actorKind: 'system',
          actorId: 'test',
          fromState: entity.state,
          toState: entity.state,
          caseVersion: entity.version + 1,
          payload: {},
          createdAt: new Date(),
        };
        await writeCaseChanges(sql, { entity, live: locked.live, loaded: locked.loaded, newRows: { events: [note as never], deadlines: [], outbox: [] }, now: new Date() });
      })
      .catch((error: unknown) => error);
    // SQLSTATE 40001 from written_case_version: what a command answers as VERSION_CONFLICT.
    expect(failed).toBeInstanceOf(DeadlockException);
    expect(String(failed)).toMatch(/was not written: its row no longer has the version its lock read/);
    // The statement's other part (the timeline row) did not commit with it, and the case is as it was.
    expect(await count()).toBe(eventsBefore);
    expect(await t.sql(`select version, priority from cases where id = $1`, [body.id])).toEqual([{ version: body.version, priority: body.priority }]);
  });

  it('inserts every column of the outbox, timeline and deadline tables (the timeline id is generated)', async () => {
    const columnsOf = async (table: string) =>
      (await t.sql<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = 'public' and table_name = $1`, [table]))
        .map((row) => row.column_name)
        .sort();
    expect([...INSERTED_COLUMNS.outbox].sort()).toEqual(await columnsOf('outbox'));
    // id is the sequence's; prev_hash and hash are the log chain's trigger's (Migration…CaseLogChain).
    expect([...INSERTED_COLUMNS.case_events].sort()).toEqual((await columnsOf('case_events')).filter((column) => !['id', 'prev_hash', 'hash'].includes(column)));
    expect([...INSERTED_COLUMNS.deadlines].sort()).toEqual(await columnsOf('deadlines'));
  });
});
