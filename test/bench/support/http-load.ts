import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LatencySummary } from './stats';

/**
 * A closed-loop HTTP workload: `concurrency` virtual clients, each sending its next request as
 * soon as the previous one answered. The scenario (what a client sends) is a module of its own
 * so that this runner stays the same for every benchmark.
 *
 * The clients run in a worker thread: the API under test runs in this process, and a load
 * generator sharing its event loop would both slow it down and be slowed down by it.
 */
export interface StepOutcome {
  /** `ok` is a success and its latency counts; anything else is tallied by name. */
  outcome: string;
  latencyMs: number;
  /** A short description for failures, kept as a sample in the result. */
  detail?: string;
}

export interface Scenario {
  step(client: number): Promise<StepOutcome>;
  /** Releases sockets and the like once the clients have stopped. */
  close?(): void | Promise<void>;
}

/** What a scenario module exports; it is loaded inside the worker thread by path. */
export type ScenarioFactory<D> = (data: D, options: { concurrency: number }) => Scenario | Promise<Scenario>;

export interface HttpLoadOptions<D> {
  /** Absolute path of the compiled scenario module, which exports `createScenario`. */
  scenarioModule: string;
  scenarioData: D;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /**
   * Open loop: requests start at this rate whatever the answers do (arrivals, as real users make
   * them), each latency measured from the moment it was due, so a stall shows as the latency of
   * every request that waited for it rather than as fewer requests. `concurrency` then only caps
   * how many are in flight (a request due while the cap is reached waits, its lateness counted).
   * Without it, the closed loop above.
   */
  arrivalRatePerSecond?: number;
  /** Called (on this thread) when the measured window opens and closes, to snapshot counters. */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface HttpLoadResult {
  concurrency: number;
  /** Open loop only: the rate asked for, and how many requests were due in the window. */
  arrivalRatePerSecond?: number;
  offered?: number;
  /** Length of the measured window. */
  seconds: number;
  successes: number;
  throughputPerSecond: number;
  /** Latency of successful steps completed inside the window. */
  latencyMs: LatencySummary;
  /** Every outcome in the window, successes included. */
  outcomes: Record<string, number>;
  detailSamples: string[];
}

export type WorkerMessage = { type: 'window-start' } | { type: 'window-end' } | { type: 'result'; result: HttpLoadResult } | { type: 'error'; error: string };

export const HTTP_LOAD_WORKER = join(__dirname, 'http-load.worker.js');

export function runHttpLoad<D>(options: HttpLoadOptions<D>): Promise<HttpLoadResult> {
  const { onWindowStart, onWindowEnd, ...workerData } = options;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(HTTP_LOAD_WORKER, { workerData });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      // The report is in hand; a socket the scenario forgot must not keep the thread (and the run) alive.
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'window-start') onWindowStart?.();
      else if (message.type === 'window-end') onWindowEnd?.();
      else if (message.type === 'result') settle(() => resolvePromise(message.result));
      else if (message.type === 'error') settle(() => reject(new Error(`load worker: ${message.error}`)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`load worker exited with code ${code} before reporting`))));
  });
}
