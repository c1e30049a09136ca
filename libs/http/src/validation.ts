import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, DomainErrorCode, type FieldIssue } from '@app/domain';

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
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new DomainError(DomainErrorCode.ValidationFailed, 'The request is invalid.', { fields: flatten(errors) }),
  });
}
