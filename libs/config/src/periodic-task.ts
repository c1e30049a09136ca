/**
 * Work a process does on a timer of its own (reconcilers, sweeps): every `intervalMs`, never two
 * passes at once — a tick that comes while a pass still runs is skipped. A failed pass goes to
 * `onError` and the next tick tries again. The timer does not keep the process alive; stop()
 * clears it and waits for a pass in flight, so shutdown does not cut one off half-way.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number, options: { immediately?: boolean } = {}): void {
    if (this.timer) clearInterval(this.timer); // started again: one timer, not two
    if (options.immediately) this.tick();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.pass()
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            this.onError(error);
          } catch {
            // A failing error report must not become an unhandled rejection that ends the process.
          }
        },
      )
      .finally(() => (this.running = undefined));
  }
}
