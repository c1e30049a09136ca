import { Readable, Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { ServerLogController } from './server-log';

/** A Fastify server with the API's log controller, its log lines kept. */
function serverWithLog() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink), logController: new ServerLogController() });
  app.get('/ok', () => ({ ok: true }));
  app.get('/refused', () => {
    throw Object.assign(new Error('bad input'), { statusCode: 400 });
  });
  app.get('/broken', () => {
    throw new Error('the database went away');
  });
  // A download that fails once its headers and first bytes are out.
  app.get('/download', (_request, reply) => {
    const file = new Readable({ read() {} });
    file.push('first bytes of the file');
    setImmediate(() => file.destroy(new Error('the disk failed')));
    return reply.type('application/octet-stream').send(file);
  });
  return { app, lines };
}

describe('ServerLogController: what Fastify itself writes to the API log', () => {
  it("leaves out each request's own lines (the entry hook writes those): arrived, completed, no route, a client error", async () => {
    const { app, lines } = serverWithLog();
    expect((await app.inject({ url: '/ok' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/no-such-route' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/refused' })).statusCode).toBe(400);
    await app.close();
    expect(lines.filter((line) => line.msg !== 'Server listening')).toEqual([]);
  });

  it('writes what no handler could see: a server error, and a download cut off after its headers', async () => {
    const { app, lines } = serverWithLog();
    expect((await app.inject({ url: '/broken' })).statusCode).toBe(500);
    await app.inject({ url: '/download' }).catch(() => undefined);
    await app.close();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 50, msg: 'the database went away' }),
        expect.objectContaining({ level: 40, msg: 'response terminated with an error with headers already sent', err: expect.objectContaining({ message: 'the disk failed' }) }),
      ]),
    );
  });
});
