// Another commit of this repository, checked out and built beside this checkout, for the scripts
// that measure two builds against each other (bench-side-by-side.mjs, bench-instructions.mjs).
//
// It is checked out once into a worktree under the temporary directory and built there (its
// node_modules is this checkout's if their package-lock.json is the same, else its own, installed
// with `npm ci`); the worktree is kept for the next comparison (`git worktree remove --force <dir>`
// drops it). The admin UI is not built: the benchmarks do not serve it.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** This checkout's root. */
export const here = resolve(import.meta.dirname, '..');

const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();

/** The commit `ref` names, built in its worktree: its short hash and its directory. */
export async function otherBuild(ref) {
  const sha = git('rev-parse', '--short', `${ref}^{commit}`);
  const dir = join(tmpdir(), `bench-base-${sha}`);
  if (!existsSync(dir)) git('worktree', 'add', '--detach', dir, sha);
  if (!existsSync(join(dir, 'node_modules'))) {
    // The same dependencies: this checkout's. Others (the filing build still ran on Express): its own.
    const sameLock = readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync(join(here, 'package-lock.json'), 'utf8');
    if (sameLock) symlinkSync(join(here, 'node_modules'), join(dir, 'node_modules'));
    else {
      console.log(`installing ${sha}'s own dependencies in ${dir} (its package-lock.json differs from this checkout's)`);
      await runQuietly('npm', ['ci', '--no-audit', '--no-fund'], dir);
    }
  }
  console.log(`building ${sha} in ${dir}`);
  await runQuietly('npx', ['tsc', '-p', 'tsconfig.build.json'], dir);
  await runQuietly('npx', ['tsc-alias', '-p', 'tsconfig.build.json'], dir);
  return { sha, dir };
}

/** Runs a command to its end; its output is shown only if it fails. */
export function runQuietly(command, args, cwd, env = process.env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolvePromise(Buffer.concat(output).toString());
      process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${code}`));
    });
  });
}
