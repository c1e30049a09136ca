export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe } from './validation';
export { STATUS_OF, type ErrorBody } from './error-body';
export { bodyParserErrors } from './body-parser-errors';
