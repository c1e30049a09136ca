import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, DomainErrorCode, type FieldIssue } from '@app/domain';
import { cacheValidationMetadataLookups } from './validation-metadata-cache';

function flatten(errors: ValidationError[], parent = ''): FieldIssue[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * A DTO that tells a valid body by itself, for a route every command takes (an event sent to a
 * case), where class-transformer's copy and class-validator's rules cost more than the rest of the
 * route's pipeline (docs/benchmarks.md, round 32). `acceptsAsSent` answers true only for a body
 * class-validator would pass with no error, of plain fields the handler may take as sent (none
 * transformed, no nested DTO). Whatever it does not accept is validated as any other body, so a
 * client's error is class-validator's, word for word; each such check has a test holding it to
 * class-validator's verdict on generated bodies.
 */
export interface AcceptsAsSent {
  acceptsAsSent(body: unknown): boolean;
}

/**
 * Keys Nest's pipe deletes and class-transformer leaves out on the way to the handler (`__proto__`,
 * `constructor`, `prototype`, the names of Object's own methods), at any depth: a body holding
 * one takes the long way, so no handler ever sees one.
 */
function holdsStrippedKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  for (const key of Object.keys(value)) {
    if (key === 'prototype' || key in Object.prototype || holdsStrippedKey((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function takenAsSent(metadata: ArgumentMetadata, value: unknown): boolean {
  const check = (metadata.metatype as Partial<AcceptsAsSent> | undefined)?.acceptsAsSent;
  return metadata.type === 'body' && typeof check === 'function' && check.call(metadata.metatype, value) && !holdsStrippedKey(value);
}

/** class-validator for every DTO, but a body its DTO accepts as sent (AcceptsAsSent) is handed on as it is. */
class DtoValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return takenAsSent(metadata, value) ? Promise.resolve(value) : super.transform(value, metadata);
  }
}

/**
 * DTO validation for every route: unknown fields are refused (not silently dropped), types are
 * not coerced in bodies, and every failure lists the fields.
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadataLookups();
  return new DtoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new DomainError(DomainErrorCode.ValidationFailed, 'The request is invalid.', { fields: flatten(errors) }),
  });
}

/**
 * For routes whose body is checked by a schema in the use case rather than a DTO: the body must at
 * least be a JSON object (not `false`, an array, or missing because it was not JSON at all).
 */
export class JsonObjectPipe {
  transform(value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'The request body must be a JSON object.', { fields: [{ path: '', message: 'must be a JSON object' }] });
    }
    return value as Record<string, unknown>;
  }
}
