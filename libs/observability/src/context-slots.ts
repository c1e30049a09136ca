import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The process's one AsyncLocalStorage, shared out as slots: each slot behaves as an
 * AsyncLocalStorage of its own (`run`, `getStore`, `enterWith`), and all of them travel together in
 * one frame.
 *
 * Why one: on Node 20 and 22, every AsyncLocalStorage that has ever been used adds work to every
 * promise the process creates from then on (async_hooks' init hook copies each storage's value from
 * the running resource onto the new promise, one property per storage), and a request creates a
 * couple of hundred promises. The API had four or five in use: the request context below,
 * MikroORM's request and transaction contexts, and two MikroORM keeps private; the first three now
 * share one (libs/db hands MikroORM its two as slots). Node 24 carries AsyncLocalStorage on the
 * promise itself (AsyncContextFrame), without the hook: there this sharing makes no difference.
 *
 * A slot's `run` starts a frame that holds the other slots' current values as they are, so each
 * slot nests, ends and is inherited as a storage of its own would be, with one difference: when a
 * `run` ends, the whole frame goes back to what it was, so an `enterWith` of another slot made
 * inside that run ends with it (with storages of their own, on Node 20 and 22, it would outlast the
 * run; on Node 24 it ends with it there too). Nothing here enters a context with `enterWith`:
 * MikroORM's only use of it, `RequestContext.enter`, is not called.
 */
const storage = new AsyncLocalStorage<readonly unknown[]>();
let slotsMade = 0;

/** The part of AsyncLocalStorage's interface a slot has. */
export interface ContextSlot<T> {
  getStore(): T | undefined;
  run<R, A extends unknown[]>(store: T, callback: (...args: A) => R, ...args: A): R;
  enterWith(store: T): void;
}

/** A new slot of the process's storage, empty outside any `run` of its own. */
export function contextSlot<T>(): ContextSlot<T> {
  const index = slotsMade++;
  return {
    getStore: () => storage.getStore()?.[index] as T | undefined,
    run: (store, callback, ...args) => storage.run(frameWith(index, store), callback, ...args),
    enterWith: (store) => storage.enterWith(frameWith(index, store)),
  };
}

/** The current frame with one slot's value replaced (frames are never changed once entered). */
function frameWith(index: number, value: unknown): unknown[] {
  const frame = storage.getStore();
  const next = frame ? frame.slice() : [];
  next[index] = value;
  return next;
}
