import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifyWalletRequest, WALLET_SIGNATURE_HEADER, WALLET_TIMESTAMP_HEADER } from './contract-shared';
import { log } from './log';
import type { SimContext } from './context';
import { parseJsonBody, readRawBody, SimHttpError, type SimResponse } from './http';
import { buildRoutes, matchRoute } from './router';

export interface SimServer {
  server: Server;
  /** Answers still held back (TIMEOUT- mode) are dropped at shutdown. */
  dropHeldAnswers(): void;
}

/** The simulator's HTTP server: signature check for /v1, JSON in and out, one log line per request. */
export function createSimServer(ctx: SimContext): SimServer {
  const routes = buildRoutes(ctx);
  const held = new Map<NodeJS.Timeout, ServerResponse>();

  async function handle(request: IncomingMessage): Promise<SimResponse> {
    const url = new URL(request.url ?? '/', 'http://wallet-sim.local');
    const method = request.method ?? 'GET';
    const matched = matchRoute(routes, method, url.pathname);
    if (!matched.route) {
      throw matched.methodNotAllowed
        ? new SimHttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}.`)
        : new SimHttpError(404, 'NOT_FOUND', `No route ${method} ${url.pathname}.`);
    }
    const rawBody = await readRawBody(request);
    if (matched.route.signed) {
      const check = verifyWalletRequest(
        ctx.config.apiSecrets,
        { timestamp: header(request, WALLET_TIMESTAMP_HEADER), signature: header(request, WALLET_SIGNATURE_HEADER) },
        { method, pathWithQuery: request.url ?? '/', body: rawBody },
        ctx.now(),
      );
      if (!check.ok) throw new SimHttpError(401, check.code, check.message);
    }
    const body = method === 'POST' ? parseJsonBody(rawBody) : undefined;
    return matched.route.handler({ params: matched.params, query: url.searchParams, body });
  }

  const server = createServer((request, response) => {
    const started = process.hrtime.bigint();
    const finish = (answer: SimResponse, code?: string) => {
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log({ method: request.method, path: request.url, status: answer.status, code, duration_ms: Math.round(ms * 10) / 10, held_ms: answer.holdMs });
      };
      if (!answer.holdMs) return send();
      const timer = setTimeout(() => {
        held.delete(timer);
        send();
      }, answer.holdMs);
      held.set(timer, response);
    };
    handle(request).then(
      (answer) => finish(answer),
      (error: unknown) => {
        if (error instanceof SimHttpError) return finish({ status: error.status, body: { code: error.code, message: error.message } }, error.code);
        log({ level: 'error', msg: 'unhandled', path: request.url, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        finish({ status: 500, body: { code: 'INTERNAL_ERROR', message: 'The simulator failed; see its log.' } }, 'INTERNAL_ERROR');
      },
    );
  });

  return {
    server,
    dropHeldAnswers() {
      for (const [timer, response] of held) {
        clearTimeout(timer);
        response.destroy();
      }
      held.clear();
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
