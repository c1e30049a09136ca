import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeCommandFor } from './run-build';

const ROOT = join(__dirname, '..', '..');

export interface StartedChild<T> {
  /** What the child printed as its first JSON line (its ports, …). */
  ready: T;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs a script of test/support (from the run's build, test/support/run-build.ts) as a process of its own (a real outside system for the
 * engine to talk to) and waits for the first JSON line it prints, which says where it listens.
 */
export async function startChildScript<T>(script: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<StartedChild<T>> {
  const command = nodeCommandFor(join('test/support', script));
  const child = spawn(process.execPath, [...command.args, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...command.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed "${line}" where its ready line (JSON) belongs`));
      }
    });
  });
  return {
    ready,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
