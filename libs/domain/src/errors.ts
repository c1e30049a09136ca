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
  /** The decision is above what the sender's role may decide alone: propose it for a second person's approval. */
  ApprovalRequired = 'APPROVAL_REQUIRED',
  /** The person who proposed a decision may not approve it. */
  SelfApproval = 'SELF_APPROVAL',
  /** The proposal is above what the approver's role may approve. */
  ApprovalLimitExceeded = 'APPROVAL_LIMIT_EXCEEDED',
  /** An appeal is decided by someone other than whoever made or approved the decision appealed against. */
  AppealNeedsAnotherDecider = 'APPEAL_NEEDS_ANOTHER_DECIDER',
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
  /** An active case of this kind already exists for the transaction; `existingCaseId` names it. */
  DuplicateCase = 'DUPLICATE_CASE',
  /** The idempotency key was used before with a different request. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** A request with this idempotency key is still running. */
  IdempotencyKeyInUse = 'IDEMPOTENCY_KEY_IN_USE',
  RateLimited = 'RATE_LIMITED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** Submitted evidence cannot be changed; new evidence may be staged only when the case asks for it. */
  EvidenceLocked = 'EVIDENCE_LOCKED',
  /** A webhook URL that is not allowed (private address, bad scheme, unresolvable host). */
  WebhookTargetRefused = 'WEBHOOK_TARGET_REFUSED',
  /** Too many failed logins for this account or from this address; `retryAfterSeconds` says when to try again. */
  LoginThrottled = 'LOGIN_THROTTLED',
  /** Every password-check slot is taken and the line is full: the server sheds the login instead of queueing without end. */
  LoginBusy = 'LOGIN_BUSY',
  /** The change would leave no active admin. */
  LastAdmin = 'LAST_ADMIN',
  /** This account signs in with a second factor: send `totpCode` (or a `recoveryCode`). */
  TotpRequired = 'TOTP_REQUIRED',
  /** The one-time code is wrong, expired or was used already. */
  InvalidTotp = 'INVALID_TOTP',
  /** The role needs two-factor login: until the agent enrols, the session may only enrol. */
  TotpEnrolmentRequired = 'TOTP_ENROLMENT_REQUIRED',
  TotpAlreadyEnabled = 'TOTP_ALREADY_ENABLED',
  /** The customer token (from the wallet backend) is malformed, wrongly signed, for another audience or too long-lived. */
  CustomerTokenInvalid = 'CUSTOMER_TOKEN_INVALID',
  /** The customer token has expired: the wallet backend mints a fresh one. */
  CustomerTokenExpired = 'CUSTOMER_TOKEN_EXPIRED',
  /** An answer to an information request on a case that is not waiting for the customer. */
  NotWaitingForCustomer = 'NOT_WAITING_FOR_CUSTOMER',
  /** The appeal window of the decision has closed. */
  AppealWindowClosed = 'APPEAL_WINDOW_CLOSED',
  /** The customer has already rated this case; a rating is given once. */
  AlreadyRated = 'ALREADY_RATED',
  /** Only a resolved or closed case can be rated. */
  CaseNotResolved = 'CASE_NOT_RESOLVED',
  /** A message to the merchant on a case that has none (only disputes with a merchant have that conversation). */
  MerchantNotAParty = 'MERCHANT_NOT_A_PARTY',
  /**
   * A dispute forwarded to a merchant who would never hear of it: none on the case, not registered,
   * or without an active API key or an enabled webhook endpoint. `reason` says which.
   */
  MerchantUnreachable = 'MERCHANT_UNREACHABLE',
  MacroNotFound = 'MACRO_NOT_FOUND',
  /** The merchant answered after its window's deadline had passed (even if the deadline has not fired yet). */
  ResponseWindowClosed = 'RESPONSE_WINDOW_CLOSED',
  /** A wallet callback whose signature matches none of the callback secrets (or has none). */
  InvalidSignature = 'INVALID_SIGNATURE',
  /** A wallet callback signed more than 300 s before or after now (a replay, or a skewed clock). */
  StaleSignature = 'STALE_SIGNATURE',
  /** A wallet callback about a refund or account action none of ours has the key of. */
  UnknownReference = 'UNKNOWN_REFERENCE',
  /** The wallet does not know the transaction a case names. */
  TransactionNotFound = 'TRANSACTION_NOT_FOUND',
  /** The disputed amount is more than the wallet's transaction. */
  AmountExceedsTransaction = 'AMOUNT_EXCEEDS_TRANSACTION',
  /** The merchant given is not the one the wallet's transaction was paid to. */
  MerchantMismatch = 'MERCHANT_MISMATCH',
  /** Refunds committed and paid on the transaction (all its cases together) would exceed what was captured. */
  RefundExceedsTransaction = 'REFUND_EXCEEDS_TRANSACTION',
  /** The wallet did not answer (down, timing out, circuit open); nothing was written. */
  WalletUnavailable = 'WALLET_UNAVAILABLE',
  /** A dispute submission lacks evidence its reason requires from that side; `missing` lists the evidence types. */
  EvidenceRequirementsUnmet = 'EVIDENCE_REQUIREMENTS_UNMET',
  /** The dispute is filed too long after the transaction (DISPUTE_FILING_WINDOW_DAYS). */
  OutsideFilingWindow = 'OUTSIDE_FILING_WINDOW',
  /** A test helper (test clocks, simulated disputes) called with a live key: they exist only in test mode. */
  TestModeOnly = 'TEST_MODE_ONLY',
  /** A test clock moves forward only: the new frozen time must be after the current one. */
  TestClockBackwards = 'TEST_CLOCK_BACKWARDS',
  /** The test clock is being advanced by another request; try again when it is `ready`. */
  TestClockAdvancing = 'TEST_CLOCK_ADVANCING',
  /** A merge the rules refuse; `reason` says which (itself, another customer, a closed or merged case, a chain). */
  MergeRefused = 'MERGE_REFUSED',
  /** The duplicate has refunds requested, in flight or paid: its money must be settled on it, not merged away. */
  MergeMoneyInvolved = 'MERGE_MONEY_INVOLVED',
  /** A case cannot be linked to itself. */
  LinkRefused = 'LINK_REFUSED',
  SavedViewNotFound = 'SAVED_VIEW_NOT_FOUND',
  /** The agent already has a saved view of this name (shared views are named apart by their owner). */
  SavedViewNameTaken = 'SAVED_VIEW_NAME_TAKEN',
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
