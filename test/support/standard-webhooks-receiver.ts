import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface VerifiedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The receiver's secrets that verified the request (with the `standardwebhooks` library). */
  verifiedWith: string[];
  status: number;
  event: { id: string; type: string; timestamp: string; data: any };
}

/**
 * Starts a webhook receiver in a process of its own (standard-webhooks-receiver-process.cjs) that knows
 * `secrets` and verifies each request with the Standard Webhooks reference library.
 */
export async function startStandardWebhooksReceiver(secrets: string[]) {
  const child = spawn(process.execPath, [join(__dirname, 'standard-webhooks-receiver-process.cjs')], {
    env: { ...process.env, RECEIVER_SECRETS: JSON.stringify(secrets) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  return {
    url: (path = '/hooks') => `${base}${path}`,
    /** What the merchant deployed: the secrets the receiver accepts from now on. */
    async setSecrets(next: string[]) {
      const response = await fetch(`${base}/secrets`, { method: 'PUT', body: JSON.stringify(next) });
      if (response.status !== 204) throw new Error(`receiver answered ${response.status}`);
    },
    async received(): Promise<VerifiedWebhook[]> {
      const rows = (await (await fetch(`${base}/received`)).json()) as Array<Omit<VerifiedWebhook, 'event'>>;
      return rows.map((row) => ({ ...row, event: JSON.parse(row.body) }));
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
