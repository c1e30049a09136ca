/** A session as resolved from PostgreSQL, with what its expiry and idle timeout are checked against. */
export interface CachedSession<Agent extends { id: string } = { id: string }> {
  sessionId: string;
  agent: Agent;
  expiresAt: number;
  /** The last use as written to PostgreSQL (epoch ms); a hit that writes a newer one moves it. */
  lastSeenAt: number;
}

interface Entry<Agent extends { id: string }> extends CachedSession<Agent> {
  /** Monotonic time after which the entry is read from PostgreSQL again, whatever was heard. */
  freshUntil: number;
}

/**
 * Resolved sessions by token hash, each kept `ttlMs`, at most `maxEntries` (the least recently used
 * goes first). Every invalidation moves a generation on: an answer read from PostgreSQL before an
 * invalidation arrived may predate the change it announces, so `store` refuses it.
 */
export class SessionCache<Agent extends { id: string } = { id: string }> {
  private readonly entries = new Map<string, Entry<Agent>>();
  private generation = 0;

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(tokenHash: string): CachedSession<Agent> | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    this.entries.delete(tokenHash);
    if (entry.freshUntil <= this.monotonicNow()) return undefined;
    this.entries.set(tokenHash, entry); // most recently used last
    return entry;
  }

  /** Taken before reading PostgreSQL; `store` with it keeps the answer only if nothing was invalidated since. */
  mark(): number {
    return this.generation;
  }

  store(tokenHash: string, session: CachedSession<Agent>, mark: number): boolean {
    if (!this.enabled || mark !== this.generation) return false;
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { ...session, freshUntil: this.monotonicNow() + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return true;
  }

  dropToken(tokenHash: string): void {
    this.generation += 1;
    this.entries.delete(tokenHash);
  }

  dropAgent(agentId: string): void {
    this.generation += 1;
    for (const [tokenHash, entry] of this.entries) if (entry.agent.id === agentId) this.entries.delete(tokenHash);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
