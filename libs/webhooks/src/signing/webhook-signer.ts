import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) signatures: the secret is `whsec_` +
 * base64 key bytes; the signature is `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`.
 * Receivers reject a timestamp too far from their clock, which makes a captured request
 * useless for replay later.
 */
export const SIGNATURE_VERSION = 'v1';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function signWebhook(input: { id: string; timestamp: number; body: string; secret: string }): string {
  const mac = createHmac('sha256', keyOf(input.secret)).update(`${input.id}.${input.timestamp}.${input.body}`).digest('base64');
  return `${SIGNATURE_VERSION},${mac}`;
}

/**
 * The three Standard Webhooks headers. During a secret rotation's grace period `previousSecrets`
 * sign too: one signature per secret, space-separated, so a receiver with either secret accepts it.
 */
export function webhookHeaders(input: { id: string; timestamp: number; body: string; secret: string; previousSecrets?: readonly string[] }): Record<string, string> {
  const secrets = [input.secret, ...(input.previousSecrets ?? [])];
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook({ ...input, secret })).join(' '),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'timestamp_outside_tolerance' | 'bad_signature' };

/**
 * What a receiver does (shipped for merchants' reference and used by our tests). The signature
 * header may carry several space-separated signatures (during secret rotation); one match is enough.
 */
export function verifyWebhook(input: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  secret: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): VerifyResult {
  const header = (name: string) => {
    const value = input.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'timestamp_outside_tolerance' };
  }
  const expected = Buffer.from(signWebhook({ id, timestamp: Number(timestamp), body: input.body, secret: input.secret }));
  const match = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
