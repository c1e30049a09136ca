export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe, JsonObjectPipe } from './validation';
export { STATUS_OF, sendError, type ErrorBody } from './error-body';
export { readBodiesAsThisApiDoes, type WithRawBody } from './json-body';
export { inspectJsonText, refuseControlCharactersInQuery, MAX_JSON_DEPTH } from './json-guards';
