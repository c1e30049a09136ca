export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe, JsonObjectPipe } from './validation';
export { STATUS_OF, sendError, type ErrorBody } from './error-body';
export { bodyParserErrors } from './body-parser-errors';
export { inspectJsonText, rejectControlCharactersInQuery, verifyJsonBody, MAX_JSON_DEPTH } from './json-guards';
