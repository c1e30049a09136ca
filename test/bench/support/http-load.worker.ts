import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoadOptions, HttpLoadResult, ScenarioFactory, StepOutcome, WorkerMessage } from './http-load';
import { summarize } from './stats';

/** Runs inside the worker thread started by runHttpLoad; see there for why it is a thread. */
const MAX_DETAIL_SAMPLES = 10;

async function main(options: Omit<HttpLoadOptions<unknown>, 'onWindowStart' | 'onWindowEnd'>): Promise<HttpLoadResult> {
  const post = (message: WorkerMessage) => parentPort!.postMessage(message);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module path known only at run time
  const { createScenario } = require(options.scenarioModule) as { createScenario: ScenarioFactory<unknown> };
  const scenario = await createScenario(options.scenarioData, { concurrency: options.concurrency });

  // Only steps that complete while the window is open count. The window's edges are the moments
  // its timers actually fire (also when the parent snapshots its counters), not nominal times.
  let measuring = false;
  let stopping = false;
  let windowStartedAt = 0;
  let windowEndedAt = 0;
  const latencies: number[] = [];
  let offered = 0;
  const outcomes: Record<string, number> = {};
  const detailSamples: string[] = [];

  const record = (step: StepOutcome) => {
    if (!measuring) return;
    outcomes[step.outcome] = (outcomes[step.outcome] ?? 0) + 1;
    if (step.outcome === 'ok') latencies.push(step.latencyMs);
    else if (step.detail && detailSamples.length < MAX_DETAIL_SAMPLES) detailSamples.push(`${step.outcome}: ${step.detail}`);
  };

  const windowClosed = new Promise<void>((resolveWindow) => {
    setTimeout(() => {
      measuring = true;
      windowStartedAt = performance.now();
      post({ type: 'window-start' });
      setTimeout(() => {
        measuring = false;
        stopping = true;
        windowEndedAt = performance.now();
        post({ type: 'window-end' });
        resolveWindow();
      }, options.durationMs);
    }, options.warmupMs);
  });

  const client = async (index: number) => {
    while (!stopping) {
      try {
        record(await scenario.step(index));
      } catch (error) {
        record({ outcome: 'client-error', latencyMs: 0, detail: String(error) });
        // A refused connection would otherwise spin; a short pause keeps the loop honest.
        await new Promise((resolveTimer) => setTimeout(resolveTimer, 10));
      }
    }
  };
  const clients = options.arrivalRatePerSecond
    ? [
        openLoop(
          options.arrivalRatePerSecond,
          options.concurrency,
          () => stopping,
          scenario,
          (step, dueAt) => {
            if (measuring) offered += 1;
            return step.then(
              (outcome) => record({ ...outcome, latencyMs: outcome.latencyMs + dueAt.lateMs }),
              (error: unknown) => record({ outcome: 'client-error', latencyMs: 0, detail: String(error) }),
            );
          },
        ),
      ]
    : Array.from({ length: options.concurrency }, (_, index) => client(index));
  await windowClosed;
  // Let in-flight requests finish (uncounted) so the API is quiet when the parent moves on.
  await Promise.all(clients);
  await scenario.close?.();

  const seconds = (windowEndedAt - windowStartedAt) / 1000;
  return {
    concurrency: options.concurrency,
    ...(options.arrivalRatePerSecond ? { arrivalRatePerSecond: options.arrivalRatePerSecond, offered } : {}),
    seconds,
    successes: latencies.length,
    throughputPerSecond: latencies.length / seconds,
    latencyMs: summarize(latencies),
    outcomes,
    detailSamples,
  };
}

/**
 * Starts a step every 1/rate seconds on a fixed schedule (not after the previous answer). A step
 * that could not start on time (the in-flight cap, or this thread late) carries its lateness.
 */
async function openLoop(
  rate: number,
  maxInFlight: number,
  stopped: () => boolean,
  scenario: { step(client: number): Promise<StepOutcome> },
  started: (step: Promise<StepOutcome>, due: { lateMs: number }) => Promise<void>,
): Promise<void> {
  const interval = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  const begin = performance.now();
  for (let index = 0; !stopped(); index += 1) {
    const dueAt = begin + index * interval;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolveTimer) => setTimeout(resolveTimer, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (stopped()) break;
    const lateMs = Math.max(0, performance.now() - dueAt);
    const running: Promise<void> = started(scenario.step(index), { lateMs }).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
}

main(workerData)
  .then((result) => parentPort!.postMessage({ type: 'result', result } satisfies WorkerMessage))
  .catch((error: unknown) => parentPort!.postMessage({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage));
