import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type LatencySummary } from './stats';

export interface PgbenchOptions {
  databaseUrl: string;
  /** The custom script (`-f`): pgbench meta-commands and SQL. */
  script: string;
  clients: number;
  threads: number;
  durationSeconds: number;
  /** `-D name=value` variables for the script. */
  variables?: Record<string, string | number>;
  /** Write the per-transaction log and compute percentiles from it (pgbench prints only the mean). */
  latencyLog?: boolean;
}

export interface PgbenchResult {
  command: string;
  /** Transactions per second, excluding the initial connection time (pgbench's own figure). */
  tps: number;
  latencyAverageMs: number;
  transactions: number;
  failedTransactions: number;
  /** From the per-transaction log, when asked for. */
  latencyMs?: LatencySummary;
  /** pgbench's summary as it printed it. */
  output: string;
}

export function pgbenchBinary(): string {
  return process.env.PGBENCH ?? 'pgbench';
}

function connectionArgs(databaseUrl: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-d', decodeURIComponent(url.pathname.slice(1))];
  if (url.username) args.push('-U', decodeURIComponent(url.username));
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  return { args, env };
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message} (set PGBENCH to its path)`)));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function number(output: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(output);
  if (!match) throw new Error(`pgbench output has no ${what}:\n${output}`);
  return Number(match[1]);
}

/** Each log line is `client_id transaction_no time script_no time_epoch time_us ...`; time is µs. */
async function readLatencyLog(directory: string): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (const file of await readdir(directory)) {
    if (!file.startsWith('pgbench_log')) continue;
    const text = await readFile(join(directory, file), 'utf8');
    for (const line of text.split('\n')) {
      const micros = Number(line.split(' ')[2]);
      // Failed or skipped transactions log a word instead of a time.
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  return summarize(latencies);
}

/** Runs pgbench with a custom script in a temporary directory (script and logs), which it removes. */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchResult> {
  const directory = await mkdtemp(join(tmpdir(), 'bench-pgbench-'));
  try {
    const scriptFile = join(directory, 'script.sql');
    await writeFile(scriptFile, options.script);
    const connection = connectionArgs(options.databaseUrl);
    const args = [
      ...connection.args,
      '-n', // no vacuum of pgbench's own tables: the script uses the app's schema
      '-c',
      String(options.clients),
      '-j',
      String(options.threads),
      '-T',
      String(options.durationSeconds),
      '-f',
      scriptFile,
      ...Object.entries(options.variables ?? {}).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
      ...(options.latencyLog ? ['--log', `--log-prefix=${join(directory, 'pgbench_log')}`] : []),
    ];
    const binary = pgbenchBinary();
    const { code, stdout, stderr } = await run(binary, args, connection.env);
    const output = `${stdout}${stderr ? `\n${stderr}` : ''}`.trim();
    if (code !== 0) throw new Error(`pgbench exited with ${code}:\n${output}`);
    return {
      command: `${binary} ${args.join(' ').replaceAll(directory, '<tmp>')}`,
      tps: number(stdout, /^tps = ([\d.]+) \(without initial connection time\)/m, 'tps'),
      latencyAverageMs: number(stdout, /^latency average = ([\d.]+) ms/m, 'latency average'),
      transactions: number(stdout, /^number of transactions actually processed: (\d+)/m, 'transaction count'),
      // Older pgbench versions do not print this line; they abort on the first error instead.
      failedTransactions: Number(/^number of failed transactions: (\d+)/m.exec(stdout)?.[1] ?? 0),
      latencyMs: options.latencyLog ? await readLatencyLog(directory) : undefined,
      output: stdout.trim(),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
