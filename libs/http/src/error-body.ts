import { HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainErrorCode } from '@app/domain';

/** The one place domain error codes become HTTP status codes. */
export const STATUS_OF: Record<DomainErrorCode, HttpStatus> = {
  [DomainErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.UnknownCaseKind]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.UnknownEvent]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.EventNotAllowed]: HttpStatus.CONFLICT,
  [DomainErrorCode.EventNotPermitted]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.ApprovalRequired]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.SelfApproval]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.ApprovalLimitExceeded]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.AppealNeedsAnotherDecider]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.VersionConflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.CaseNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.RefundExceedsRemaining]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.CurrencyMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.RefundOutsidePolicy]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.UnknownMachineVersion]: HttpStatus.INTERNAL_SERVER_ERROR,
  [DomainErrorCode.AgentNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.InvalidCredentials]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.DuplicateCase]: HttpStatus.CONFLICT,
  [DomainErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.IdempotencyKeyInUse]: HttpStatus.CONFLICT,
  [DomainErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [DomainErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [DomainErrorCode.EvidenceLocked]: HttpStatus.CONFLICT,
  [DomainErrorCode.WebhookTargetRefused]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.LoginThrottled]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.LoginBusy]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.LastAdmin]: HttpStatus.CONFLICT,
  [DomainErrorCode.TotpRequired]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.InvalidTotp]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.TotpEnrolmentRequired]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.TotpAlreadyEnabled]: HttpStatus.CONFLICT,
  [DomainErrorCode.CustomerTokenInvalid]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.CustomerTokenExpired]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.NotWaitingForCustomer]: HttpStatus.CONFLICT,
  [DomainErrorCode.AppealWindowClosed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.AlreadyRated]: HttpStatus.CONFLICT,
  [DomainErrorCode.CaseNotResolved]: HttpStatus.CONFLICT,
  [DomainErrorCode.MerchantNotAParty]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.MerchantUnreachable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.MacroNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.ResponseWindowClosed]: HttpStatus.CONFLICT,
  [DomainErrorCode.TestModeOnly]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.TestClockBackwards]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.TestClockAdvancing]: HttpStatus.CONFLICT,
  [DomainErrorCode.InvalidSignature]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.StaleSignature]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.UnknownReference]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.TransactionNotFound]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.AmountExceedsTransaction]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.MerchantMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.RefundExceedsTransaction]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.WalletUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.EvidenceRequirementsUnmet]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.OutsideFilingWindow]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.MergeRefused]: HttpStatus.CONFLICT,
  [DomainErrorCode.MergeMoneyInvolved]: HttpStatus.CONFLICT,
  [DomainErrorCode.LinkRefused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.SavedViewNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.SavedViewNameTaken]: HttpStatus.CONFLICT,
};

/**
 * Every error response: a stable code, a message for people, details where they help, and the
 * request's id (as in the X-Request-Id header), which finds the request's log lines and
 * everything it caused.
 */
export interface ErrorBody {
  code: string;
  message: string;
  requestId?: string;
  [detail: string]: unknown;
}

/**
 * Answers with an error body, adding the id the API gave the request (its X-Request-Id). Returns
 * the reply: a Fastify hook that answers returns it, so that the request goes no further.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).send({ ...body, requestId: request.id });
}

/** Codes for errors raised by the HTTP layer itself rather than the domain. */
export const HTTP_ERROR_CODES: Partial<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};
