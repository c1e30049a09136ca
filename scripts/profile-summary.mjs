#!/usr/bin/env node
// Reads a V8 CPU profile (`BENCH_CPU_PROFILE=<dir>` writes one per measured window of the
// case-engine benchmark) and prints where its samples went, as text that can go into
// docs/benchmarks.md:
//
//   node scripts/profile-summary.mjs <file.cpuprofile> [where | packages | functions | within <pattern>] [rows]
//
//   where      (default) the samples by kind of work: socket writes, this project's code, the HTTP
//              stack, the pg driver, promises and AsyncLocalStorage, GC, XState, …; shares of the
//              busy samples (idle left out)
//   packages   self time by npm package (or this project's lib/app, or Node's module), shares of
//              all samples (idle among them)
//   functions  self time by function, with its file and line, shares of all samples
//   within     the samples that have a frame matching <pattern> (a regular expression over
//              "function url") on their stack: their share, and their self time by function. A
//              chain broken by an `await` (the continuation runs from the microtask queue) is not
//              followed, so an async function's share counts only the code before its first await.
//
// Shares count samples, not time: V8 samples at a fixed interval, so they are the same but for its
// jitter (a sample that waited long in a system call, `writev`, weighs more by time).
//
// Why a script: the DevTools view answers one question at a time, and a round's table must be
// reproducible from the profile it cites.
import { readFileSync } from 'node:fs';

const [file, mode = 'where', ...rest] = process.argv.slice(2);
if (!file || !['where', 'packages', 'functions', 'within'].includes(mode) || (mode === 'within' && !rest[0])) {
  console.error('usage: node scripts/profile-summary.mjs <file.cpuprofile> [where | packages | functions | within <pattern>] [rows]');
  process.exit(2);
}
let pattern;
try {
  pattern = mode === 'within' ? new RegExp(rest[0]) : undefined;
} catch (error) {
  console.error(`within: not a regular expression: ${error.message}`);
  process.exit(2);
}
const rows = Number(mode === 'within' ? rest[1] : rest[0]) || 30;

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const frameOf = (id) => nodes.get(id).callFrame;

/** The package a frame's code belongs to: an npm package, this project's lib or app, or Node's module. */
function packageOf(frame) {
  if (!frame.url) return frame.functionName || '(native)';
  const npm = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (npm) return npm[1];
  const own = /dist\/((?:libs|apps)\/[^/]+)/.exec(frame.url);
  if (own) return own[1];
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/')[0]}`;
  return frame.url.split('/').slice(-2).join('/');
}

const functionOf = (frame) => (frame.url ? `${frame.functionName || '(anonymous)'} ${packageOf(frame)}:${frame.lineNumber + 1}` : `${frame.functionName} (native)`);

/** The kinds of work in round 29's table (docs/benchmarks.md), first match wins. */
const KINDS = [
  ['idle', (frame) => frame.functionName === '(idle)' && !frame.url],
  ['socket writes (writev, writeBuffer)', (frame) => !frame.url && /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/.test(frame.functionName)],
  ['garbage collection', (frame) => frame.functionName === '(garbage collector)'],
  [
    'node:http, Express, its router and body parser',
    (frame) =>
      /node_modules\/(express|router|body-parser|raw-body|content-type|type-is|finalhandler|send|qs|path-to-regexp|on-finished|media-typer|mime|iconv-lite|statuses|http-errors|depd|cookie)\//.test(
        frame.url,
      ) || /^node:(_http|internal\/http|http)/.test(frame.url),
  ],
  ['Nest', (frame) => frame.url.includes('node_modules/@nestjs/')],
  ['class-validator and class-transformer', (frame) => /node_modules\/class-(validator|transformer)\//.test(frame.url)],
  ['pg and its protocol parser', (frame) => /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+)\//.test(frame.url)],
  ['MikroORM, knex, tarn', (frame) => /node_modules\/(@mikro-orm|knex|tarn)\//.test(frame.url)],
  ['XState', (frame) => frame.url.includes('node_modules/xstate/')],
  ['BullMQ, ioredis', (frame) => /node_modules\/(bullmq|ioredis|msgpackr)\//.test(frame.url)],
  ["this project's code (libs/, apps/)", (frame) => /dist\/(libs|apps)\//.test(frame.url)],
  ['promises, microtasks, AsyncLocalStorage', (frame) => /async_hooks|promise/.test(frame.url) || frame.functionName === 'runMicrotasks'],
  ['other Node internals', (frame) => frame.url.startsWith('node:')],
  ['other native code', (frame) => !frame.url],
  ['other', () => true],
];

const selfSamples = new Map();
for (const sample of profile.samples) selfSamples.set(sample, (selfSamples.get(sample) ?? 0) + 1);

function tally(keyOf, ids = selfSamples) {
  const counts = new Map();
  for (const [id, count] of ids) {
    const key = keyOf(frameOf(id));
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function print(counts, total, limit) {
  for (const [key, count] of counts.slice(0, limit)) console.log(`${((100 * count) / total).toFixed(1).padStart(6)} %  ${key}`);
}

const total = profile.samples.length;
if (mode === 'where') {
  const counts = tally((frame) => KINDS.find(([, matches]) => matches(frame))[0]);
  const idle = counts.find(([kind]) => kind === 'idle')?.[1] ?? 0;
  console.log(`${total} samples, ${idle} idle; shares of the ${total - idle} busy ones`);
  print(
    counts.filter(([kind]) => kind !== 'idle'),
    total - idle,
    rows,
  );
} else if (mode === 'packages') {
  console.log(`${total} samples; self time`);
  print(tally(packageOf), total, rows);
} else if (mode === 'functions') {
  console.log(`${total} samples; self time`);
  print(tally(functionOf), total, rows);
} else {
  const inside = new Map();
  for (const [id, count] of selfSamples) {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const frame = frameOf(at);
      if (pattern.test(`${frame.functionName} ${frame.url}`)) {
        inside.set(id, count);
        break;
      }
    }
  }
  const within = [...inside.values()].reduce((sum, count) => sum + count, 0);
  console.log(`${within} of ${total} samples (${((100 * within) / total).toFixed(1)} %) have a frame matching ${pattern} on their stack; their self time:`);
  print(tally(functionOf, inside), total, rows);
}
