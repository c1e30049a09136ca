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
 * A DTO that tells a valid value by itself, for a route every command takes (an event sent to a
 * case): class-transformer and class-validator cost that request about 10 µs on an idle machine
 * and two to three hundredths of a millisecond of its CPU under load (docs/benchmarks.md, round 32).
 * `acceptsAsSent` answers true only for a value class-validator would pass with no error, and that
 * the handler may take as it was sent: plain fields, none transformed, no nested DTO. Whatever it
 * does not accept is validated as any other value, so a client's error is class-validator's, word
 * for word. Each such check has a test holding it to class-validator's verdict on generated values.
 */
export interface AcceptsAsSent {
  acceptsAsSent(value: unknown): boolean;
}

function acceptedAsSent(metatype: ArgumentMetadata['metatype'], value: unknown): boolean {
  return typeof metatype === 'function' && typeof (metatype as Partial<AcceptsAsSent>).acceptsAsSent === 'function' && (metatype as unknown as AcceptsAsSent).acceptsAsSent(value);
}

/** class-validator for every DTO, but a value its DTO accepts as sent (AcceptsAsSent) is passed on as it is. */
class DtoValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return acceptedAsSent(metadata.metatype, value) ? Promise.resolve(value) : super.transform(value, metadata);
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
