import { DeadlockException, ForeignKeyConstraintViolationException, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL } from '@app/cases';
import { sqlSessionOf, SqlTransactions, toNumberedPlaceholders } from '@app/db';
import { CASE_CLOCKS_SQL, SlaTracker } from '@app/sla';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * The command path's transactions run on a connection taken straight from MikroORM's pool
 * (SqlTransactions), not through `em.transactional`. These hold what the command path relies on:
 * all or nothing, the connection back in the pool whatever happened (a pool of ONE connection, so
 * a connection kept or handed out broken fails the next run), PostgreSQL's errors as MikroORM's
 * exceptions (a deadlock must still come out as a version conflict), `?` placeholders as MikroORM
 * reads them.
 */
describe('SqlTransactions: the command path’s transactions on a pooled connection', () => {
  let t: TestApp;
  let transactions: SqlTransactions;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_MAX: '1' });
    transactions = t.app.get(SqlTransactions);
    await t.sql('create table scratch (id int primary key, label text)');
  });
  afterAll(() => t.close());

  /** Until the pooled connection is in the middle of readAtOneSnapshot's sleeping statement. */
  const waitForSleepingRead = async () => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const sleeping = await t.sql(
        `select 1 from pg_stat_activity where datname = current_database() and query like '%pg_sleep(1)%' and pid <> pg_backend_pid() and state = 'active'`,
      );
      if (sleeping.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the read never reached its sleeping statement');
  };
  const labels = async () => (await t.sql<{ id: number }>('select id from scratch order by id')).map((row) => row.id);

  it('commits what the work wrote and answers with what it returned', async () => {
    const answer = await transactions.run(async (sql) => {
      await sql.all('insert into scratch (id, label) values (?, ?), (?, ?)', [1, 'one', 2, 'two']);
      return sql.all<{ label: string }>('select label from scratch where id = ?', [2]);
    });
    expect(answer).toEqual([{ label: 'two' }]);
    expect(await labels()).toEqual([1, 2]);
  });

  it('rolls everything back when the work throws, and hands the error on unchanged', async () => {
    const ours = Object.assign(new Error('refused'), { code: 'VERSION_CONFLICT' });
    const thrown = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [3, 'three']);
        throw ours;
      })
      .catch((error: unknown) => error);
    expect(thrown).toBe(ours);
    expect(await labels()).toEqual([1, 2]);
    // And the pool's one connection came back outside any transaction (not left open with the insert).
    expect(await transactions.read((sql) => sql.all('select now() = statement_timestamp() as fresh'))).toEqual([{ fresh: true }]);
  });

  it('turns PostgreSQL errors into MikroORM exceptions, and the statement before them is rolled back', async () => {
    const duplicate = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [4, 'four']);
        await sql.all('insert into scratch (id, label) values (?, ?)', [1, 'again']);
      })
      .catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(UniqueConstraintViolationException);
    expect((duplicate as { code?: string }).code).toBe('23505');
    expect(await labels()).toEqual([1, 2]);

    // A deadlock and a serialization failure are what rethrowLockConflict answers with VERSION_CONFLICT.
    for (const sqlState of ['40P01', '40001']) {
      const conflict = await transactions
        .run((sql) => sql.all(`do $$ begin raise exception 'lost the race' using errcode = '${sqlState}'; end $$`))
        .catch((error: unknown) => error);
      expect({ sqlState, converted: conflict instanceof DeadlockException }).toEqual({ sqlState, converted: true });
    }
  });

  it('does not hand out again a connection that broke inside a transaction', async () => {
    const broken = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [5, 'five']);
        await sql.all('select pg_terminate_backend(pg_backend_pid())');
      })
      .catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(Error);
    // The pool has one connection: this works only if the dead one was dropped and a new one made.
    expect(await transactions.run((sql) => sql.all<{ one: number }>('select 1 as one'))).toEqual([{ one: 1 }]);
    expect(await labels()).toEqual([1, 2]);
  });

  it('sends a batch (with the transaction’s begin) in one go, inside the transaction, with each statement’s rows', async () => {
    const rows = await transactions.run(async (sql) => {
      const batch = await sql.batch([
        { sql: 'insert into scratch (id, label) values (?, ?) returning id', params: [6, 'six'] },
        { sql: 'select label from scratch where id in (?, ?) order by id', params: [1, 6], prepared: true },
      ]);
      // Still the same transaction: the statement after the batch sees its insert, and a throw undoes it.
      expect(await sql.all('select id from scratch where id = ?', [6])).toEqual([{ id: 6 }]);
      return batch;
    });
    expect(rows).toEqual([[{ id: 6 }], [{ label: 'one' }, { label: 'six' }]]);

    const failed = await transactions
      .run((sql) =>
        sql.batch([
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [7, 'seven'] },
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [1, 'again'] },
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [14, 'never'] },
        ]),
      )
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UniqueConstraintViolationException);
    expect(await labels()).toEqual([1, 2, 6]);

    // Outside a transaction (a read session): one round trip too, no begin.
    expect(
      await transactions.read((sql) =>
        sql.batch([
          { sql: 'select ?::int as one', params: [1] },
          { sql: 'select count(*)::int as n from scratch', params: [] },
        ]),
      ),
    ).toEqual([[{ one: 1 }], [{ n: 3 }]]);

    // The same through an entity manager's transaction (statements one by one).
    const em = (t.app.get(MikroORM).em as EntityManager).fork();
    const viaEm = await em.transactional((tx) =>
      sqlSessionOf(tx).batch([
        { sql: 'select 1 as one', params: [] },
        { sql: 'select label from scratch where id = ?', params: [2], prepared: true },
      ]),
    );
    expect(viaEm).toEqual([[{ one: 1 }], [{ label: 'two' }]]);
  });

  it('a transaction that sends nothing commits nothing and leaves the connection usable', async () => {
    expect(await transactions.run(async () => 'nothing')).toBe('nothing');
    expect(await transactions.run((sql) => sql.all<{ n: number }>('select count(*)::int as n from scratch'))).toEqual([{ n: 3 }]);
  });

  it('reads ? by MikroORM’s rules (\\? is a literal one) and refuses a statement whose placeholders and parameters differ', async () => {
    const [row] = await transactions.run((sql) =>
      sql.all<{ sum: number; literal: string; quoted: string }>(`select ?::int + ?::int as sum, '\\?' as literal, ? as quoted`, [2, 3, 'x']),
    );
    expect(row).toEqual({ sum: 5, literal: '?', quoted: 'x' });
    const mismatch = await transactions.run((sql) => sql.all(`select ? as a -- what's this ?`, [1])).catch((error: unknown) => error);
    expect(String(mismatch)).toMatch(/2 placeholders and 1 parameters/);
  });

  it('sends the last statements with the commit: their rows back, committed before the work returns, no statement after them', async () => {
    const committedMeanwhile: number[][] = [];
    const after = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [8, 'eight']);
        const rows = await sql.last([
          { sql: 'insert into scratch (id, label) values (?, ?) returning id', params: [9, 'nine'] },
          // The second sees what the first wrote (same transaction, before the commit).
          { sql: 'select count(*)::int as n, ?::text as asked from scratch where id >= ?', params: ['x', 8] },
        ]);
        expect(rows).toEqual([[{ id: 9 }], [{ n: 2, asked: 'x' }]]);
        // Committed already, by the last statements' own round trip: another connection sees both rows
        // while the work has not returned yet (SqlTransactions.run has not sent anything else).
        committedMeanwhile.push(await labels());
        return sql.all('select 1');
      })
      .catch((error: unknown) => error);
    expect(committedMeanwhile).toEqual([[1, 2, 6, 8, 9]]);
    expect(String(after)).toMatch(/after the transaction's last one/);
    // The pool's one connection is back, outside any transaction, and usable.
    expect(await transactions.read((sql) => sql.all('select now() = statement_timestamp() as fresh'))).toEqual([{ fresh: true }]);
    // A last statement without parameters (pg would send it as a simple query; it goes the same way), and values pg formats (a date, JSON).
    const at = new Date('2026-12-05T10:00:00.000Z');
    expect(
      await transactions.run((sql) =>
        sql.last([
          { sql: `select count(*)::int as n from scratch`, params: [] },
          { sql: `select ?::timestamptz = '2026-12-05T10:00:00Z' as same, ?::jsonb ->> 'a' as a`, params: [at, JSON.stringify({ a: 'b' })] },
        ]),
      ),
    ).toEqual([[{ n: 5 }], [{ same: true, a: 'b' }]]);
    await t.sql('delete from scratch where id in (8, 9)');
  });

  it('last statements of which one fails commit nothing (nor run the ones after it), and the connection goes back usable', async () => {
    const failed = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [10, 'ten']);
        await sql.last([
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [1, 'again'] },
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [13, 'thirteen'] },
        ]);
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UniqueConstraintViolationException);
    expect(await labels()).toEqual([1, 2, 6]);
    expect(await transactions.run((sql) => sql.last([{ sql: 'select ?::int as one', params: [1] }]))).toEqual([[{ one: 1 }]]);
    // A value pg cannot send fails before anything is written, and the connection is left usable.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const unsendable = await transactions.run((sql) => sql.last([{ sql: 'select ?::jsonb as v', params: [circular] }])).catch((error: unknown) => error);
    expect(unsendable).toBeInstanceOf(Error);
    expect(await transactions.run((sql) => sql.all('select 2 as two'))).toEqual([{ two: 2 }]);
  });

  it('a commit that fails (a deferred constraint) fails the last statements, and nothing of the transaction stays', async () => {
    await t.sql('create table scratch_child (id int primary key, parent_id int not null references scratch (id) deferrable initially deferred)');
    const insertChild = (id: number, parentId: number) => ({ sql: 'insert into scratch_child (id, parent_id) values (?, ?) returning id', params: [id, parentId] });
    const failed = await transactions
      .run(async (sql) => {
        await sql.all('insert into scratch (id, label) values (?, ?)', [11, 'eleven']);
        // Checked only at the commit, which goes with this statement.
        return sql.last([insertChild(1, 404)]);
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ForeignKeyConstraintViolationException);
    expect(await labels()).toEqual([1, 2, 6]);
    expect(await t.sql('select id from scratch_child')).toEqual([]);
    expect(await transactions.run((sql) => sql.last([insertChild(2, 6)]))).toEqual([[{ id: 2 }]]);
    expect(await t.sql('select id from scratch_child')).toEqual([{ id: 2 }]);
  });

  it('in a transaction someone else commits (an entity manager’s), the last statements commit nothing themselves', async () => {
    const em = (t.app.get(MikroORM).em as EntityManager).fork();
    const refused = Object.assign(new Error('refused after the write'), { code: 'TEST' });
    const thrown = await em
      .transactional(async (tx) => {
        const sql = sqlSessionOf(tx);
        const rows = await sql.last([
          { sql: 'insert into scratch (id, label) values (?, ?)', params: [12, 'twelve'] },
          { sql: 'select label from scratch where id = ?', params: [12] },
        ]);
        expect(rows).toEqual([[], [{ label: 'twelve' }]]);
        // Nothing may follow them here either, as on the pooled path (where the commit went with them).
        await expect(sql.all('select 1')).rejects.toThrow(/after the transaction's last one/);
        throw refused;
      })
      .catch((error: unknown) => error);
    expect(thrown).toBe(refused);
    expect(await labels()).toEqual([1, 2, 6]);
  });

  it('reads at one snapshot in one round trip: each statement’s rows, a commit landing between them unseen, no write', async () => {
    const count = `select count(*)::int as n from scratch`;
    // The middle statement sleeps long enough for the test to see it sleeping and commit a row meanwhile.
    const reading = transactions.readAtOneSnapshot([
      { sql: count, params: [] },
      { sql: `select pg_sleep(1)`, params: [] },
      { sql: count, params: [] },
    ]);
    await waitForSleepingRead();
    await t.sql(`insert into scratch (id, label) values (99, 'meanwhile')`);
    const [before, , after] = await reading;
    // Under READ COMMITTED the third statement would count the row committed while the second ran.
    expect(after).toEqual(before);
    expect((await t.sql<{ n: number }>(count))[0]!.n).toBe((before as Array<{ n: number }>)[0]!.n + 1);
    await expect(transactions.readAtOneSnapshot([{ sql: `insert into scratch (id, label) values (98, 'no')`, params: [] }])).rejects.toThrow(/read-only transaction/);
    expect((await t.sql(`select 1 from scratch where id = 98`)).length).toBe(0);
    await t.sql('delete from scratch where id = 99');
  });

  describe('statements kept prepared', () => {
    // The pool has one connection, so these read what that very connection keeps.
    const kept = (text: string) =>
      transactions.read((sql) =>
        sql.all<{ name: string; plans: number }>(`select name, (generic_plans + custom_plans)::int as plans from pg_prepared_statements where statement = ?`, [
          toNumberedPlaceholders(text).text,
        ]),
      );
    const keptCount = async () =>
      (await transactions.read((sql) => sql.all<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'app\\_%'`)))[0]!.n;
    const byLabel = 'select label from scratch where id = ? -- kept';
    /** The backend of the pool's one connection: it changes when the connection is dropped. */
    const backendPid = async () => (await transactions.read((sql) => sql.all<{ pid: number }>('select pg_backend_pid() as pid')))[0]!.pid;

    it('are kept from their fourth call on the connection on, under a name, then only bound and run, in batches and last statements alike', async () => {
      const labelOf = { 1: 'one', 2: 'two', 6: 'six' } as const;
      for (const [call, id] of ([1, 2, 6, 1, 2, 6] as const).entries()) {
        const send = call % 2 ? 'last' : 'batch';
        const [[row]] = await transactions.run((sql) => sql[send]([{ sql: byLabel, params: [id], prepared: true }]));
        expect(row).toEqual({ label: labelOf[id] });
        // Sent unnamed (planned at each call) the first three times.
        if (call === 2) expect(await kept(byLabel)).toEqual([]);
      }
      const [statement] = await kept(byLabel);
      // Named by the text's hash: the same name means the same statement in every process.
      expect(statement!.name).toMatch(/^app_[0-9a-f]{32}$/);
      // Parsed once under its name, and PostgreSQL's own count of its calls is the three since.
      expect(await kept(byLabel)).toEqual([{ name: statement!.name, plans: 3 }]);
    });

    it('are parsed in the round trip that first binds them, and parsed again after that round trip failed', async () => {
      const byId = 'select id from scratch where id = ? -- parsed in the round trip';
      for (let call = 0; call < 3; call += 1) await transactions.run((sql) => sql.batch([{ sql: byId, params: [1], prepared: true }]));
      // The fourth call parses it under its name, then an insert after it fails: the round trip fails,
      // though PostgreSQL has parsed the name. The connection is kept (a duplicate is no sign of anything stale).
      const pid = await backendPid();
      const failed = await transactions
        .run((sql) =>
          sql.batch([
            { sql: byId, params: [1], prepared: true },
            { sql: 'insert into scratch (id, label) values (?, ?)', params: [1, 'again'] },
          ]),
        )
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(UniqueConstraintViolationException);
      expect(await kept(byId)).toHaveLength(1);
      expect(await backendPid()).toBe(pid);
      // Not counted as kept, so parsed again, after a Close of its name (without it: "already exists").
      expect(await transactions.run((sql) => sql.batch([{ sql: byId, params: [6], prepared: true }]))).toEqual([[{ id: 6 }]]);
      expect(await transactions.run((sql) => sql.batch([{ sql: byId, params: [2], prepared: true }]))).toEqual([[{ id: 2 }]]);
      // Bound by name since (one Parse recorded by PostgreSQL's count: the two calls after the failed one).
      expect((await kept(byId))[0]!.plans).toBe(2);
      expect(await labels()).toEqual([1, 2, 6]);

      // One parsed in a round trip that failed and never sent again is closed with the next round trip: PostgreSQL does not keep it unrecorded.
      const once = 'select id from scratch where id = ? -- once';
      for (let call = 0; call < 3; call += 1) await transactions.run((sql) => sql.batch([{ sql: once, params: [1], prepared: true }]));
      await transactions
        .run((sql) =>
          sql.batch([
            { sql: once, params: [1], prepared: true },
            { sql: 'insert into scratch (id, label) values (?, ?)', params: [1, 'again'] },
          ]),
        )
        .catch(() => undefined);
      expect(await kept(once)).toHaveLength(1);
      await transactions.run((sql) => sql.batch([{ sql: byId, params: [1], prepared: true }]));
      expect(await kept(once)).toEqual([]);

      // A statement that does not parse, on the call it would be kept: an error in the SQL, not a
      // sign that what the connection keeps is stale, so the connection stays.
      const misspelt = 'select labe from scratch where id = ? -- misspelt';
      for (let call = 0; call < 5; call += 1) {
        const refused = await transactions.run((sql) => sql.batch([{ sql: misspelt, params: [1], prepared: true }])).catch((error: unknown) => error);
        expect({ call, code: (refused as { code?: string }).code }).toEqual({ call, code: '42703' });
      }
      expect(await kept(misspelt)).toEqual([]);
      expect(await backendPid()).toBe(pid);
    });

    it('that a migration changed, or that are gone, drop the connection, and the command that found out runs again on a new one', async () => {
      const everything = 'select * from scratch where id = ? -- the columns of the day';
      const refusals: unknown[] = [];
      let attempts = 0;
      const read = (id: number) =>
        transactions.run(async (sql) => {
          attempts += 1;
          try {
            return await sql.batch([{ sql: everything, params: [id], prepared: true }]);
          } catch (error) {
            refusals.push(error);
            throw error;
          }
        });
      for (let call = 0; call < 4; call += 1) expect(await read(2)).toEqual([[{ id: 2, label: 'two' }]]);
      expect(await kept(everything)).toHaveLength(1);
      await t.sql('alter table scratch add column note text');
      try {
        const pid = await backendPid();
        attempts = 0;
        // PostgreSQL refuses the kept statement; the work runs again on a new connection, which sends it unnamed.
        expect(await read(2)).toEqual([[{ id: 2, label: 'two', note: null }]]);
        expect(attempts).toBe(2);
        expect(refusals).toEqual([expect.objectContaining({ code: '0A000', routine: 'RevalidateCachedQuery' })]);
        expect(await backendPid()).not.toBe(pid);
        // The new connection counts its calls afresh, then keeps it.
        for (let call = 0; call < 4; call += 1) expect(await read(2)).toEqual([[{ id: 2, label: 'two', note: null }]]);
        expect(await kept(everything)).toHaveLength(1);

        // One that is gone from the connection (a pooler's DISCARD ALL, say) the same way, as the transaction's last statement.
        await transactions.read((sql) => sql.all('deallocate all'));
        const before = await backendPid();
        attempts = 0;
        refusals.length = 0;
        const last = () =>
          transactions.run(async (sql) => {
            attempts += 1;
            return sql.last([{ sql: everything, params: [6], prepared: true }]).catch((error: unknown) => {
              refusals.push(error);
              throw error;
            });
          });
        expect(await last()).toEqual([[{ id: 6, label: 'six', note: null }]]);
        expect(attempts).toBe(2);
        expect(refusals).toEqual([expect.objectContaining({ code: '26000' })]);
        expect(await backendPid()).not.toBe(before);

        // A refusal in a round trip that bound no kept statement is the work's own: it is not run again.
        attempts = 0;
        const misspelt = await transactions
          .run(async (sql) => {
            attempts += 1;
            return sql.batch([{ sql: 'select nope from scratch where id = ?', params: [1], prepared: true }]);
          })
          .catch((error: unknown) => error);
        expect({ code: (misspelt as { code?: string }).code, attempts }).toEqual({ code: '42703', attempts: 1 });
      } finally {
        await t.sql('alter table scratch drop column note');
      }
    });

    it('are at most 20 on a connection: the least recently used makes room, and is parsed again when it comes back', async () => {
      expect(await keptCount()).toBe(0);
      const texts = Array.from({ length: 22 }, (_, index) => `select ?::int + ${index} as n -- room ${index}`);
      const sum = (text: string, value: number) => transactions.run((sql) => sql.batch([{ sql: text, params: [value], prepared: true }]));
      for (const [index, text] of texts.entries()) {
        for (let call = 0; call < 4; call += 1) expect(await sum(text, call)).toEqual([[{ n: index + call }]]);
      }
      // 22 were kept in turn: the first two made room for the last two.
      expect(await keptCount()).toBe(20);
      expect([(await kept(texts[0]!)).length, (await kept(texts[1]!)).length, (await kept(texts[2]!)).length]).toEqual([0, 0, 1]);
      // The first comes back: sent unnamed (its count starts again), kept from its fourth call, in the place of the least recently used.
      for (let call = 0; call < 4; call += 1) expect(await sum(texts[0]!, 40 + call)).toEqual([[{ n: 40 + call }]]);
      expect([(await kept(texts[0]!)).length, (await kept(texts[2]!)).length, await keptCount()]).toEqual([1, 0, 20]);
    });

    it('are what the command path sends: the lock’s reads, the write and the answer’s read, planned once per connection', async () => {
      const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
      const send = (type: string, expectedVersion: number, payload?: Record<string, unknown>) =>
        t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type, expectedVersion, payload }).expect(200);
      await send('FORWARD_TO_MERCHANT', 1);
      let version = (await send('MERCHANT_CONTEST', 2, { summary: 'Tracking shows delivery' })).body.version as number;
      for (let round = 0; round < 6; round += 1) {
        version = (await send('REQUEST_CUSTOMER_INFO', version, { question: 'A photo of the label?' })).body.version as number;
        version = (await send('CUSTOMER_INFO_PROVIDED', version, { summary: 'Photo uploaded' })).body.version as number;
      }
      const statements = await transactions.read((sql) =>
        sql.all<{ statement: string; generic: number }>(`select statement, generic_plans::int as generic from pg_prepared_statements where name like 'app\\_%'`),
      );
      const keptLike = (text: string) => statements.find((row) => row.statement === toNumberedPlaceholders(text).text);
      for (const text of [LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, CASE_CLOCKS_SQL]) expect(keptLike(text)).toBeDefined();
      // The answer's read (the event's: the case's transaction passed, where GetCase's reads it by the
      // case id), and the write of each of the two events (its text varies with what an event changes).
      const answersRead = (row: { statement: string }) => row.statement.includes("'displayName', a.display_name") && /d\.transaction_ref = \$\d+ and/.test(row.statement);
      expect(statements.filter(answersRead)).toHaveLength(1);
      expect(statements.filter((row) => row.statement.startsWith('with "w1" as (')).length).toBeGreaterThanOrEqual(2);
      // PostgreSQL settled on its generic plan for the case's lock and the answer's read: planned no more at each call.
      expect(keptLike(LOCK_CASE_SQL)!.generic).toBeGreaterThan(0);
      expect(statements.find(answersRead)!.generic).toBeGreaterThan(0);
    });
  });

  describe('statements kept prepared, on more than one connection', () => {
    let t2: TestApp;
    let transactions2: SqlTransactions;
    beforeAll(async () => {
      t2 = await startTestApp({ DATABASE_POOL_MAX: '2' });
      transactions2 = t2.app.get(SqlTransactions);
      await t2.sql(`create table scratch_codes (id int primary key, code text)`);
    });
    afterAll(() => t2.close());

    const upsert = 'insert into scratch_codes (id, code) values (?, ?) on conflict (id) do update set code = excluded.code returning code';
    /** The statement on both connections at once: each run holds its connection until both have sent. */
    const onBothConnections = async (code: string) => {
      let arrived = 0;
      let bothArrived!: () => void;
      const together = new Promise<void>((resolve) => (bothArrived = resolve));
      const one = (id: number) =>
        transactions2.run(async (sql) => {
          arrived += 1;
          if (arrived === 2) bothArrived();
          await together;
          return sql.batch([{ sql: upsert, params: [id, code], prepared: true }]);
        });
      return Promise.all([one(1), one(2)]);
    };

    it('that a migration retyped are refused once in the process, not once per connection, and the command that found out runs again', async () => {
      for (let call = 0; call < 4; call += 1) expect(await onBothConnections(`${call}`)).toEqual([[[{ code: `${call}` }]], [[{ code: `${call}` }]]]);
      // Both connections keep it, with the parameter types of its Parse: text for `code`.
      await t2.sql('alter table scratch_codes alter column code type integer using code::integer');
      const refusals: unknown[] = [];
      const first = await transactions2.run((sql) =>
        sql.batch([{ sql: upsert, params: [1, '7'], prepared: true }]).catch((error: unknown) => {
          refusals.push(error);
          throw error;
        }),
      );
      expect(first).toEqual([[{ code: 7 }]]);
      expect(refusals.map((error) => (error as { code?: string }).code)).toEqual(['42804']);
      // That connection went; the other one closes what it kept before its next statement, so both of these work.
      expect(await onBothConnections('8')).toEqual([[[{ code: 8 }]], [[{ code: 8 }]]]);
    });
  });

  it('runs the command path’s own statements, comments and all (the clock reminders’ sweep)', async () => {
    // Its SQL has a comment with an apostrophe; a placeholder rule that tracked quotes got it wrong.
    const swept = await transactions.run((sql) => t.app.get(SlaTracker).fireDueReminders(sql, randomUUID(), new Date()));
    expect(swept).toEqual([]);
  });
});
