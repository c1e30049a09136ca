import { EVIDENCE_TYPES } from '@domain/disputes/evidence-requirements';
import { ApiError } from '../api/client';
import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n/i18n';

const KNOWN = new Set<string>([
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNKNOWN_EVENT',
  'EVENT_NOT_ALLOWED',
  'EVENT_NOT_PERMITTED',
  'VERSION_CONFLICT',
  'CASE_NOT_FOUND',
  'NOT_FOUND',
  'REFUND_EXCEEDS_REMAINING',
  'REFUND_OUTSIDE_POLICY',
  'CURRENCY_MISMATCH',
  'INVALID_CREDENTIALS',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'AGENT_NOT_FOUND',
  'UNKNOWN_CASE_KIND',
  'INTERNAL_ERROR',
  'NETWORK_ERROR',
  'MACRO_NOT_FOUND',
  'MERCHANT_NOT_A_PARTY',
  'REFUND_EXCEEDS_TRANSACTION',
  'TRANSACTION_NOT_FOUND',
  'AMOUNT_EXCEEDS_TRANSACTION',
  'MERCHANT_MISMATCH',
  'WALLET_UNAVAILABLE',
  'INVALID_TOTP',
  'LOGIN_THROTTLED',
  'LOGIN_BUSY',
  'TOTP_ENROLMENT_REQUIRED',
  'LAST_ADMIN',
  'MERCHANT_UNREACHABLE',
  'APPROVAL_REQUIRED',
  'SELF_APPROVAL',
  'APPROVAL_LIMIT_EXCEEDED',
  'APPEAL_NEEDS_ANOTHER_DECIDER',
  'EVIDENCE_REQUIREMENTS_UNMET',
  'OUTSIDE_FILING_WINDOW',
  'MERGE_REFUSED',
  'MERGE_MONEY_INVOLVED',
  'LINK_REFUSED',
  'SAVED_VIEW_NOT_FOUND',
  'SAVED_VIEW_NAME_TAKEN',
]);

export function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : 'NETWORK_ERROR';
}

/** True for the answers that mean "the case is not what you saw": reload, keep the form. */
export function isStaleCase(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'VERSION_CONFLICT' || error.code === 'EVENT_NOT_ALLOWED');
}

/**
 * An error in words an agent understands, in their language. Built from the API's stable `code`
 * and its structured details only; the server's English `message` is never shown.
 */
export function errorText(error: unknown, i18n: I18n, currency?: string): string {
  const code = errorCode(error);
  const details = error instanceof ApiError ? error.details : {};
  if (!KNOWN.has(code)) return i18n.t('error.unknown', { code });
  if (code === 'REFUND_EXCEEDS_REMAINING') {
    const remaining = typeof details.remainingMinor === 'number' ? details.remainingMinor : undefined;
    const cur = typeof details.currency === 'string' ? details.currency : currency;
    return i18n.t('error.REFUND_EXCEEDS_REMAINING', { remaining: remaining !== undefined && cur ? i18n.money(remaining, cur) : '' });
  }
  if (code === 'REFUND_EXCEEDS_TRANSACTION') {
    const available = typeof details.availableMinor === 'number' ? details.availableMinor : undefined;
    const cur = typeof details.currency === 'string' ? details.currency : currency;
    return i18n.t('error.REFUND_EXCEEDS_TRANSACTION', { available: available !== undefined && cur ? i18n.money(available, cur) : '' });
  }
  if (code === 'APPROVAL_REQUIRED') {
    // The API names the event that proposes the decision instead (PROPOSE_FULL_REFUND, ...).
    const action = typeof details.proposeWith === 'string' ? i18n.event(details.proposeWith) : '';
    // Within the limit alone, but not with what this agent already decided alone on the transaction's other cases.
    const decided = typeof details.decidedAloneMinor === 'number' ? details.decidedAloneMinor : 0;
    const cur = typeof details.currency === 'string' ? details.currency : currency;
    if (decided > 0 && cur) return i18n.t('error.APPROVAL_REQUIRED_ON_TRANSACTION', { action, decided: i18n.money(decided, cur) });
    return i18n.t('error.APPROVAL_REQUIRED', { action });
  }
  if (code === 'APPROVAL_LIMIT_EXCEEDED') {
    const limit = typeof details.limitMinor === 'number' ? details.limitMinor : undefined;
    const cur = typeof details.currency === 'string' ? details.currency : currency;
    return i18n.t('error.APPROVAL_LIMIT_EXCEEDED', { limit: limit !== undefined && cur ? i18n.money(limit, cur) : '' });
  }
  if (code === 'MERCHANT_UNREACHABLE') return i18n.t('error.MERCHANT_UNREACHABLE', { why: merchantUnreachableText(details.reason, i18n) });
  if (code === 'EVIDENCE_REQUIREMENTS_UNMET') {
    const missing = Array.isArray(details.missing) ? details.missing.map((type) => evidenceTypeText(type, i18n)) : [];
    return i18n.t('error.EVIDENCE_REQUIREMENTS_UNMET', { items: missing.join(i18n.locale === 'zh-CN' ? '、' : ', ') });
  }
  if (code === 'OUTSIDE_FILING_WINDOW') return i18n.t('error.OUTSIDE_FILING_WINDOW', { days: String(details.filingWindowDays ?? '') });
  if (code === 'MERGE_REFUSED') return i18n.t('error.MERGE_REFUSED', { why: mergeRefusedText(details.reason, i18n) });
  if (code === 'INTERNAL_ERROR') return i18n.t('error.INTERNAL_ERROR', { errorId: String(details.errorId ?? '') });
  return i18n.t(`error.${code}` as MessageKey);
}

/** An evidence type of the API (proof_of_delivery, …) in words; an unknown one as it is. */
export function evidenceTypeText(type: unknown, i18n: I18n): string {
  const known = EVIDENCE_TYPES.find((candidate) => candidate === type);
  return known ? i18n.t(`case.evidence.type.${known}`) : String(type);
}

const UNREACHABLE_REASONS = ['no_merchant', 'merchant_not_registered', 'no_active_key_or_webhook'] as const;

/** Why a dispute cannot be forwarded to its merchant (the API's `reason`), as a sentence. */
export function merchantUnreachableText(reason: unknown, i18n: I18n): string {
  const known = UNREACHABLE_REASONS.find((candidate) => candidate === reason);
  return i18n.t(known ? `merchantUnreachable.${known}` : 'merchantUnreachable.unknown');
}

/** Field paths the API named in a VALIDATION_FAILED answer (e.g. `payload.amountMinor`). */
export function invalidFields(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const fields = error.details.fields;
  return Array.isArray(fields) ? fields.map((field) => String((field as { path?: unknown }).path ?? '')).filter(Boolean) : [];
}

const MERGE_REFUSALS = ['into_itself', 'duplicate_closed', 'already_merged', 'original_closed', 'original_merged', 'not_related', 'machine_version'] as const;

/** Why a merge was refused (the API's `reason`), as a sentence. */
export function mergeRefusedText(reason: unknown, i18n: I18n): string {
  const known = MERGE_REFUSALS.find((candidate) => candidate === reason);
  return i18n.t(known ? `mergeRefused.${known}` : 'mergeRefused.unknown');
}
