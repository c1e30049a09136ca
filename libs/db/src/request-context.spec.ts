import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext, TransactionContext } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { currentRequestId, withRequestContext } from '@app/observability';
import { ormOptions } from './orm-options';
import { withOrmRequestContext } from './request-context';

describe('withOrmRequestContext', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    // No connection: forking and looking up the context's EntityManager send no SQL.
    orm = await MikroORM.init({ ...ormOptions('postgres://postgres@127.0.0.1:5432/unused'), connect: false });
  });

  afterAll(() => orm.close());

  it('gives a request its own fork, the same one throughout, across awaits', async () => {
    const seen = await withOrmRequestContext(orm.em, async () => {
      const first = orm.em.getContext();
      await new Promise((resolve) => setImmediate(resolve));
      const afterAwait = orm.em.getContext();
      return { first, afterAwait };
    });
    expect(seen.first).not.toBe(orm.em);
    expect(seen.afterAwait).toBe(seen.first);
  });

  it('gives concurrent requests different forks', async () => {
    const inRequest = () =>
      withOrmRequestContext(orm.em, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return orm.em.getContext();
      });
    const [a, b] = await Promise.all([inRequest(), inRequest()]);
    expect(a).not.toBe(b);
    expect(a).not.toBe(orm.em);
  });

  it('forks only when the request asks for its EntityManager', async () => {
    const fork = jest.spyOn(orm.em, 'fork');
    try {
      await withOrmRequestContext(orm.em, async () => {
        await new Promise((resolve) => setImmediate(resolve));
      });
      expect(fork).not.toHaveBeenCalled();
      await withOrmRequestContext(orm.em, async () => {
        orm.em.getContext();
        orm.em.getContext();
      });
      expect(fork).toHaveBeenCalledTimes(1);
    } finally {
      fork.mockRestore();
    }
  });

  it('is the context MikroORM reads: outside it, the global EntityManager refuses context work', async () => {
    // allowGlobalContext is false (ormOptions).
    expect(() => orm.em.getContext()).toThrow(/global EntityManager/);
    const inside = await withOrmRequestContext(orm.em, async () => orm.em.getContext());
    expect(inside.global).toBeFalsy();
  });

  it("keeps MikroORM's request and transaction contexts in slots of the process's one storage, beside the request id", async () => {
    // Every AsyncLocalStorage in use costs every promise some work (context-slots.ts): MikroORM's two public ones are not.
    for (const context of [RequestContext, TransactionContext]) {
      expect((context as unknown as { storage: unknown }).storage).not.toBeInstanceOf(AsyncLocalStorage);
    }
    const seen = await withRequestContext({ requestId: 'req-1' }, () =>
      withOrmRequestContext(orm.em, async () => {
        const requestFork = orm.em.getContext();
        const transactionFork = requestFork.fork();
        const inTransaction = await TransactionContext.create(transactionFork, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return { em: orm.em.getContext(), requestId: currentRequestId() };
        });
        return { requestFork, transactionFork, inTransaction, afterTransaction: orm.em.getContext(), requestId: currentRequestId() };
      }),
    );
    expect(seen.inTransaction).toEqual({ em: seen.transactionFork, requestId: 'req-1' });
    expect(seen.afterTransaction).toBe(seen.requestFork);
    expect(seen.requestId).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
  });
});
