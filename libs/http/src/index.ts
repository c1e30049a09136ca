export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe, JsonObjectPipe } from './validation';
export { HTTP_ERROR_CODES, sendError, type ErrorBody } from './error-body';
export { useJsonBodyReader, type WithRawBody } from './json-body';
export { refuseControlCharactersInQuery } from './json-guards';
