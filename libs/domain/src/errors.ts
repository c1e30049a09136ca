/**
 * Every failure a caller can cause has a stable code. Domain code throws DomainError only;
 * the HTTP layer maps codes to status codes in one place (libs/http), and a worker maps them
 * to "drop the job" versus "retry".
 */
export enum DomainErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  UnknownCaseKind = 'UNKNOWN_CASE_KIND',
  UnknownEvent = 'UNKNOWN_EVENT',
  EventNotAllowed = 'EVENT_NOT_ALLOWED',
  EventNotPermitted = 'EVENT_NOT_PERMITTED',
  VersionConflict = 'VERSION_CONFLICT',
  CaseNotFound = 'CASE_NOT_FOUND',
  RefundExceedsRemaining = 'REFUND_EXCEEDS_REMAINING',
  /** The refund policy does not allow this refund (outside its window, or a partial refund where none are allowed). */
  RefundOutsidePolicy = 'REFUND_OUTSIDE_POLICY',
  CurrencyMismatch = 'CURRENCY_MISMATCH',
  UnknownMachineVersion = 'UNKNOWN_MACHINE_VERSION',
  AgentNotFound = 'AGENT_NOT_FOUND',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { allowedEvents?: string[]; fields?: FieldIssue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
