import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeCommandFor } from './run-build';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '..', '..');

export type LogLine = Record<string, unknown> & { level: string; msg?: string; service: string };

export interface AppProcess {
  /** Every JSON line the process wrote on stdout, parsed, in order. */
  lines: LogLine[];
  /** Everything else it wrote on stdout (there should be nothing). */
  other: string[];
  /** The lines it wrote on stderr (Node's warnings go there), also passed on to this process's stderr. */
  stderr: string[];
  /** The first line `matches` picks, waiting for it up to `timeoutMs`. */
  waitForLine(what: string, matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, and the process's own graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * The test's environment less what makes a process write to stderr whatever its code does (a
 * debugger or a preload from NODE_OPTIONS, OpenTelemetry's own diagnostics, colour settings Node
 * warns about when they disagree): the stderr a test reads is the app's and its libraries'. Node
 * warns about some things only in code outside node_modules, and the run's build lives under
 * node_modules/.cache: those warnings cannot show here.
 */
function withoutStderrNoise(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, OTEL_LOG_LEVEL: _otel, NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...rest } = env;
  return rest;
}

/**
 * Runs an app's main.ts (`apps/worker/src/main.ts`, `apps/api/src/main.ts`) as its own process,
 * exactly as production starts it (from the run's build of the source: test/support/run-build.ts), and keeps its log lines: a test
 * reads what the process really wrote.
 */
export function startAppProcess(main: string, env: Record<string, string>): AppProcess {
  const command = nodeCommandFor(main);
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: { ...withoutStderrNoise(process.env), ...command.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const other: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      other.push(line);
    }
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    process.stderr.write(`${line}\n`);
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    lines,
    other,
    stderr,
    waitForLine: (what, matches, timeoutMs = 30_000) =>
      waitFor(
        what,
        async () => {
          if (exited) throw new Error(`${main} exited; it wrote: ${JSON.stringify(lines.slice(-5))}`);
          return lines.find(matches);
        },
        timeoutMs,
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
