import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@app/config';

/**
 * `npm run demo` (after build and migrate): the wallet simulator, then the demo seed (its cases
 * are checked against the wallet), then the API with its workers in-process: real processes wired
 * to each other and stopped together on Ctrl-C. Refunds settle 20 s after they are made, so a
 * refund is seen going from processing to arrived.
 */
const SIM_MAIN = join(__dirname, '..', '..', 'wallet-sim', 'src', 'main.js');
const SEED_MAIN = join(__dirname, 'seed.js');
const API_MAIN = join(__dirname, '..', '..', 'api', 'src', 'main.js');
const STOP_GRACE_MS = 15_000;

const children: ChildProcess[] = [];
let stopping = false;

/** Runs a one-off step (the seed) to its end, its output shown. */
function runToEnd(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} failed (exit code ${code})`))));
  });
}

function start(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group: Ctrl-C reaches only this launcher, which stops each child once, with SIGTERM
  // (a second signal during the API's graceful shutdown would cut it short).
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  child.stdout!.pipe(process.stdout);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`demo: ${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest`);
    void stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

async function stopAll(exitCode: number): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const forced = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(forced);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(exitCode);
}

/** The simulator prints its URL once it listens (WALLET_SIM_PORT may be 0). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /wallet-sim listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error('the wallet simulator exited before it listened')));
  });
}

async function main(): Promise<void> {
  // The API's own settings (port, secrets: development defaults unless set) come from libs/config.
  const config = loadConfig();
  const engineUrl = `http://127.0.0.1:${config.http.port}`;
  // Both children inherit the environment: the same WALLET_*_SECRET (or both the development defaults).
  const sim = start('wallet-sim', SIM_MAIN, {
    WALLET_SIM_PORT: '4010',
    SIM_AUTO_TRANSACTIONS: 'true',
    SIM_SETTLEMENT_DELAY_MS: '20000',
    ...process.env,
    WALLET_CALLBACK_URL: engineUrl,
  });
  const walletUrl = await listeningUrl(sim);
  await runToEnd(SEED_MAIN, { ...process.env, WALLET_BASE_URL: walletUrl });
  // No mail server in the demo: customer emails are written as .eml files under var/mail.
  // Warnings and errors only, unless asked (LOG_LEVEL=info shows a line per request and per job):
  // the demo's own lines above must stay readable in the terminal.
  start('api', API_MAIN, { NOTIFY_EMAIL_DIR: './var/mail', LOG_LEVEL: 'warn', ...process.env, RUN_WORKERS_IN_PROCESS: 'true', WALLET_BASE_URL: walletUrl });
  console.log(
    `demo: wallet simulator on ${walletUrl} (its ledger: ${walletUrl}/sim/refunds, callbacks: ${walletUrl}/sim/callbacks); ` +
      `API on ${engineUrl}. Refunds arrive 20 s after they are made. Ctrl-C stops both.`,
  );
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGHUP', () => void stopAll(0));
// Should the launcher itself die, the children must not outlive it.
process.on('exit', () => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL')));

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `demo: ${error.message}` : error);
  void stopAll(1);
});
