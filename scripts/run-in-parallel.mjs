#!/usr/bin/env node
// Runs npm scripts side by side and fails when any of them fails: `node scripts/run-in-parallel.mjs a b`.
//
// Why: the type check and ESLint each run on one core for a minute or more (ESLint's type-aware
// rules build the TypeScript program again); one after the other they left a core idle for two
// minutes of every `npm test`. Each script's output is held and printed whole when it ends, so two
// scripts' lines never interleave, and a failure's output is never lost among the other's.
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-in-parallel.mjs <npm script> [<npm script> ...]');
  process.exit(2);
}

const children = new Set();

/** @returns {Promise<{ name: string, ok: boolean }>} */
function run(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Not --silent: npm's own complaint (a script name misspelt) must reach the output.
    const child = spawn('npm', ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    let finished = false; // 'error' (spawn failed) may come before 'close'
    const finish = (ok, why) => {
      if (finished) return;
      finished = true;
      children.delete(child);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`\n> npm run ${name}: ${ok ? 'passed' : `FAILED (${why})`} in ${seconds} s\n`);
      process.stdout.write(Buffer.concat(output));
      resolve({ name, ok });
    };
    child.on('error', (error) => finish(false, error.message));
    child.on('close', (code, signal) => finish(code === 0, signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

// Stopped from outside (Ctrl-C, a CI timeout): the scripts stop too, and what they printed is shown.
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
]) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exitCode = 128 + number;
  });
}

const results = await Promise.all(names.map(run));
const failed = results.filter((result) => !result.ok).map((result) => result.name);
if (failed.length > 0) {
  console.error(`\n${failed.join(', ')} failed`);
  process.exitCode ||= 1;
}
