import type { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext, type EntityManager } from '@mikro-orm/core';

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
 * MikroORM keeps its request contexts in a static AsyncLocalStorage it does not export; its only
 * public way in (`RequestContext.create`) forks at once. The version is pinned exactly
 * (package.json), and request-context.spec.ts fails if this storage stops being the one
 * `em.getContext()` reads.
 */
const requestContexts = (RequestContext as unknown as { storage: AsyncLocalStorage<RequestContext> }).storage;

/** Runs `work` (a request's handling) in a request context whose fork of `em` is made on first use. */
export function withOrmRequestContext<T>(em: EntityManager, work: () => T): T {
  return requestContexts.run(new RequestContext(new ForkOnFirstUse(em)), work);
}
