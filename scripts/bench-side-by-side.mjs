#!/usr/bin/env node
// Compares this checkout's case engine with another commit's, both benchmarks running at the same
// time: `node scripts/bench-side-by-side.mjs <commit> [pairs]` (after `npm run build`).
// With `--alternate`, one after the other instead (base, this, base, …, base: each of this
// checkout's runs between two of the other's), for a build whose benchmark has other phases, so
// that two runs at the same time would not measure at the same moments (a build from before the
// benchmark took its present shape, such as the one issue 15 set its targets on).
//
// Why: on a shared 2-core machine the speed a run sees drifts by 10–30 % within minutes, and by
// more than twice between days (docs/benchmarks.md, rounds 24–28). One build after the other, a
// lever worth a tenth of the API's CPU hides in that drift. Run together, both builds see the same
// machine, so each pair's difference is the code's. Each benchmark runs in its own process with its
// own database, Redis prefix and worker, and its CPU figures are of its own processes; their
// windows start within seconds of each other. Only CPU per transition or request is compared:
// throughput and the floors' ratios are not (each floor runs beside the other build's load).
//
// The other commit is built in a worktree of its own (other-build.mjs). BENCH_OPEN_SECONDS
// defaults to 10 here; every other BENCH_ setting passes through to both.
import { existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { here, otherBuild, runQuietly } from './other-build.mjs';

const alternate = process.argv.includes('--alternate');
const [ref, pairsArgument = '2'] = process.argv.slice(2).filter((argument) => argument !== '--alternate');
const pairs = Number(pairsArgument);
if (!ref || !Number.isInteger(pairs) || pairs < 1) {
  console.error('usage: node scripts/bench-side-by-side.mjs <commit> [pairs, default 2] [--alternate]');
  process.exit(2);
}

/** The rows compared, as the benchmark names them. */
const COMPARED = [
  'API main-thread CPU / transition, no SLA',
  'API main-thread CPU / transition, SLA clocks',
  'API main-thread CPU / transition, open loop',
  'API main-thread CPU / request, pipeline only',
  'API main-thread CPU / request, case read',
  'API main-thread CPU / request, customer case read',
  'worker CPU / notification, no SLA',
  'worker CPU / notification, SLA clocks',
];
/**
 * One after the other, each run has the machine to itself: its floor's CPU is measured at the same
 * moments as the API's, so it is compared too (at the same time each floor runs beside the other
 * build's load).
 */
const COMPARED_ONE_AFTER_THE_OTHER = [...COMPARED, 'floor main-thread CPU / transition'];
/** What the benchmark called a row before round 6 gave it its present name. */
const EARLIER_NAMES = { 'API main-thread CPU / transition, no SLA': 'API main-thread CPU / transition' };

/** A benchmark's run in `dir`; the artifact an earlier run left there goes first, so it cannot be read as this run's. */
function runBenchmark(dir) {
  rmSync(join(dir, 'test-artifacts', 'bench-case-engine.json'), { force: true });
  const env = { ...process.env, BENCH_ONLY: 'case-engine', BENCH_OPEN_SECONDS: process.env.BENCH_OPEN_SECONDS ?? '10' };
  return runQuietly('node', ['dist/test/bench/run.js'], dir, env);
}

function rowsOf(file) {
  const { rows } = JSON.parse(readFileSync(file, 'utf8'));
  const byMetric = new Map(rows.map((row) => [row.metric, row.value]));
  // Only one after the other: an old build's benchmark run at the same time measures other moments.
  for (const [metric, earlierName] of alternate ? Object.entries(EARLIER_NAMES) : []) {
    if (!byMetric.has(metric) && byMetric.has(earlierName)) byMetric.set(metric, byMetric.get(earlierName));
  }
  return byMetric;
}

function change(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return 'n/a';
  return `${a.toFixed(2)} → ${b.toFixed(2)} ms (${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)} %)`;
}

if (!existsSync(join(here, 'dist/test/bench/run.js'))) {
  console.error('dist/test/bench/run.js is missing: run `npm run build` first');
  process.exit(2);
}
const { sha, dir: there } = await otherBuild(ref);

const results = join(here, 'test-artifacts', 'side-by-side');
mkdirSync(results, { recursive: true });
const sides = [
  { name: sha, dir: there },
  { name: 'this checkout', dir: here },
];
const measured = [];
if (alternate) {
  const keep = (side, name) => {
    const copy = join(results, `${name}.json`);
    copyFileSync(join(side.dir, 'test-artifacts', 'bench-case-engine.json'), copy);
    return rowsOf(copy);
  };
  const [base, mine] = sides;
  const baseRuns = [];
  const runBase = async (index) => {
    console.log(`${sha}, run ${index + 1} of ${pairs + 1}`);
    await runBenchmark(base.dir);
    baseRuns.push(keep(base, `alternate-base-${index + 1}`));
  };
  await runBase(0);
  for (let pair = 1; pair <= pairs; pair++) {
    console.log(`this checkout, run ${pair} of ${pairs}`);
    await runBenchmark(mine.dir);
    const thisRun = keep(mine, `alternate-this-${pair}`);
    await runBase(pair);
    // Against the mean of the runs just before and just after it: the machine drifts by the minute.
    const around = new Map([...thisRun.keys()].map((metric) => [metric, (baseRuns[pair - 1].get(metric) + baseRuns[pair].get(metric)) / 2]));
    measured.push([around, thisRun]);
  }
  console.log(`\n${sha} against this checkout, one after the other (each of this checkout's runs against the mean of the other's just before and after it; JSON in ${results})\n`);
  for (const metric of COMPARED_ONE_AFTER_THE_OTHER) {
    console.log(`${metric.padEnd(52)} ${measured.map(([around, thisRun]) => change(around.get(metric), thisRun.get(metric))).join('   ')}`);
  }
} else {
  for (let pair = 1; pair <= pairs; pair++) {
    console.log(`pair ${pair} of ${pairs}: both benchmarks running`);
    // Each pair starts the other build first: neither always has the head start of a few milliseconds.
    const order = pair % 2 === 1 ? sides : [...sides].reverse();
    await Promise.all(order.map((side) => runBenchmark(side.dir)));
    const rows = sides.map((side, index) => {
      const copy = join(results, `pair-${pair}-${index === 0 ? 'base' : 'this'}.json`);
      copyFileSync(join(side.dir, 'test-artifacts', 'bench-case-engine.json'), copy);
      return rowsOf(copy);
    });
    measured.push(rows);
  }

  console.log(`\n${sha} against this checkout, run at the same time (${pairs === 1 ? 'one pair' : `${pairs} pairs`}; JSON in ${results})\n`);
  for (const metric of COMPARED) {
    console.log(`${metric.padEnd(52)} ${measured.map(([base, mine]) => change(base.get(metric), mine.get(metric))).join('   ')}`);
  }
}
