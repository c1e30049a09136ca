import 'reflect-metadata';
import { runAdminBundleBench } from './admin-bundle.bench';
import { caseEngineBenchmark } from './case-engine.bench';
import { reportsBenchmark } from './reports.bench';
import { slaDeadlinesBenchmark } from './sla-deadlines.bench';
import type { Benchmark } from './support/benchmark';
import { log } from './support/env';
import { formatTable, writeArtifact } from './support/report';

/**
 * `npm run bench`: runs every benchmark in turn, prints a table per benchmark and writes
 * test-artifacts/bench-<name>.json. Slowness never fails the run (targets are reported as
 * meets/misses); only a benchmark that cannot measure (a service down, a crash) exits non-zero.
 * Add a benchmark by appending it here. BENCH_ONLY=name[,name] runs a subset.
 */
/** The admin UI's bundle size and queue API timing print their own lines; they ride along as notes. */
const adminBundleBenchmark: Benchmark = {
  name: 'admin-bundle',
  title: 'Admin UI: initial JS bundle and queue API with 10,000 open cases',
  async run() {
    const { lines } = await runAdminBundleBench();
    return { rows: [], details: { lines }, notes: lines };
  },
};

const BENCHMARKS: Benchmark[] = [caseEngineBenchmark, slaDeadlinesBenchmark, adminBundleBenchmark, reportsBenchmark];

async function main(): Promise<number> {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const selected = only ? BENCHMARKS.filter((benchmark) => only.includes(benchmark.name)) : BENCHMARKS;
  if (selected.length === 0) {
    console.error(`No benchmark matches BENCH_ONLY=${process.env.BENCH_ONLY}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 1;
  }
  let failed = 0;
  for (const benchmark of selected) {
    try {
      const report = await benchmark.run();
      const artifact = await writeArtifact(benchmark, report);
      console.log(`\n${formatTable(benchmark, report)}\n`);
      log(`wrote ${artifact}`);
    } catch (error) {
      failed += 1;
      console.error(`\nbenchmark ${benchmark.name} could not run:`, error);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a library still holds a handle, do not let it hang the run.
    setTimeout(() => {
      log('handles still open after the benchmarks finished; exiting anyway');
      process.exit(code);
    }, 5000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
