import { DeadlockException, ForeignKeyConstraintViolationException, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { sqlSessionOf, SqlTransactions } from '@app/db';
import { SlaTracker } from '@app/sla';
import { startTestApp, type TestApp } from '../support/test-app';

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

  describe('statements kept prepared', () => {
    // The pool has one connection, so this reads what that very connection keeps.
    const kept = (text: string) =>
      transactions.read((sql) =>
        sql.all<{ name: string; plans: number }>(`select name, (generic_plans + custom_plans)::int as plans from pg_prepared_statements where statement = ?`, [
          text.replaceAll('?', () => '$1'),
        ]),
      );
    const keptCount = async () =>
      (await transactions.read((sql) => sql.all<{ n: number }>(`select count(*)::int as n from pg_prepared_statements where name like 'app\\_statement\\_%'`)))[0]!.n;
    const byLabel = 'select label from scratch where id = ? -- kept';

    it('are kept from their fourth call in the process on, under a name, then only bound and run, in batches and last statements alike', async () => {
      const labelOf = { 1: 'one', 2: 'two', 6: 'six' } as const;
      for (const [call, id] of ([1, 2, 6, 1, 2, 6] as const).entries()) {
        const send = call % 2 ? 'last' : 'batch';
        const [[row]] = await transactions.run((sql) => sql[send]([{ sql: byLabel, params: [id], prepared: true }]));
        expect(row).toEqual({ label: labelOf[id] });
        // Sent unnamed (planned at each call) the first three times.
        if (call === 2) expect(await kept(byLabel)).toEqual([]);
      }
      const [statement] = await kept(byLabel);
      expect(statement!.name).toMatch(/^app_statement_\d+$/);
      // Parsed once under its name, and PostgreSQL's own count of its calls is the three since.
      expect(await kept(byLabel)).toEqual([{ name: statement!.name, plans: 3 }]);
    });

    it('survive a transaction that failed after them, and one whose statement failed to parse is tried again', async () => {
      const failed = await transactions
        .run((sql) =>
          sql.batch([
            { sql: byLabel, params: [1], prepared: true },
            { sql: 'insert into scratch (id, label) values (?, ?)', params: [1, 'again'] },
          ]),
        )
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(UniqueConstraintViolationException);
      expect(await transactions.run((sql) => sql.batch([{ sql: byLabel, params: [6], prepared: true }]))).toEqual([[{ label: 'six' }]]);

      const broken = 'select labe from scratch where id = ? -- misspelt';
      for (let call = 0; call < 5; call += 1) {
        const refused = await transactions.run((sql) => sql.batch([{ sql: broken, params: [1], prepared: true }])).catch((error: unknown) => error);
        // The same answer every time, named or not: never "does not exist" (a failed parse taken as kept).
        expect({ call, code: (refused as { code?: string }).code }).toEqual({ call, code: '42703' });
      }
      expect(await kept(broken)).toEqual([]);
      expect(await labels()).toEqual([1, 2, 6]);
    });

    it('that a migration changed drop the connection, so that only the command that found out fails', async () => {
      const everything = 'select * from scratch where id = ? -- the columns of the day';
      const read = (id: number) => transactions.run((sql) => sql.batch([{ sql: everything, params: [id], prepared: true }]));
      for (let call = 0; call < 4; call += 1) expect(await read(2)).toEqual([[{ id: 2, label: 'two' }]]);
      expect(await kept(everything)).toHaveLength(1);
      await t.sql('alter table scratch add column note text');
      try {
        const stale = await read(2).catch((error: unknown) => error);
        expect(String(stale)).toMatch(/cached plan must not change result type/);
        // The pool's one connection was dropped: a new one parses the statement afresh.
        expect(await read(2)).toEqual([[{ id: 2, label: 'two', note: null }]]);
        expect(await kept(everything)).toHaveLength(1);

        // And one that is gone from the connection (a pooler's DISCARD ALL, say) the same way.
        await transactions.read((sql) => sql.all('deallocate all'));
        const gone = await read(2).catch((error: unknown) => error);
        expect((gone as { code?: string }).code).toBe('26000');
        expect(await transactions.run((sql) => sql.last([{ sql: everything, params: [6], prepared: true }]))).toEqual([[{ id: 6, label: 'six', note: null }]]);
      } finally {
        await t.sql('alter table scratch drop column note');
      }
    });

    it('are at most 20 on a connection: the least recently used makes room, and is parsed again when it comes back', async () => {
      // The connection keeps one statement now (the last test's, on the connection it made).
      expect(await keptCount()).toBe(1);
      const texts = Array.from({ length: 22 }, (_, index) => `select ?::int + ${index} as n -- room ${index}`);
      const sum = (text: string, value: number) => transactions.run((sql) => sql.batch([{ sql: text, params: [value], prepared: true }]));
      for (const [index, text] of texts.entries()) {
        for (let call = 0; call < 4; call += 1) expect(await sum(text, call)).toEqual([[{ n: index + call }]]);
      }
      // 1 + 22 made 23: the three least recently used went (the one before, then the first two).
      expect(await keptCount()).toBe(20);
      expect([(await kept(texts[0]!)).length, (await kept(texts[1]!)).length, (await kept(texts[2]!)).length]).toEqual([0, 0, 1]);
      expect(await sum(texts[0]!, 40)).toEqual([[{ n: 40 }]]);
      expect([(await kept(texts[0]!)).length, (await kept(texts[2]!)).length, await keptCount()]).toEqual([1, 0, 20]);
    });
  });

  it('runs the command path’s own statements, comments and all (the clock reminders’ sweep)', async () => {
    // Its SQL has a comment with an apostrophe; a placeholder rule that tracked quotes got it wrong.
    const swept = await transactions.run((sql) => t.app.get(SlaTracker).fireDueReminders(sql, randomUUID(), new Date()));
    expect(swept).toEqual([]);
  });
});
