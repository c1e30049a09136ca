import fc from 'fast-check';
import { mintCustomerToken } from '@app/customers';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * Generated bad input against every route of the OpenAPI document: whatever comes in (random JSON
 * of any shape, hostile strings in path parameters and query values, bodies that are not JSON,
 * nested too deeply, in another charset or a broken compression), the answer is never a 500.
 * Each route is called with credentials that get it past authentication, so the input reaches
 * the validation and the use case behind it.
 */
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  security: string[];
  query: string[];
}

/** Routes whose success would take the test's own credentials away. */
const SKIP = new Set(['post /v1/auth/logout']);

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    '../../etc/passwd',
    '%',
    '%00',
    '\u0000',
    '\u202eexe.pdf',
    'a'.repeat(5000),
    "' or 1=1 --",
    '00000000-0000-0000-0000-000000000000',
    '😀'.repeat(50),
  ),
);

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom('kind', 'type', 'amount', 'amountMinor', 'currency', 'email', 'password', 'url', 'events', 'role', 'limit', 'customer', 'reason', 'status', 'id'),
    fc.jsonValue({ maxDepth: 3 }),
  ),
);

describe('generated bad input over every route of the OpenAPI document never gets a 500', () => {
  let t: TestApp;
  let operations: Operation[];
  let credentials: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    const merchant = await t.createMerchant();
    // A case the customer owns, so the customer routes reach their use cases too.
    await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ customer: { id: 'u_fuzz', name: 'Fuzz' } }))
      .expect(201);
    const customerToken = mintCustomerToken(t.config.customerApi.tokenSecrets[0]!, 'u_fuzz', { ttlSeconds: 900 });
    credentials = { 'merchant-api-key': merchant.auth, 'intake-token': t.intakeAuth, 'customer-token': `Bearer ${customerToken}`, bearer: t.auth };
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; parameters?: Array<{ in: string; name: string }> }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, spec]) => ({
        method: method as Operation['method'],
        path,
        security: (spec.security ?? []).flatMap((entry) => Object.keys(entry)),
        query: (spec.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      })),
    );
  });
  afterAll(() => t.close());

  const authFor = (operation: Operation) => credentials[operation.security.find((scheme) => credentials[scheme]) ?? 'bearer']!;
  const fill = (path: string, values: string[]) => {
    let index = 0;
    return path.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[index++] ?? 'x'));
  };
  const call = (operation: Operation, url: string) => t.http[operation.method](url).set('Authorization', authFor(operation));

  it('finds the routes (the property below would hold vacuously otherwise)', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.some((operation) => operation.security.includes('merchant-api-key'))).toBe(true);
  });

  it('random path parameters, query values and JSON bodies', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => !SKIP.has(`${op.method} ${op.path}`))) {
      await fc
        .assert(
          fc.asyncProperty(
            fc.array(hostileText, { minLength: 3, maxLength: 3 }),
            fc.dictionary(fc.constantFrom(...operation.query, 'limit', 'cursor'), hostileText, { maxKeys: 3 }),
            jsonBody,
            async (params, query, body) => {
              const request = call(operation, fill(operation.path, params)).query(query);
              const response = await (operation.method === 'get' || operation.method === 'delete' ? request : request.send(body as object));
              if (response.status >= 500)
                failures.push(
                  `${operation.method.toUpperCase()} ${operation.path} ${JSON.stringify({ params, query, body }).slice(0, 300)} → ${response.status} ${JSON.stringify(response.body)}`,
                );
              return response.status < 500;
            },
          ),
          { numRuns: 8, seed: 20261203 },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });

  it('bodies that are not usable JSON: nested too deeply, NUL in text, empty, not JSON, another charset, broken compression', async () => {
    const bad: Array<{ what: string; type: string; encoding?: string; body: string }> = [
      { what: 'deep', type: 'application/json', body: '{"a":'.repeat(4000) + '1' + '}'.repeat(4000) },
      { what: 'deep array', type: 'application/json', body: '['.repeat(10000) + ']'.repeat(10000) },
      { what: 'NUL', type: 'application/json', body: '{"subject":"a\\u0000b","reason":"\\u0000","email":"a\\u0000@b.c","name":"\\u0007"}' },
      { what: 'empty', type: 'application/json', body: '' },
      { what: 'not JSON', type: 'application/json', body: '{"kind": dispute' },
      { what: 'text', type: 'text/plain', body: 'hello' },
      { what: 'latin1', type: 'application/json; charset=latin1', body: '{"a":"b"}' },
      { what: 'utf-16', type: 'application/json; charset=utf-16', body: '{"a":"b"}' },
      { what: 'gzip that is not', type: 'application/json', encoding: 'gzip', body: 'not gzip at all' },
      { what: 'brotli that is not', type: 'application/json', encoding: 'br', body: 'not brotli' },
      { what: 'unknown encoding', type: 'application/json', encoding: 'x-custom', body: '{}' },
    ];
    const failures: string[] = [];
    for (const operation of operations.filter((op) => ['post', 'put', 'patch'].includes(op.method) && !SKIP.has(`${op.method} ${op.path}`))) {
      for (const body of bad) {
        let request = call(operation, fill(operation.path, ['00000000-0000-4000-8000-000000000000', 'x', 'y'])).set('Content-Type', body.type);
        if (body.encoding) request = request.set('Content-Encoding', body.encoding);
        const response = await request.send(body.body);
        if (response.status >= 500) failures.push(`${operation.method.toUpperCase()} ${operation.path} (${body.what}) → ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
