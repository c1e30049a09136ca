export { IdempotencyModule } from './idempotency.module';
export { IdempotencyInterceptor, IdempotencyRedacts, IDEMPOTENCY_HEADER, type IdempotentRequest } from './idempotency.interceptor';
export { IdempotencyStore, type ClaimOutcome } from './idempotency-store';
export { canonicalJson, requestHash } from './request-hash';
