import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { DomainError, DomainErrorCode } from '@app/domain';
import { IdempotencyStore } from './idempotency-store';
import { requestHash } from './request-hash';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const JSON_TYPE = 'application/json; charset=utf-8';

const REDACT = 'idempotency:redact';

/**
 * Top-level response fields shown once and never stored (a webhook endpoint's signing secret): a
 * replay of the request returns them as null instead of keeping secrets in the key table for a day.
 */
export const IdempotencyRedacts = (...fields: string[]) => SetMetadata(REDACT, fields);

/** Set by the caller's guard: whose keys these are (`merchant:m_1`, `intake:wallet`). */
export type IdempotentRequest = FastifyRequest & { idempotencyScope?: string };

/**
 * Honours `Idempotency-Key` on POST routes. The handler's result is serialised here, once, and
 * those exact bytes are both sent and stored; a repeat of the request gets the stored bytes back
 * (with `Idempotent-Replayed: true`). The status is the route's, which is the same for a replay.
 * Must run after the guard that sets the scope and after any interceptor that parses the body.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
      return throwError(
        () =>
          new DomainError(DomainErrorCode.ValidationFailed, 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.', {
            fields: [{ path: 'Idempotency-Key', message: '1 to 255 visible ASCII characters' }],
          }),
      );
    }
    const scope = request.idempotencyScope;
    if (!scope) return throwError(() => new Error('IdempotencyInterceptor needs a guard that sets request.idempotencyScope'));
    const path = request.originalUrl.split('?')[0]!;
    const hash = requestHash({ method: request.method, path, body: request.body });

    return from(this.store.claim(scope, key, hash, path)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') {
          response.header('Content-Type', claim.contentType);
          response.header('Idempotent-Replayed', 'true');
          return of(claim.body.toString('utf8'));
        }
        return next.handle().pipe(
          mergeMap((value) => {
            const text = JSON.stringify(value ?? null);
            const redact = this.reflector.get<string[] | undefined>(REDACT, context.getHandler()) ?? [];
            const stored = redact.length && value && typeof value === 'object' ? JSON.stringify({ ...value, ...Object.fromEntries(redact.map((field) => [field, null])) }) : text;
            return from(this.store.complete(scope, key, claim.claim, { status: response.statusCode, contentType: JSON_TYPE, body: Buffer.from(stored, 'utf8') })).pipe(
              mergeMap(() => {
                response.header('Content-Type', JSON_TYPE);
                return of(text);
              }),
            );
          }),
          catchError((error: unknown) => from(this.store.release(scope, key, claim.claim).catch(() => undefined)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }
}
