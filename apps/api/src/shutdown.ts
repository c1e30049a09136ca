import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { BullWorkers, ShutdownState, UnreachableQueues } from '@app/ops';

/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 50;

/**
 * Stops taking connections and lets the requests in flight finish, for at most `graceMs`; then
 * cuts off what is left. Keep-alive connections are closed as soon as they are idle (a response
 * sent during the drain says `Connection: close`), so a client's next request goes to a process
 * that is staying, and `server.close()` does not wait for their idle timeout.
 */
export function drainHttpServer(server: Server, graceMs: number): Promise<'drained' | 'cut_off'> {
  if (!server.listening) return Promise.resolve('drained');
  return new Promise((resolve) => {
    const sayClose = (_request: unknown, response: { setHeader(name: string, value: string): void }) => response.setHeader('Connection', 'close');
    server.on('request', sayClose);
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cutOff = setTimeout(() => {
      server.closeAllConnections();
      finish('cut_off');
    }, graceMs);
    let finished = false;
    const finish = (outcome: 'drained' | 'cut_off') => {
      if (finished) return;
      finished = true;
      clearInterval(sweep);
      clearTimeout(cutOff);
      server.off('request', sayClose);
      resolve(outcome);
    };
    server.close(() => finish('drained'));
  });
}

/**
 * The API's answer to SIGTERM: readiness turns 503 at once, the server stops taking connections
 * and drains the requests in flight, in-process workers (RUN_WORKERS_IN_PROCESS) stop taking
 * jobs and finish theirs, each within SHUTDOWN_GRACE_MS; only then is the app closed (timers,
 * queues, the database pool), so no request in flight loses its database half-way.
 */
export async function shutdownApi(app: INestApplication, config: AppConfig): Promise<{ http: 'drained' | 'cut_off'; workersCutOff: number }> {
  app.get(ShutdownState).begin();
  const graceMs = config.ops.shutdownGraceMs;
  const [http, workersCutOff] = await Promise.all([drainHttpServer(app.getHttpServer() as Server, graceMs), app.get(BullWorkers).closeWithin(graceMs)]);
  await app.get(UnreachableQueues).closeNow();
  await app.close();
  return { http, workersCutOff };
}
