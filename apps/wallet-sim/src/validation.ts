import { SimHttpError } from './http';

/** Small field readers for request bodies: each refusal is a 400 VALIDATION_FAILED naming the field. */
export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The body must be a JSON object.');
  return value as Body;
}

export function text(body: Body, field: string, options: { max?: number } = {}): string {
  const value = body[field];
  const max = options.max ?? 200;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) throw invalid(`${field} must be a non-empty string of at most ${max} characters.`);
  return value;
}

export function optionalText(body: Body, field: string, options: { max?: number } = {}): string | null {
  return body[field] === undefined || body[field] === null ? null : text(body, field, options);
}

export function positiveAmount(body: Body, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalid(`${field} must be a positive integer (minor units).`);
  return value;
}

export function currency(body: Body, field = 'currency'): string {
  const value = body[field];
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) throw invalid(`${field} must be an ISO 4217 code in upper case, e.g. CNY.`);
  return value;
}

export function oneOf<T extends string>(body: Body, field: string, allowed: readonly T[], fallback?: T): T {
  const value = body[field] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(`${field} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

export function invalid(message: string): SimHttpError {
  return new SimHttpError(400, 'VALIDATION_FAILED', message);
}
