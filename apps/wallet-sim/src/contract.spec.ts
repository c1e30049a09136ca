import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signWalletRequest } from './contract-shared';
import type { SimContext } from './context';
import { buildRoutes } from './router';
import { CALLBACK_EVENT_TYPES } from './settlement';
import { refundJson, transactionJson } from './wire';

// js-yaml (a devDependency) is used without its types, so it is required rather than imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const { load } = require('js-yaml') as { load(text: string): unknown };

/**
 * The written contract and the simulator must not drift apart: the same endpoints, the same
 * callback types, every error code the simulator can answer listed, the same field names.
 */
const CONTRACT_PATH = join(__dirname, '../../../docs/wallet-contract.openapi.yaml');
const contractText = readFileSync(CONTRACT_PATH, 'utf8');
const contract = load(contractText) as {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { enum?: string[] }> }> };
};

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
  }
  return [];
}

function resolve(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], contract);
}

describe('docs/wallet-contract.openapi.yaml and the simulator', () => {
  it('is OpenAPI 3.1 and every $ref points at something', () => {
    expect(contract.openapi).toBe('3.1.0');
    const dangling = refsIn(contract).filter((ref) => resolve(ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it('lists exactly the wallet endpoints the simulator serves (signed), and no control route', () => {
    const served = buildRoutes({} as SimContext)
      .filter((route) => route.signed)
      .map(
        (route) =>
          `${route.method} ${route.pattern.source
            .replace(/^\^|\$$/g, '')
            .replace(/\(\?<([a-z_]+)>\[\^\/\]\+\)/g, '{$1}')
            .replace(/\\\//g, '/')}`,
      );
    const documented = Object.entries(contract.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(served.sort());
    expect(documented.some((entry) => entry.includes('/sim/'))).toBe(false);
  });

  it('documents every callback type the simulator sends', () => {
    expect(Object.keys(contract.webhooks).sort()).toEqual([...CALLBACK_EVENT_TYPES].sort());
    expect(contract.components.schemas.EventEnvelope!.properties!.type!.enum!.sort()).toEqual([...CALLBACK_EVENT_TYPES].sort());
  });

  it('lists every error code the simulator can answer', () => {
    const sources = readdirSync(__dirname)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && name !== 'sim-handlers.ts')
      .map((name) => readFileSync(join(__dirname, name), 'utf8'))
      .join('\n');
    const thrown = [...sources.matchAll(/SimHttpError\(\d{3}, '([A-Z_]+)'/g)].map((match) => match[1]!);
    const codes = new Set([...thrown, 'INVALID_SIGNATURE', 'STALE_SIGNATURE', 'INTERNAL_ERROR']);
    expect(codes.size).toBeGreaterThan(8);
    const documented = contract.components.schemas.Error!.properties!.code!.enum!;
    expect([...codes].filter((code) => !documented.includes(code))).toEqual([]);
  });

  it('names the fields of a refund and a transaction as the simulator answers them', () => {
    const at = new Date('2026-12-03T10:00:00Z');
    const refund = refundJson({
      refund_id: 'rf_1',
      idempotency_key: 'k',
      request_fingerprint: 'f',
      transaction_ref: 'ORD-1',
      amount_minor: 1,
      currency: 'CNY',
      reason: 'r',
      mode: 'normal',
      status: 'processing',
      splits: [],
      expected_arrival_at: at,
      settle_due_at: at,
      failure_reason: null,
      settled_at: null,
      created_at: at,
    });
    expect(Object.keys(refund).sort()).toEqual([...contract.components.schemas.Refund!.required!].sort());
    const transaction = transactionJson(
      { ref: 'ORD-1', amount_minor: 1, currency: 'CNY', merchant_id: null, payer_id: 'u', status: 'captured', funding_sources: [], created_at: at },
      0,
    );
    expect(Object.keys(transaction).sort()).toEqual([...contract.components.schemas.Transaction!.required!].sort());
  });

  it('its signing example is what signWalletRequest produces', () => {
    const signed = signWalletRequest('s3cret', { method: 'GET', pathWithQuery: '/v1/refunds/rk_1', body: '' }, new Date(1764756000 * 1000));
    expect(contractText).toContain(`X-Wallet-Signature: ${signed['x-wallet-signature']}`);
  });
});
