import 'reflect-metadata';
import fc from 'fast-check';
import { createValidationPipe } from '@app/http';
import { SendEventDto } from './case.dto';

/** The same DTO, its decorators inherited, without its own check: class-validator alone decides. */
class SendEventByClassValidator extends SendEventDto {
  static override acceptsAsSent(): boolean {
    return false;
  }
}

const pipe = createValidationPipe();
const validate = (metatype: typeof SendEventDto, body: unknown) => pipe.transform(structuredClone(body), { type: 'body', metatype, data: undefined });

/** What a JSON body's field may hold: the values that pass, near misses, and every other JSON type. */
const fieldValue = fc.oneof(
  fc.constantFrom('FORWARD_TO_MERCHANT', 'REQUEST_CUSTOMER_INFO', 'A', 'forward_to_merchant', 'FORWARD-TO-MERCHANT', ' FORWARD', 'FORWARD ', '', '_A', 'A1'),
  fc.string(),
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.constantFrom(1e21, 2 ** 53 + 2, 0.5, 1.5, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);

/**
 * An object as JSON.parse makes it from the text a client sent: `__proto__` and `constructor`
 * become fields of its own, which Nest's pipe and class-transformer strip on the long way.
 */
const parsedObject = (entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> =>
  JSON.parse(`{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`) as Record<string, unknown>;

const payloadKey = fc.oneof(
  fc.constantFrom('question', 'amountMinor', 'reason', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'),
  fc.string({ maxLength: 8 }),
);
const payloadValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.tuple(payloadKey, fc.oneof(fc.string({ maxLength: 8 }), fc.integer())), { maxLength: 2 }).map(parsedObject),
);
/** A payload with fields of its own, some of them keys the long way strips. */
const parsedPayload = fc.array(fc.tuple(payloadKey, payloadValue), { maxLength: 3 }).map(parsedObject);

/** A field as sent: mostly a value that passes, now and then a near miss or any other JSON value, or left out. */
const field = <T>(passing: fc.Arbitrary<T>, nearMisses: readonly unknown[]) =>
  fc.oneof(
    { weight: 6, arbitrary: passing },
    { weight: 1, arbitrary: fc.constantFrom(...nearMisses) },
    { weight: 1, arbitrary: fieldValue },
    { weight: 1, arbitrary: fc.constant(ABSENT) },
  );
const ABSENT = Symbol('absent');

/** Bodies near a valid one (each field passing, off, or missing; now and then a field the DTO does not have), and values that are no body at all. */
const body = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .record({
        type: field(fc.constantFrom('FORWARD_TO_MERCHANT', 'DECIDE_PARTIAL_REFUND', 'A'), ['forward', 'FORWARD-TO', 'A1', '_A', '']),
        payload: field(fc.oneof(fc.constantFrom({ amountMinor: 5000, reason: 'Item partly damaged' }, {}, null), parsedPayload), [[], [{}], 'x', 0, true]),
        expectedVersion: field(fc.integer({ min: 1, max: 1000 }), [0, -1, 1.5, '1', 1e21, null, true]),
        extra: fc.oneof({ weight: 6, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('by', 'caseId', 'Type', ''), fieldValue) }),
      })
      .map(({ extra, ...fields }) => {
        const entries: Array<readonly [string, unknown]> = Object.entries(fields).filter(([, value]) => value !== ABSENT);
        if (extra !== ABSENT) entries.push(extra);
        return parsedObject(entries);
      }),
  },
  { weight: 1, arbitrary: fieldValue },
);

/** What the handler gets through the pipe: the body it is handed, or the error the client is answered with. */
const outcomeOf = (metatype: typeof SendEventDto, sent: unknown) =>
  validate(metatype, sent).then(
    (handed) => ({ handed: JSON.parse(JSON.stringify(handed)) as unknown }),
    (error: { code?: string; details?: unknown }) => ({ refused: { code: error.code, details: error.details } }),
  );

describe('SendEventDto.acceptsAsSent: the event body checked without class-validator', () => {
  it('accepts exactly what class-validator passes, on generated bodies', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const passes = await validate(SendEventByClassValidator, sent).then(
          () => true,
          () => false,
        );
        expect(SendEventDto.acceptsAsSent(sent)).toBe(passes);
        if (passes) accepted += 1;
        else refused += 1;
      }),
      { numRuns: 3000 },
    );
    // Both verdicts were put to the test, not only refusals.
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });

  it('through the validation pipe: the handler gets what class-validator alone would hand it, or the client its error, on generated bodies', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        expect(await outcomeOf(SendEventDto, sent)).toEqual(await outcomeOf(SendEventByClassValidator, sent));
      }),
      { numRuns: 3000 },
    );
  });

  it('a body it accepts is handed on as sent; one with a key the long way strips, at any depth, takes the long way', async () => {
    const sent = { type: 'DECIDE_PARTIAL_REFUND', payload: { amountMinor: 5000, reason: 'Item partly damaged' }, expectedVersion: 3 };
    expect(await validate(SendEventDto, sent)).toEqual(sent);
    expect(await validate(SendEventDto, { ...sent, payload: null })).toEqual({ ...sent, payload: null });

    for (const text of [
      '{"type":"REQUEST_CUSTOMER_INFO","payload":{"question":"q","toString":1},"expectedVersion":1}',
      '{"type":"REQUEST_CUSTOMER_INFO","payload":{"question":{"__proto__":{"admin":true}}},"expectedVersion":1}',
      '{"type":"REQUEST_CUSTOMER_INFO","__proto__":{"x":1},"expectedVersion":1}',
    ]) {
      const handed = (await validate(SendEventDto, JSON.parse(text))) as Record<string, unknown>;
      expect(JSON.stringify(handed)).not.toMatch(/toString|__proto__/);
      expect(await outcomeOf(SendEventDto, JSON.parse(text))).toEqual(await outcomeOf(SendEventByClassValidator, JSON.parse(text)));
    }
  });

  it('a body it refuses gets class-validator’s error, word for word', async () => {
    const refusal = (await validate(SendEventDto, { type: 'DECIDE_PARTIAL_REFUND', expectedVersion: 0, by: 'me' }).catch((error: unknown) => error)) as {
      code: string;
      details: unknown;
    };
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.details).toEqual({
      fields: [
        { path: 'by', message: 'property by should not exist' },
        { path: 'expectedVersion', message: 'expectedVersion must not be less than 1' },
      ],
    });
  });
});
