/**
 * Sends items at most once per window, each send carrying what arrived since the last. What
 * arrives after a quiet spell (nothing sent for a whole window) goes at once, so a lone item
 * waits for nothing; what arrives within a window of the last send waits for the window's end
 * and goes with everything else that arrived meanwhile, or sooner when `maxItems` are waiting.
 *
 * `send` is the caller's: it gets every item once, never concurrently with itself for the same
 * items, and its failures are the caller's to handle (a rejection here is logged by the caller's
 * own `send` and otherwise dropped: the items are rows that PostgreSQL still holds).
 */
export class SendWindow<T> {
  private waiting: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly maxItems: number,
    private readonly send: (items: T[]) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The send of `items` if they go at once (nothing sent within the window, no window, or the
   * window closed); undefined if they wait for the window's end, or there are none.
   */
  offer(items: readonly T[]): Promise<void> | undefined {
    if (items.length === 0) return undefined;
    const now = this.now();
    if (this.windowMs === 0 || this.closed || (this.timer === undefined && now - this.lastSentAt >= this.windowMs)) {
      this.lastSentAt = now;
      return this.track(this.send([...items]));
    }
    this.waiting.push(...items);
    if (this.waiting.length >= this.maxItems) {
      void this.flush();
      return undefined;
    }
    this.timer ??= setTimeout(() => void this.flush(), Math.max(0, this.lastSentAt + this.windowMs - now));
    return undefined;
  }

  /** How many items wait for their window's end. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /**
   * Sends what waits now and everything offered from here on at once; resolves when every send
   * begun so far has finished (failed or not). For shutdown: nothing is left waiting on a timer.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await Promise.allSettled([...this.sending]);
  }

  private flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return Promise.resolve();
    const items = this.waiting;
    this.waiting = [];
    this.lastSentAt = this.now();
    return this.track(this.send(items));
  }

  private track(sent: Promise<void>): Promise<void> {
    const settled = sent.catch(() => undefined);
    this.sending.add(settled);
    void settled.then(() => this.sending.delete(settled));
    return sent;
  }
}
