import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogger, currentRequestId, withRequestContext } from '@app/observability';
import { REQUEST_ID_OPTIONS } from '../request-entry';
import { requestLogging } from './request-logging';

interface Line {
  level: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

/** A real HTTP server naming requests as the API does, with the step first and the rest in the request's context, logging into an array. */
async function serve(level: 'info' | 'debug' = 'info') {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const app = Fastify({ ...REQUEST_ID_OPTIONS });
  const logRequest = requestLogging(createLogger('api', { level, pretty: false }, destination));
  app.addHook('onRequest', (request, reply, done) => {
    logRequest(request, reply);
    withRequestContext({ requestId: request.id }, done);
  });
  // The context's id (log lines, outbox rows, jobs) and the request's (error bodies, libs/http).
  app.get('/ok', async (request) => ({ requestId: currentRequestId(), id: request.id }));
  app.get('/broken', async (_request, reply) => reply.code(503).send({ code: 'UNAVAILABLE' }));
  app.get('/health/ready', async () => ({ status: 'ok' }));
  app.get('/slow', () => new Promise(() => undefined)); // never answers: the client gives up
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server: Server = app.server;
  const port = (server.address() as AddressInfo).port;
  return {
    lines,
    get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
      return new Promise((resolve, reject) => {
        // One connection per request, closed after it: the response's `close` has then come as well
        // as its `finish`, and a line written for each would be there twice.
        const sent = httpRequest({ host: '127.0.0.1', port, path, headers: { ...headers, Connection: 'close' }, agent: false }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => {
            const answer = { status: response.statusCode ?? 0, headers: response.headers, body };
            if (!sent.socket || sent.socket.destroyed) resolve(answer);
            else sent.socket.once('close', () => resolve(answer));
          });
        });
        sent.on('error', reject);
        sent.end();
      });
    },
    abort(path: string): Promise<void> {
      return new Promise((resolve) => {
        const sent = httpRequest({ host: '127.0.0.1', port, path });
        sent.on('error', () => resolve());
        sent.end();
        setTimeout(() => sent.destroy(), 100);
      });
    },
    close: () => app.close(),
  };
}

async function lineFor(lines: Line[], requestId: string): Promise<Line> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = lines.filter((line) => line.requestId === requestId);
    if (found.length > 0) {
      expect(found).toHaveLength(1); // one line per request, whichever of finish and close came first
      return found[0]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no line for ${requestId}`);
}

describe('requestLogging', () => {
  it('names each request, answers with its id, runs the chain under it and writes one line with what was asked and how it went', async () => {
    const server = await serve();
    try {
      const answer = await server.get('/ok', { 'X-Request-Id': 'req-ok-1' });
      expect(answer.headers['x-request-id']).toBe('req-ok-1');
      expect(JSON.parse(answer.body)).toEqual({ requestId: 'req-ok-1', id: 'req-ok-1' });
      const line = await lineFor(server.lines, 'req-ok-1');
      expect(line).toEqual({
        level: 'info',
        time: expect.any(String),
        service: 'api',
        requestId: 'req-ok-1',
        msg: 'request completed',
        method: 'GET',
        route: expect.any(String),
        status: 200,
        durationMs: expect.any(Number),
      });

      // No usable id from the caller: a new one.
      const unnamed = await server.get('/ok');
      expect(unnamed.headers['x-request-id']).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      await lineFor(server.lines, unnamed.headers['x-request-id'] as string);
    } finally {
      await server.close();
    }
  });

  it('writes a server error at warn as a failed request, and a request the client gave up on as aborted', async () => {
    const server = await serve();
    try {
      await server.get('/broken', { 'X-Request-Id': 'req-broken' });
      expect(await lineFor(server.lines, 'req-broken')).toMatchObject({ level: 'warn', msg: 'request failed', status: 503 });

      // The client leaves before any answer: the line still comes, marked aborted.
      await server.abort('/slow');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const aborted = server.lines.find((line) => line.aborted === true);
      expect(aborted).toMatchObject({ level: 'info', method: 'GET', aborted: true });
    } finally {
      await server.close();
    }
  });

  it('writes probes at debug, so that at info they leave no line', async () => {
    const quiet = await serve('info');
    try {
      await quiet.get('/health/ready', { 'X-Request-Id': 'probe-at-info' });
      await quiet.get('/ok', { 'X-Request-Id': 'after-probe' });
      await lineFor(quiet.lines, 'after-probe');
      expect(quiet.lines.filter((line) => line.requestId === 'probe-at-info')).toEqual([]);
    } finally {
      await quiet.close();
    }
    const verbose = await serve('debug');
    try {
      await verbose.get('/health/ready', { 'X-Request-Id': 'probe-at-debug' });
      expect(await lineFor(verbose.lines, 'probe-at-debug')).toMatchObject({ level: 'debug', msg: 'request completed', status: 200 });
    } finally {
      await verbose.close();
    }
  });
});
