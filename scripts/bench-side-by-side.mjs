#!/usr/bin/env node
// Compares this checkout's case engine with another commit's, both benchmarks running at the same
// time: `node scripts/bench-side-by-side.mjs <commit> [pairs]` (after `npm run build`).
//
// Why: on a shared 2-core machine the speed a run sees drifts by 10–30 % within minutes, and by
// more than twice between days (docs/benchmarks.md, rounds 24–28). One build after the other, a
// lever worth a tenth of the API's CPU hides in that drift. Run together, both builds see the same
// machine, so each pair's difference is the code's. Each benchmark runs in its own process with its
// own database, Redis prefix and worker, and its CPU figures are of its own processes; their
// windows start within seconds of each other. Only CPU per transition or request is compared:
// throughput and the floors' ratios are not (each floor runs beside the other build's load).
//
// The other commit is checked out once into a worktree under the temporary directory and built
// there (its node_modules is this checkout's); it is kept for the next comparison (`git worktree
// remove <dir>` drops it). BENCH_OPEN_SECONDS defaults to 10 here; every other
// BENCH_ setting passes through to both.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [ref, pairsArgument = '2'] = process.argv.slice(2);
const pairs = Number(pairsArgument);
if (!ref || !Number.isInteger(pairs) || pairs < 1) {
  console.error('usage: node scripts/bench-side-by-side.mjs <commit> [pairs, default 2]');
  process.exit(2);
}

const here = resolve(import.meta.dirname, '..');
const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--short', `${ref}^{commit}`);
const there = join(tmpdir(), `bench-base-${sha}`);

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

function run(command, args, cwd, logFile) {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, BENCH_ONLY: 'case-engine', BENCH_OPEN_SECONDS: process.env.BENCH_OPEN_SECONDS ?? '10' };
    const child = spawn(command, args, { cwd, env, stdio: logFile ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolvePromise(Buffer.concat(output).toString());
      // The benchmark's own output says why it could not measure.
      process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${code}`));
    });
  });
}

function rowsOf(file) {
  const { rows } = JSON.parse(readFileSync(file, 'utf8'));
  return new Map(rows.map((row) => [row.metric, row.value]));
}

if (!existsSync(join(here, 'dist/test/bench/run.js'))) {
  console.error('dist/test/bench/run.js is missing: run `npm run build` first');
  process.exit(2);
}
if (!existsSync(there)) git('worktree', 'add', '--detach', there, sha);
if (!existsSync(join(there, 'node_modules'))) symlinkSync(join(here, 'node_modules'), join(there, 'node_modules'));
console.log(`building ${sha} in ${there}`);
await run('npx', ['tsc', '-p', 'tsconfig.build.json'], there);
await run('npx', ['tsc-alias', '-p', 'tsconfig.build.json'], there);

const results = join(here, 'test-artifacts', 'side-by-side');
mkdirSync(results, { recursive: true });
const sides = [
  { name: sha, dir: there },
  { name: 'this checkout', dir: here },
];
const measured = [];
for (let pair = 1; pair <= pairs; pair++) {
  console.log(`pair ${pair} of ${pairs}: both benchmarks running`);
  // Each pair starts the other build first: neither always has the head start of a few milliseconds.
  const order = pair % 2 === 1 ? sides : [...sides].reverse();
  await Promise.all(order.map((side) => run('node', ['dist/test/bench/run.js'], side.dir, true)));
  const rows = sides.map((side, index) => {
    const copy = join(results, `pair-${pair}-${index === 0 ? 'base' : 'this'}.json`);
    copyFileSync(join(side.dir, 'test-artifacts', 'bench-case-engine.json'), copy);
    return rowsOf(copy);
  });
  measured.push(rows);
}

console.log(`\n${sha} against this checkout, run at the same time (${pairs === 1 ? 'one pair' : `${pairs} pairs`}; JSON in ${results})\n`);
for (const metric of COMPARED) {
  const cells = measured.map(([base, mine]) => {
    const [a, b] = [base.get(metric), mine.get(metric)];
    if (typeof a !== 'number' || typeof b !== 'number') return 'n/a';
    return `${a.toFixed(2)} → ${b.toFixed(2)} ms (${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)} %)`;
  });
  console.log(`${metric.padEnd(52)} ${cells.join('   ')}`);
}
