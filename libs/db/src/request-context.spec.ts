import { MikroORM } from '@mikro-orm/postgresql';
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
});
