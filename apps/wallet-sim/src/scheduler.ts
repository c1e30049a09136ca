import type { CallbackSender } from './callback-sender';
import { inTransaction, type Db } from './database';
import { log } from './log';
import { completeAction, settleRefund } from './settlement';
import { dueAccountActions, dueCallbacks, dueRefunds, nextDueAt } from './store';

/**
 * Runs the simulator's delayed work from the database, so a restart resumes it: refunds whose
 * settlement time has come, account actions to complete, callbacks to (re)send. One timer is
 * armed for the earliest due time; anything new that is due sooner wakes it.
 */
export class DueWorkScheduler {
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly sender: CallbackSender,
    private readonly callbackUrl: () => string | null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** At boot: picks up whatever was pending when the simulator last stopped. */
  start(): void {
    this.wake(new Date(0));
  }

  /** Something becomes due at `at` (settle time, completion time, a callback URL set). */
  wake(at: Date): void {
    if (this.stopped) return;
    const due = at.getTime();
    if (this.armedFor !== null && this.armedFor <= due) return;
    this.arm(due);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private arm(due: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = due;
    // setTimeout's limit is about 24.8 days; a later wake-up re-arms from the database.
    const delay = Math.min(Math.max(0, due - this.now().getTime()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = null;
      void this.runPass();
    }, delay);
  }

  private async runPass(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.runDueWork()
      .catch((error: unknown) => log({ level: 'error', msg: 'due work failed', error: String(error) }))
      .finally(() => {
        this.running = null;
      });
    await this.running;
    if (this.stopped) return;
    if (this.rerun) {
      this.rerun = false;
      this.arm(0);
      return;
    }
    const next = await nextDueAt(this.db, this.callbackUrl() !== null).catch(() => new Date(this.now().getTime() + 1000));
    if (next) this.wake(next);
  }

  private async runDueWork(): Promise<void> {
    const now = this.now();
    await inTransaction(this.db, async (tx) => {
      for (const refund of await dueRefunds(tx, now)) await settleRefund(tx, refund, now);
      for (const action of await dueAccountActions(tx, now)) await completeAction(tx, action, now);
    });
    const url = this.callbackUrl();
    if (!url || this.stopped) return;
    const callbacks = await dueCallbacks(this.db, this.now());
    await Promise.all(callbacks.map((callback) => this.sender.deliver(callback, url, this.now)));
  }
}
