import { OpenCase, SendCaseEvent, type Actor } from '@app/cases';
import { ensureSlaDefaults } from '@app/db';
import { CreateApiKey, CreateMerchant } from '@app/merchants';
import { SlaCatalogue } from '@app/sla';
import { startBenchApp, type BenchApp } from './support/bench-app';
import { intFromEnv, log } from './support/env';
import { MAIN_THREAD_STAT, postgresCpuMs, procCpuSplitMs } from './support/instrumentation';
import { round } from './support/stats';
import { WindowProfile } from './support/window-profile';

/**
 * What one transition costs the API's main thread, without the noise of a loaded machine: one
 * event at a time (nothing else runs in the process, so the CPU profile's samples are CPU, not
 * waiting for a core), the worker in its own process. Two layers, to split the cost:
 *   usecase       SendCaseEvent.execute (lock, machine, SLA, one write, commit, post-commit jobs)
 *   usecase+view  SendCaseEvent.executeAndView: the same and the answer's view (its read goes in the write's round trip)
 * The HTTP layer is measured under load by the case-engine benchmark ("pipeline only"): one
 * request at a time, each one pays the event loop's wake-ups that a loaded server shares out.
 * Usage, after `npm run build`: `node dist/test/bench/transition-profile.js [layer]`; with
 * BENCH_CPU_PROFILE=<dir> it also writes `<dir>/transition-<layer>.cpuprofile`; with BENCH_SLA=1
 * the disputes match the shipped default SLA policies (their events pause and resume clocks).
 */
const EVENTS = [
  { type: 'REQUEST_CUSTOMER_INFO', question: 'Please send a photo of the parcel label' },
  { type: 'CUSTOMER_INFO_PROVIDED', summary: 'Photo of the label uploaded' },
];
type Layer = 'usecase' | 'usecase+view';
interface KnownCase {
  id: string;
  version: number;
  /** The version it had in investigation.reviewing: the loop's parity starts there. */
  reviewingVersion: number;
}

async function main(): Promise<void> {
  const layer = (process.argv[2] ?? 'usecase') as Layer;
  if (!['usecase', 'usecase+view'].includes(layer)) throw new Error(`unknown layer ${layer}: usecase or usecase+view`);
  const transitions = intFromEnv('BENCH_TRANSITIONS', 2400);
  const bench = await startBenchApp({ workers: 'separate-process' });
  try {
    const actor: Actor = { kind: 'agent', id: bench.agent.id, role: bench.agent.role };
    const withSla = process.env.BENCH_SLA === '1';
    if (withSla) {
      await ensureSlaDefaults(bench.databaseUrl);
      await bench.get<SlaCatalogue>(SlaCatalogue).reload();
    }
    const cases = await seed(bench, actor, 300);
    await bench.waitForEffectsIdle(60_000);
    // Statistics for the seeded tables before the warm-up, as the case-engine benchmark has: the
    // connections keep the loop's statements with the generic plan PostgreSQL settles on during
    // the warm-up, and planned on tables it had never analysed, the cancel of a clock's alarms
    // scanned all of `deadlines` at every call, a scan that grew with the run (PostgreSQL's CPU
    // per SLA transition read 1.4 to 2.3 ms instead of 0.7 to 0.9; docs/benchmarks.md, round 24).
    await bench.sql('vacuum analyze');
    const step = async (index: number) => {
      const known = cases[index % cases.length]!;
      const event = EVENTS[(known.version - known.reviewingVersion) % 2]!;
      const command = { caseId: known.id, event, expectedVersion: known.version };
      const useCase = bench.get<SendCaseEvent>(SendCaseEvent);
      const sent = await bench.inRequestContext(() => (layer === 'usecase+view' ? useCase.executeAndView(command, actor) : useCase.execute(command, actor)));
      known.version = sent.version;
    };
    // Warm-up: the JIT compiles the path before it is measured.
    for (let index = 0; index < 600; index += 1) await step(index);
    const profile = new WindowProfile(`transition-${layer}`);
    const cpuBefore = procCpuSplitMs(MAIN_THREAD_STAT);
    const postgresBefore = postgresCpuMs();
    const started = performance.now();
    profile.start();
    for (let index = 0; index < transitions; index += 1) await step(index);
    profile.stop();
    const cpuAfter = procCpuSplitMs(MAIN_THREAD_STAT);
    const postgresAfter = postgresCpuMs();
    const wallMs = (performance.now() - started) / transitions;
    const cpuMs = cpuBefore === null || cpuAfter === null ? NaN : (cpuAfter.user + cpuAfter.kernel - cpuBefore.user - cpuBefore.kernel) / transitions;
    const kernelMs = cpuBefore === null || cpuAfter === null ? NaN : (cpuAfter.kernel - cpuBefore.kernel) / transitions;
    // PostgreSQL's share of the same transitions (n/a when it runs elsewhere): whatever the API
    // saves by writing less, the database usually saves more.
    const postgresMs = postgresBefore === null || postgresAfter === null ? NaN : (postgresAfter - postgresBefore) / transitions;
    log(
      `${layer}${withSla ? ' (SLA clocks)' : ''}: ${round(cpuMs, 3)} ms main-thread CPU (${round(kernelMs, 3)} ms of it in the kernel), ${round(postgresMs, 3)} ms PostgreSQL CPU and ` +
        `${round(wallMs, 3)} ms wall per transition (${transitions}, one at a time)`,
    );
  } finally {
    await bench.close();
  }
}

/** Disputes in investigation.reviewing, moved there through the use cases (as the case-engine benchmark seeds). */
async function seed(bench: BenchApp, actor: Actor, count: number): Promise<KnownCase[]> {
  await bench.inRequestContext(async () => {
    await bench.get<CreateMerchant>(CreateMerchant).execute({ id: 'm_profile', name: 'Profile merchant' });
    await bench.get<CreateApiKey>(CreateApiKey).execute({ merchantId: 'm_profile', kind: 'secret' });
  });
  const cases: KnownCase[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = await bench.inRequestContext(() =>
      bench.get<OpenCase>(OpenCase).execute(
        {
          kind: 'dispute',
          channel: 'app',
          priority: 'normal',
          subject: `Parcel never arrived #${index}`,
          customer: { id: `u_${10_000 + index}`, name: '王小明' },
          merchantId: 'm_profile',
          amount: { amountMinor: 12_800, currency: 'CNY' },
          reason: 'not_received',
        },
        actor,
      ),
    );
    let version = 1;
    for (const event of [{ type: 'FORWARD_TO_MERCHANT' }, { type: 'MERCHANT_CONTEST', summary: 'Courier tracking shows delivery on 3 May' }]) {
      version = (await bench.inRequestContext(() => bench.get<SendCaseEvent>(SendCaseEvent).execute({ caseId: id, event, expectedVersion: version }, actor))).version;
    }
    cases.push({ id, version, reviewingVersion: version });
  }
  return cases;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
