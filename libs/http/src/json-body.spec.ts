import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Controller, HttpCode, Module, Post, Req, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { MAX_JSON_DEPTH } from './json-guards';
import { useJsonBodyReader, type WithRawBody } from './json-body';

const LIMIT = 1024;

@Controller()
class EchoController {
  /** What the route was given; a body the reader leaves alone is still on the request, unread, for the route that wants it. */
  @Post('echo')
  @HttpCode(200)
  async echo(@Req() request: FastifyRequest & WithRawBody) {
    let unread = '';
    if (request.body === undefined) for await (const chunk of request.raw) unread += String(chunk);
    return { body: request.body ?? null, raw: request.rawBody?.toString('utf8') ?? null, unread };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

/** Nest on Fastify reading bodies as the API does, its refusals answered by the API's exception filter. */
async function server(): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(EchoModule, new FastifyAdapter(), { bodyParser: false, logger: false });
  useJsonBodyReader(app.getHttpAdapter().getInstance(), LIMIT);
  app.useGlobalFilters(new AllExceptionsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('useJsonBodyReader', () => {
  let app: INestApplication;
  beforeAll(async () => (app = await server()));
  afterAll(() => app.close());

  const post = (payload: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    (app as NestFastifyApplication).getHttpAdapter().getInstance().inject({ method: 'POST', url: '/echo', payload, headers });

  it('reads a JSON object or array and keeps the bytes as sent', async () => {
    const sent = '{ "amount": 1250, "currency": "CNY" }';
    const answer = await post(sent);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ body: { amount: 1250, currency: 'CNY' }, raw: sent, unread: '' });
    expect((await post('[1,2]', { 'content-type': 'application/json; charset=utf-8' })).json().body).toEqual([1, 2]);
    // An empty body is an empty object, as Express's parser read it.
    expect((await post('')).json().body).toEqual({});
    // A byte-order mark is no part of the JSON, but the bytes as sent keep it.
    const marked = await post('\uFEFF{"a":1}');
    expect(marked.json()).toEqual({ body: { a: 1 }, raw: '\uFEFF{"a":1}', unread: '' });
  });

  it('reads gzip, deflate and brotli bodies, and holds the limit to what they inflate to', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await post(gzipSync('{"a":"b"}'), { ...json, 'content-encoding': 'gzip' })).json().body).toEqual({ a: 'b' });
    expect((await post(deflateSync('{"a":"d"}'), { ...json, 'content-encoding': 'deflate' })).json().body).toEqual({ a: 'd' });
    expect((await post(brotliCompressSync('{"a":"br"}'), { ...json, 'content-encoding': 'br' })).json().body).toEqual({ a: 'br' });
    const bomb = await post(gzipSync(JSON.stringify({ a: 'x'.repeat(LIMIT * 4) })), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect([bomb.statusCode, bomb.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it.each([
    ['not JSON', '{"kind": dispute', {}, 400, 'MALFORMED_JSON'],
    ['a bare string', '"text"', {}, 400, 'MALFORMED_JSON'],
    ['over the limit', JSON.stringify({ a: 'x'.repeat(LIMIT) }), {}, 413, 'PAYLOAD_TOO_LARGE'],
    ['nested too deeply', '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), {}, 400, 'JSON_TOO_DEEP'],
    ['an escaped NUL', '{"name":"a\\u0000b"}', {}, 400, 'VALIDATION_FAILED'],
    ['another charset', '{"a":"b"}', { 'content-type': 'application/json; charset=latin1' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an unknown encoding', '{}', { 'content-encoding': 'x-custom' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['gzip that is not', 'not gzip at all', { 'content-encoding': 'gzip' }, 400, 'MALFORMED_BODY'],
  ])('refuses %s with its code', async (_what, payload, headers, status, code) => {
    const answer = await post(payload, { 'content-type': 'application/json', ...headers });
    expect(answer.statusCode).toBe(status);
    expect(answer.json()).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
  });

  it('leaves other bodies unread for the route (multipart uploads), where Fastify would refuse them', async () => {
    const answer = await post('hello', { 'content-type': 'text/plain' });
    expect(answer.json()).toEqual({ body: null, raw: null, unread: 'hello' });
    const multipart = await post('--b\r\n\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' });
    expect(multipart.json().unread).toBe('--b\r\n\r\n--b--');
  });
});
