import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { jobOrigin, runJob, withJobContext } from './job-origin';
import { createLogger, nestLogger } from './logger';
import { acceptRequestId, currentRequestId, requestIdFrom, withRequestContext } from './request-context';

/** A destination that keeps every line the logger writes, parsed. */
function captured() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('request ids', () => {
  it("takes a caller's id only if it is short and made of safe characters", () => {
    expect(acceptRequestId('3f1c9a52-1d2e-4c4f-9b1a-6a1b2c3d4e5f')).toBe('3f1c9a52-1d2e-4c4f-9b1a-6a1b2c3d4e5f');
    expect(acceptRequestId('gw:01HV6Z/abc+def=@x_y.z')).toBe('gw:01HV6Z/abc+def=@x_y.z');
    expect(acceptRequestId('x'.repeat(128))).toBe('x'.repeat(128));
    for (const bad of ['x'.repeat(129), '', 'two words', 'line\nbreak', 'quote"d', '<script>', 'ünïcode', ['a'], undefined]) {
      expect(acceptRequestId(bad)).toBeUndefined();
    }
    expect(requestIdFrom('bad id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is known to everything that runs inside the context, across awaits and timers', async () => {
    expect(currentRequestId()).toBeUndefined();
    const seen = await withRequestContext({ requestId: 'req-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });
    expect(seen).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
  });
});

describe('log lines', () => {
  it('are JSON with the service, an ISO time and the level as a word', () => {
    const { lines, stream } = captured();
    createLogger('api', { level: 'info', pretty: false }, stream).info({ answer: 42 }, 'hello');
    expect(lines).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'api', answer: 42, msg: 'hello' }]);
  });

  it("never carry credentials, keys or a customer's personal data, wherever they are put", () => {
    const { lines, stream } = captured();
    const secrets = [
      'Bearer sk_live_secret',
      'sid=session-token',
      'sid=new; HttpOnly',
      'rk_live_key',
      'idem-key-1',
      'hunter2',
      '王小明',
      'wang@example.com',
      '13812345678',
      'my words',
    ];
    createLogger('api', { level: 'info', pretty: false }, stream).info(
      {
        req: { headers: { authorization: secrets[0], cookie: secrets[1], 'x-api-key': secrets[3], 'idempotency-key': secrets[4], 'user-agent': 'curl' } },
        res: { headers: { 'set-cookie': secrets[2] } },
        password: secrets[5],
        customer: { id: 'u_1', name: secrets[6] },
        contact: { email: secrets[7], phone: secrets[8] },
        body: secrets[9],
      },
      'something logged too much',
    );
    const text = JSON.stringify(lines);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: '[redacted]', 'user-agent': 'curl' } }, customer: { id: 'u_1', name: '[redacted]' } });
  });

  it("from Nest's Logger: its context as a field, and the request id inside a request context", () => {
    const { lines, stream } = captured();
    Logger.overrideLogger(nestLogger(createLogger('worker', { level: 'info', pretty: false }, stream)));
    const logger = new Logger('Cases');
    logger.log('outside');
    withRequestContext({ requestId: 'req-2' }, () => logger.warn('inside'));
    logger.error('failed', new Error('boom').stack);
    // Nest's start-up chatter is debug, not info.
    new Logger('RouterExplorer').log('Mapped {/v1/cases, POST} route');
    expect(lines.map(({ time: _time, err, ...rest }) => ({ ...rest, ...(err ? { err: (err as { message: string }).message } : {}) }))).toEqual([
      { level: 'info', service: 'worker', context: 'Cases', msg: 'outside' },
      { level: 'warn', service: 'worker', context: 'Cases', requestId: 'req-2', msg: 'inside' },
      { level: 'error', service: 'worker', context: 'Cases', msg: 'failed', err: 'failed' },
    ]);
  });
});

describe('jobs', () => {
  const { lines, stream } = captured();
  beforeAll(() => Logger.overrideLogger(nestLogger(createLogger('worker', { level: 'info', pretty: false }, stream))));
  beforeEach(() => lines.splice(0));
  const job = (data: Record<string, unknown>) => ({ id: 'effect-1', name: 'effect.run', queueName: 'effects', data, attemptsMade: 0 });

  it('carry the request id of what enqueued them, and run under it', async () => {
    const data = withRequestContext({ requestId: 'req-3' }, () => ({ outboxId: 'o1', ...jobOrigin() }));
    // Without a tracing SDK there is no trace context to carry.
    expect(data).toEqual({ outboxId: 'o1', requestId: 'req-3' });
    expect(jobOrigin('from-the-row')).toEqual({ requestId: 'from-the-row' });
    expect(jobOrigin(null)).toEqual({});

    const inner = await runJob(job(data), async () => {
      new Logger('EffectRunner').log('sending');
      return `${currentRequestId()} ${jobOrigin().requestId}`;
    });
    expect(inner).toBe('req-3 req-3');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', requestId: 'req-3', queue: 'effects', job: 'effect.run', jobId: 'effect-1', attempt: 1, context: 'EffectRunner', msg: 'sending' }),
      expect.objectContaining({
        level: 'info',
        requestId: 'req-3',
        queue: 'effects',
        context: 'Job',
        msg: 'effect.run done',
        outcome: 'req-3 req-3',
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('a job no request caused runs without an id; an unsafe one in its data is dropped', async () => {
    await runJob(job({}), async () => expect(currentRequestId()).toBeUndefined());
    await runJob(job({ requestId: 'not safe\n' }), async () => expect(currentRequestId()).toBeUndefined());
    expect(lines.every((line) => !('requestId' in line))).toBe(true);
  });

  it('what is logged about a job outside its run (BullMQ giving up on it) carries its request id too', () => {
    withJobContext({ ...job({ requestId: 'req-5' }), attemptsMade: 8 }, () => new Logger('EffectProcessor').error('effect notify o1 gave up after 8 attempts: wallet down'));
    expect(lines).toEqual([
      {
        level: 'error',
        time: expect.any(String),
        service: 'worker',
        requestId: 'req-5',
        queue: 'effects',
        job: 'effect.run',
        jobId: 'effect-1',
        context: 'EffectProcessor',
        msg: 'effect notify o1 gave up after 8 attempts: wallet down',
      },
    ]);
  });

  it('a failed attempt is a warning with the error; a job that postpones itself is no failure', async () => {
    await expect(runJob(job({ requestId: 'req-4' }), () => Promise.reject(new Error('wallet down')))).rejects.toThrow('wallet down');
    await expect(runJob(job({ requestId: 'req-4' }), () => Promise.reject(new DelayedError()))).rejects.toBeInstanceOf(DelayedError);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', requestId: 'req-4', msg: 'effect.run attempt failed', err: expect.objectContaining({ message: 'wallet down' }) }),
    ]);
  });
});
