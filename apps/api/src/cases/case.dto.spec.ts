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
        payload: field(fc.constantFrom({ amountMinor: 5000, reason: 'Item partly damaged' }, {}, null), [[], [{}], 'x', 0, true]),
        expectedVersion: field(fc.integer({ min: 1, max: 1000 }), [0, -1, 1.5, '1', 1e21, null, true]),
        extra: fc.oneof({ weight: 6, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('by', 'caseId', 'Type', ''), fieldValue) }),
      })
      .map(({ extra, ...fields }) => {
        const sent: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(fields)) if (value !== ABSENT) sent[name] = value;
        if (extra !== ABSENT) sent[extra[0]] = extra[1];
        return sent;
      }),
  },
  { weight: 1, arbitrary: fieldValue },
);

describe('SendEventDto.acceptsAsSent: the event body checked without class-validator', () => {
  it('accepts exactly what class-validator passes, on generated bodies', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const passes = await validate(SendEventByClassValidator, sent).then(
          () => true,
          () => false,
        );
        expect(SendEventDto.acceptsAsSent(sent)).toBe(passes);
        if (passes) accepted += 1;
      }),
      { numRuns: 3000 },
    );
    // Both verdicts were put to the test, not only refusals.
    expect(accepted).toBeGreaterThan(300);
  });

  it('through the validation pipe: a body it accepts is handed on as sent, one it refuses gets class-validator’s error word for word', async () => {
    const sent = { type: 'DECIDE_PARTIAL_REFUND', payload: { amountMinor: 5000, reason: 'Item partly damaged' }, expectedVersion: 3 };
    await expect(validate(SendEventDto, sent)).resolves.toEqual(sent);
    await expect(validate(SendEventDto, { ...sent, payload: null })).resolves.toEqual({ ...sent, payload: null });

    for (const refused of [
      { ...sent, expectedVersion: 0 },
      { ...sent, type: 'decide' },
      { ...sent, payload: [1] },
      { ...sent, by: { kind: 'system' } },
      { type: 'DECIDE_PARTIAL_REFUND' },
      [sent],
    ]) {
      const byClassValidator = await validate(SendEventByClassValidator, refused).catch((error: unknown) => error);
      const byPipe = await validate(SendEventDto, refused).catch((error: unknown) => error);
      expect(byPipe).toBeInstanceOf(Error);
      expect(byPipe).toEqual(byClassValidator);
      expect((byPipe as { details: unknown }).details).toEqual((byClassValidator as { details: unknown }).details);
    }
    const refusal = (await validate(SendEventDto, { ...sent, expectedVersion: 0, by: 'me' }).catch((error: unknown) => error)) as { code: string; details: unknown };
    expect(refusal.code).toBe('VALIDATION_FAILED');
    expect(refusal.details).toEqual({
      fields: [
        { path: 'by', message: 'property by should not exist' },
        { path: 'expectedVersion', message: 'expectedVersion must not be less than 1' },
      ],
    });
  });
});
