import { ValidationPipe, type ValidationError } from '@nestjs/common';
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
 * DTO validation for every route: unknown fields are refused (not silently dropped), types are
 * not coerced in bodies, and every failure lists the fields.
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadataLookups();
  return new ValidationPipe({
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
