import { Logger } from '@nestjs/common';
import { finishedWithin } from './finished-within';

/**
 * Work a process does on a timer of its own (reconcilers, sweeps): every `intervalMs`, never two
 * passes at once — a tick that comes while a pass still runs is skipped. A failed pass goes to
 * `onError` and the next tick tries again. The timer does not keep the process alive; stop()
 * clears it and waits for a pass in flight, so shutdown does not cut one off half-way, but only
 * for so long: a pass caught by an outage (Redis down, with the client holding its commands until it
 * reconnects) would hold the shutdown until the process is killed.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    /** What the passes do, for the line written when one is abandoned at stop ("reconcile pass"). */
    private readonly name: string,
  ) {}

  start(intervalMs: number, options: { immediately?: boolean } = {}): void {
    if (this.timer) clearInterval(this.timer); // started again: one timer, not two
    if (options.immediately) this.tick();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /**
   * How long stop() waits for a pass in flight by default. Passes are idempotent (they compare and
   * put back), so abandoning one costs a repeat on the next process; most take well under a second
   * (a report rollup refresh can take several under load), and a shutdown has SHUTDOWN_GRACE_MS +
   * 10 s in all before it is forced. An abandoned pass is not stopped: it ends on its own (the
   * shutdown rejects what it waits for from an unreachable Redis) or with the process.
   */
  static readonly STOP_WAIT_MS = 5_000;

  /** A pass still running after `waitAtMostMs` is left to itself, with a warning. */
  async stop(waitAtMostMs = PeriodicTask.STOP_WAIT_MS): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    if (!(await finishedWithin(this.running, waitAtMostMs))) {
      new Logger('shutdown').warn(`${this.name} still running after ${waitAtMostMs} ms at shutdown: not waited for any longer (the next pass repeats it)`);
    }
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
