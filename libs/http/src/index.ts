export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe, JsonObjectPipe, type AcceptsAsSent } from './validation';
export { HTTP_ERROR_CODES, STATUS_OF, sendError, type ErrorBody } from './error-body';
export { useJsonBodyReader, type WithRawBody } from './json-body';
export { inspectJsonText, refuseControlCharactersInQuery, MAX_JSON_DEPTH } from './json-guards';
