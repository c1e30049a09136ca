import type { AddressInfo } from 'node:net';
import { CallbackSender } from './callback-sender';
import { log } from './log';
import { loadSimConfig, SimConfigError } from './config';
import type { SimContext } from './context';
import { openDatabase } from './database';
import { DueWorkScheduler } from './scheduler';
import { createSimServer } from './server';
import { getSetting, putSetting } from './store';

const CALLBACK_URL_SETTING = 'callback_url';

/**
 * The wallet simulator: the wallet contract (docs/wallet-contract.openapi.yaml) as a separate
 * HTTP service with its own ledger database. Its state survives a restart, and settlements and
 * callbacks that were pending resume at boot.
 */
async function main(): Promise<void> {
  const config = loadSimConfig(process.env);
  const db = await openDatabase(config.databaseUrl);
  const now = () => new Date();

  // A callback URL given at boot wins; one set at run time (POST /sim/config) is kept across restarts.
  if (config.callbackUrl) await putSetting(db, CALLBACK_URL_SETTING, config.callbackUrl);
  let callbackUrl = await getSetting(db, CALLBACK_URL_SETTING);

  const sender = new CallbackSender(db, config);
  const scheduler = new DueWorkScheduler(db, sender, () => callbackUrl, now);
  const ctx: SimContext = {
    db,
    config,
    scheduler,
    now,
    callbackUrl: {
      get: () => callbackUrl,
      async set(url) {
        if (url) await putSetting(db, CALLBACK_URL_SETTING, url);
        else await db.query('delete from sim_settings where key = $1', [CALLBACK_URL_SETTING]);
        callbackUrl = url;
      },
    },
  };
  const { server, dropHeldAnswers } = createSimServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  // Harnesses read this line to learn the port when WALLET_SIM_PORT=0.
  console.log(`wallet-sim listening on http://${shownHost}:${port}`);
  if (config.usesDevelopmentSecrets) log({ level: 'warn', msg: 'WALLET_API_SECRET or WALLET_CALLBACK_SECRET not set: using the public development secrets' });
  scheduler.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'shutting down', signal });
    dropHeldAnswers();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await scheduler.stop();
    await closed;
    await db.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof SimConfigError ? `wallet-sim: ${error.message}` : error);
  process.exit(1);
});
