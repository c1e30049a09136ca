#!/usr/bin/env node
// Counts the instructions the API's main thread executes per transition, under valgrind's
// callgrind, for this checkout and, if given, another commit:
//
//   node scripts/bench-instructions.mjs [commit] [--repeat N] [--transitions N] [--warmup N] [--clients N] [--sla] [--keep DIR]
//
// (after `npm run build`; the other commit is built in a worktree, other-build.mjs). Each
// measurement starts the build's own benchmark app (test/bench/support/bench-app: the real API on a
// throwaway database, its workers in a process of their own) with node under callgrind, seeds
// disputes in investigation.reviewing through the build's own use cases (as the case-engine
// benchmark does, with no SLA policy unless --sla), and then, from this process (not under
// valgrind), sends the case-engine benchmark's loop of events over HTTP with `--clients` clients,
// each on cases of its own (no version conflicts): `--warmup` transitions with callgrind's
// instrumentation off (the JIT settles), then `--transitions` with it on. Callgrind counts each
// thread apart; the main thread's count over the transitions is the figure. The worker process and
// this process are not counted.
//
// Why: CPU time on this shared 2-core machine drifts by 10–30 % within minutes and by twice between
// days, and a pair of benchmark runs scatters by as much as a lever is worth (docs/benchmarks.md,
// rounds 30–32). An instruction count does not follow the machine's speed: the same build's count
// moves by a few percent from run to run (the JIT, the garbage collector, how requests happen to
// batch). It is not time: it leaves out the kernel's part (the socket writes), cache misses and the
// cost of waking up, so it is read beside the benchmark's CPU figures, not instead of them.
//
// `--keep DIR` keeps callgrind's files (`DIR/<build>-<run>/callgrind.<pid>-<thread>`, thread 1 the
// main thread) and node's map of the functions it compiled (`perf-<pid>.map`, node's
// --perf-basic-prof): `callgrind_annotate` names the native functions (V8's builtins and runtime,
// the garbage collector); the JIT-compiled JavaScript appears there by address only, which the map
// turns into a function's name (docs/benchmarks.md, round 33).
import { spawn, execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { here, otherBuild } from './other-build.mjs';

/** The case-engine benchmark's loop of events, by the state the case is in: this checkout's, sent to either build. */
const SCENARIO = join(here, 'dist/test/bench/case-engine.scenario.js');
if (!existsSync(SCENARIO)) {
  console.error(`${SCENARIO} is missing: run \`npm run build\` first`);
  process.exit(2);
}
const { LOOP_EVENTS, REVIEWING } = createRequire(import.meta.url)(SCENARIO);
const SEEDED_MERCHANTS = 50;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) usage(`--${name} takes a whole number above 0`);
  return value;
};
const textOption = (name) => {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) usage(`--${name} takes a value`);
  return value;
};
function usage(problem) {
  console.error(`${problem}\nusage: node scripts/bench-instructions.mjs [commit] [--repeat N] [--transitions N] [--warmup N] [--clients N] [--sla] [--keep DIR]`);
  process.exit(2);
}

/** The driver: each build measured `--repeat` times, alternately. */
async function compare() {
  const withValue = new Set(['--repeat', '--transitions', '--warmup', '--clients', '--keep']);
  const positional = args.filter((arg, index) => !arg.startsWith('--') && !withValue.has(args[index - 1]));
  const settings = {
    repeat: option('repeat', 2),
    transitions: option('transitions', 1000),
    warmup: option('warmup', 3000),
    clients: option('clients', 8),
    sla: args.includes('--sla'),
    keep: textOption('keep'),
  };
  if (positional.length > 1) usage(`one commit at most, not ${positional.join(' ')}`);
  const sides = [];
  if (positional[0]) {
    const { sha, dir } = await otherBuild(positional[0]);
    sides.push({ name: sha, dir });
  }
  sides.push({ name: 'this checkout', dir: here });
  const counts = new Map(sides.map((side) => [side.name, []]));
  for (let round = 1; round <= settings.repeat; round++) {
    for (const side of sides) {
      const count = await measure(side.dir, side.name.replace(/ /g, '-'), round, settings);
      counts.get(side.name).push(count);
      console.log(
        `${side.name}, run ${round}: ${perTransition(count.main, settings)} instructions per transition on the main thread (${perTransition(count.all, settings)} on all its threads)`,
      );
    }
  }
  console.log(`\ninstructions per transition, ${settings.transitions} transitions after ${settings.warmup}, ${settings.clients} clients${settings.sla ? ', SLA clocks' : ''}`);
  for (const side of sides) {
    const main = counts.get(side.name).map((count) => count.main / settings.transitions);
    console.log(`${side.name.padEnd(14)} main thread ${main.map((value) => format(value)).join(', ')}`);
  }
  if (sides.length === 2) {
    const mean = (name) => counts.get(name).reduce((sum, count) => sum + count.main, 0) / counts.get(name).length;
    const [base, mine] = sides.map((side) => mean(side.name));
    console.log(`change of the main thread's mean: ${(((mine - base) / base) * 100).toFixed(1)} %`);
  }
}

const format = (value) => `${(value / 1e6).toFixed(3)} M`;
const perTransition = (count, settings) => format(count / settings.transitions);

/** One measurement of the build in `dir`: callgrind's counts over the measured transitions, the main thread's and all threads'. */
async function measure(dir, sideName, round, settings) {
  const out = mkdtempSync(join(tmpdir(), 'callgrind-'));
  const serveArgs = [join(here, 'scripts/bench-instructions.mjs'), '--serve', dir, '--cases', String(settings.clients * 8), ...(settings.sla ? ['--sla'] : [])];
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      '--trace-children=no',
      `--callgrind-out-file=${join(out, 'callgrind.%p')}`,
      'node',
      ...(settings.keep ? ['--perf-basic-prof'] : []),
      ...serveArgs,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr = [];
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  const exited = new Promise((resolve) => {
    child.on('close', resolve);
    // valgrind missing: spawn fails, and 'close' follows.
    child.on('error', (error) => stderr.push(Buffer.from(`${error.message}\n`)));
  });
  try {
    const ready = await readyLine(child, exited, stderr);
    const agent = new Agent({ keepAlive: true, maxSockets: settings.clients });
    try {
      await sendTransitions(ready, agent, settings.warmup, settings.clients);
      await callgrindControl('--instr=on', child.pid);
      await sendTransitions(ready, agent, settings.transitions, settings.clients);
      await callgrindControl('--instr=off', child.pid);
    } finally {
      agent.destroy();
    }
    // The app cleans up (its database, its Redis keys) on SIGINT; callgrind writes its files at the exit.
    child.kill('SIGINT');
    await exited;
    return countsIn(out);
  } catch (error) {
    child.kill('SIGINT');
    await exited;
    process.stderr.write(Buffer.concat(stderr));
    throw error;
  } finally {
    if (settings.keep) {
      cpSync(out, join(settings.keep, `${sideName}-${round}`), { recursive: true });
      // Where V8 put each compiled function (node's --perf-basic-prof): callgrind names JIT code by its address only.
      // V8 writes it to /tmp, whatever TMPDIR says.
      const map = `/tmp/perf-${child.pid}.map`;
      if (existsSync(map)) cpSync(map, join(settings.keep, `${sideName}-${round}`, `perf-${child.pid}.map`));
      rmSync(map, { force: true });
    }
    rmSync(out, { recursive: true, force: true });
  }
}

/** The line the served app prints once it is seeded: where it listens, the agent's authorization, the cases. */
async function readyLine(child, exited, stderr) {
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      // Whole lines only: the ready line is several kilobytes and may come in pieces.
      const line = buffered
        .split('\n')
        .slice(0, -1)
        .find((candidate) => candidate.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line).ready);
    });
    void exited.then((code) => reject(new Error(`the app exited (${code}) before it was ready:\n${Buffer.concat(stderr).toString().slice(-3000)}`)));
  });
}

async function callgrindControl(command, pid) {
  // It waits for the process to take the command, which it does when one of its threads runs: the app is never idle for long (timers).
  await promisify(execFile)('callgrind_control', [command, String(pid)], { timeout: 120_000 });
}

/** Sends `count` transitions, `clients` at a time, each client on its own share of the cases (so none conflicts); any answer but 200 stops the run. */
async function sendTransitions(ready, agent, count, clients) {
  let sent = 0;
  const client = async (index) => {
    const mine = ready.cases.filter((_, caseIndex) => caseIndex % clients === index);
    for (let turn = 0; sent < count; turn++) {
      sent++;
      const known = mine[turn % mine.length];
      const event = LOOP_EVENTS[known.state];
      const { status, body } = await post(agent, new URL(`/v1/cases/${known.id}/events`, ready.baseUrl), ready.authorization, { ...event, expectedVersion: known.version });
      if (status !== 200) throw new Error(`POST /v1/cases/${known.id}/events answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
      known.version = body.version;
      known.state = body.state;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
}

function post(agent, url, authorization, body) {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Callgrind's totals per thread (files `callgrind.<pid>-<thread>`; thread 1 is the main thread). */
function countsIn(out) {
  const totals = readdirSync(out)
    .filter((file) => /^callgrind\.\d+-\d+$/.test(file))
    .map((file) => {
      const text = readFileSync(join(out, file), 'utf8');
      const total = /^totals: (\d+)/m.exec(text);
      if (!total) throw new Error(`no totals line in ${join(out, file)}: not a callgrind file this script knows`);
      return { thread: Number(file.split('-').pop()), instructions: Number(total[1]) };
    });
  const main = totals.find((entry) => entry.thread === 1);
  if (!main) throw new Error(`callgrind wrote no file for the main thread in ${out}`);
  return { main: main.instructions, all: totals.reduce((sum, entry) => sum + entry.instructions, 0) };
}

/**
 * Under valgrind: the build's benchmark app in `dir`, seeded with `cases` disputes in
 * investigation.reviewing through its own use cases (what the case-engine benchmark's
 * seedReviewingDisputes does, written against the names every build since issue 15 exports).
 */
async function serve(dir, sla, cases) {
  const require = createRequire(join(dir, 'package.json'));
  const { startBenchApp } = require('./dist/test/bench/support/bench-app.js');
  const bench = await startBenchApp({ env: { DATABASE_POOL_MAX: '32' }, workers: 'separate-process' });
  try {
    console.log(JSON.stringify({ ready: await seed(bench, require, dir, sla, cases) }));
  } catch (error) {
    // Nothing left behind: the app removes its database and Redis keys as it closes.
    await bench.close();
    throw error;
  }
  // The driver's SIGINT ends it: the benchmark app's own handler removes its database and Redis keys.
  setInterval(() => undefined, 60_000);
}

async function seed(bench, require, dir, sla, cases) {
  const { OpenCase, SendCaseEvent } = require('./dist/libs/cases/src/index.js');
  const { CreateMerchant, CreateApiKey } = require('./dist/libs/merchants/src/index.js');
  if (sla) {
    const { ensureSlaDefaults } = require('./dist/libs/db/src/index.js');
    const { SlaCatalogue } = require('./dist/libs/sla/src/index.js');
    if (!ensureSlaDefaults) throw new Error(`the build in ${dir} has no default SLA policies`);
    await ensureSlaDefaults(bench.databaseUrl);
    await bench.get(SlaCatalogue).reload();
  }
  const actor = { kind: 'agent', id: bench.agent.id, role: bench.agent.role };
  const merchantIds = Array.from({ length: SEEDED_MERCHANTS }, (_, index) => `m_${2000 + index}`);
  for (const id of merchantIds) {
    await bench.inRequestContext(async () => {
      await bench.get(CreateMerchant).execute({ id, name: `Bench merchant ${id}` });
      await bench.get(CreateApiKey).execute({ merchantId: id, kind: 'secret' });
    });
  }
  const seeded = [];
  for (let index = 0; index < cases; index++) {
    const id = await bench.inRequestContext(() =>
      bench.get(OpenCase).execute(
        {
          kind: 'dispute',
          channel: index % 2 ? 'app' : 'hotline',
          priority: 'normal',
          subject: `Parcel never arrived #${index}`,
          customer: { id: `u_${10_000 + index}`, name: '王小明' },
          merchantId: merchantIds[index % SEEDED_MERCHANTS],
          amount: { amountMinor: 12_800, currency: 'CNY' },
          reason: 'not_received',
        },
        actor,
      ),
    );
    let version = 1;
    for (const event of [{ type: 'FORWARD_TO_MERCHANT' }, { type: 'MERCHANT_CONTEST', summary: 'Courier tracking shows delivery on 3 May' }]) {
      version = (await bench.inRequestContext(() => bench.get(SendCaseEvent).execute({ caseId: id, event, expectedVersion: version }, actor))).version;
    }
    seeded.push({ id, version, state: REVIEWING });
  }
  if (!(await bench.waitForEffectsIdle(60_000))) throw new Error("the effect workers were still busy with the seeding's notifications after 60 s");
  return { baseUrl: bench.baseUrl.toString(), authorization: bench.authorization, cases: seeded };
}

if (args[0] === '--serve') await serve(args[1], args.includes('--sla'), option('cases', 64));
else await compare();
