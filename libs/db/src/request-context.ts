import type { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext, TransactionContext, type EntityManager } from '@mikro-orm/core';
import { contextSlot } from '@app/observability';

/**
 * The request's EntityManager, forked the first time the request asks for it rather than when it
 * arrives. MikroORM's own middleware forks at every request; most requests never use the fork (a
 * case command sends its SQL through SqlTransactions, a cached session needs no read), and the
 * fork was about a fiftieth of a transition's CPU on the API's thread and about a twentieth of a
 * plain authenticated GET's (docs/benchmarks.md, round 28). A request that does use it gets the
 * same fork throughout, exactly as before: `em.getContext()` looks the fork up by name in the
 * context's map, which is where it is made.
 */
class ForkOnFirstUse extends Map<string, EntityManager> {
  /** Set while the fork is being made: MikroORM's constructors look the context up themselves. */
  private forking = false;

  constructor(private readonly root: EntityManager) {
    super();
  }

  override get(name: string): EntityManager | undefined {
    const made = super.get(name);
    if (made || this.forking || name !== this.root.name) return made;
    // While forking, the context has no fork yet, as when MikroORM forks before entering it.
    this.forking = true;
    try {
      // The options MikroORM's RequestContext.create forks with.
      const fork = this.root.fork({ useContext: true });
      super.set(name, fork);
      return fork;
    } finally {
      this.forking = false;
    }
  }
}

/**
 * MikroORM keeps its request and transaction contexts each in an AsyncLocalStorage of its own, a
 * static field of the class, used through `run` and `getStore` (and `enterWith` by
 * `RequestContext.enter`). They become slots of the process's one storage (context-slots.ts), set
 * when this module loads, before any context is entered: every storage in use costs every promise
 * of the process some work on Node 20 and 22. Its two other storages (raw query fragments, the unit
 * of work's flush) are private. The request context's only public way in (`RequestContext.create`)
 * forks at once, hence `withOrmRequestContext`. The version is pinned exactly (package.json), and
 * request-context.spec.ts fails if these stop being the storages `em.getContext()` and
 * `em.transactional()` use.
 */
type WithStorage<T> = { storage: AsyncLocalStorage<T> };
(RequestContext as unknown as WithStorage<RequestContext>).storage = contextSlot<RequestContext>() as unknown as AsyncLocalStorage<RequestContext>;
(TransactionContext as unknown as WithStorage<TransactionContext>).storage = contextSlot<TransactionContext>() as unknown as AsyncLocalStorage<TransactionContext>;
const requestContexts = (RequestContext as unknown as WithStorage<RequestContext>).storage;

/** Runs `work` (a request's handling) in a request context whose fork of `em` is made on first use. */
export function withOrmRequestContext<T>(em: EntityManager, work: () => T): T {
  return requestContexts.run(new RequestContext(new ForkOnFirstUse(em)), work);
}
