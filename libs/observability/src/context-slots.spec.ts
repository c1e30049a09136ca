import { AsyncLocalStorage } from 'node:async_hooks';
import { contextSlot } from './context-slots';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('contextSlot', () => {
  it('is empty outside its own run, whatever other slots hold', async () => {
    const a = contextSlot<string>();
    const b = contextSlot<string>();
    expect(a.getStore()).toBeUndefined();
    await b.run('b', async () => {
      await tick();
      expect(a.getStore()).toBeUndefined();
      expect(b.getStore()).toBe('b');
    });
  });

  it('keeps the other slots as they are when one starts a run, and gives them back when it ends', async () => {
    const request = contextSlot<string>();
    const transaction = contextSlot<string>();
    const seen = await request.run('request 1', async () => {
      const inside = await transaction.run('tx', async () => {
        await tick();
        return { request: request.getStore(), transaction: transaction.getStore() };
      });
      return { inside, after: { request: request.getStore(), transaction: transaction.getStore() } };
    });
    expect(seen.inside).toEqual({ request: 'request 1', transaction: 'tx' });
    expect(seen.after).toEqual({ request: 'request 1', transaction: undefined });
  });

  it('nests a slot within itself as a storage does: the inner run wins until it ends', async () => {
    const slot = contextSlot<number>();
    const seen: Array<number | undefined> = [];
    await slot.run(1, async () => {
      seen.push(slot.getStore());
      await slot.run(2, async () => {
        await tick();
        seen.push(slot.getStore());
      });
      seen.push(slot.getStore());
    });
    seen.push(slot.getStore());
    expect(seen).toEqual([1, 2, 1, undefined]);
  });

  it('keeps concurrent runs apart across awaits, timers and callbacks', async () => {
    const slot = contextSlot<string>();
    const other = contextSlot<string>();
    const one = (name: string) =>
      other.run(`other of ${name}`, () =>
        slot.run(name, async () => {
          await tick();
          const fromTimer = await new Promise<string | undefined>((resolve) => setTimeout(() => resolve(slot.getStore()), 1));
          return { name: slot.getStore(), fromTimer, other: other.getStore() };
        }),
      );
    const results = await Promise.all(['a', 'b', 'c'].map(one));
    expect(results).toEqual(['a', 'b', 'c'].map((name) => ({ name, fromTimer: name, other: `other of ${name}` })));
  });

  it('passes run its arguments and returns what the callback returns', () => {
    const slot = contextSlot<string>();
    expect(slot.run('x', (a: number, b: number) => `${slot.getStore()}${a + b}`, 1, 2)).toBe('x3');
  });

  it('enterWith sets the slot for the rest of the current execution, leaving the other slots', async () => {
    const slot = contextSlot<string>();
    const other = contextSlot<string>();
    const seen = await other.run('kept', async () => {
      await (async () => {
        slot.enterWith('entered');
        await tick();
      })();
      return { slot: slot.getStore(), other: other.getStore() };
    });
    // As AsyncLocalStorage's enterWith: the synchronous part of the inner function ran in the caller's execution.
    expect(seen).toEqual({ slot: 'entered', other: 'kept' });
    const storage = new AsyncLocalStorage<string>();
    const fromStorage = await storage.run('kept', async () => {
      await (async () => {
        storage.enterWith('entered');
        await tick();
      })();
      return storage.getStore();
    });
    expect(fromStorage).toBe('entered');
  });

  it("ends another slot's enterWith made inside a run with that run (the one difference from storages of their own, context-slots.ts)", () => {
    const outer = contextSlot<string>();
    const entered = contextSlot<string>();
    outer.run('outer', () => entered.enterWith('inside'));
    expect(entered.getStore()).toBeUndefined();
  });
});
