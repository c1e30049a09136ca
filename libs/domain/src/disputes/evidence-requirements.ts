import { DISPUTE_REASONS, type DisputeReason } from '../cases/case-kind';
import { DomainError, DomainErrorCode } from '../errors';

/**
 * Reason values of earlier releases and what they mean now. Cases opened with one keep it in their
 * machine input and snapshot (so their event log still replays); every view shows the new value,
 * and a new case given an old value is opened with the new one.
 */
export const LEGACY_DISPUTE_REASONS: Readonly<Record<string, DisputeReason>> = { duplicate: 'duplicate_charge' };

/** The reason as it is called now, for a stored or given value; null for one that never existed. */
export function canonicalDisputeReason(raw: string | null | undefined): DisputeReason | null {
  if (!raw) return null;
  if ((DISPUTE_REASONS as readonly string[]).includes(raw)) return raw as DisputeReason;
  return LEGACY_DISPUTE_REASONS[raw] ?? null;
}

/** Who the customer disputes with: a merchant answers through the merchant API; another wallet user does not take part. */
export type DisputeCounterparty = 'merchant' | 'wallet_user';

/**
 * Typed evidence, as in Stripe's and Adyen's dispute evidence. Each side hands items in under these
 * names (merchant text fields and file categories, customer file categories); a few older names
 * count as one of these (see EVIDENCE_ALIASES).
 */
export const EVIDENCE_TYPES = [
  'receipt',
  'transaction_record',
  'proof_of_delivery',
  'tracking_number',
  'product_description',
  'product_photos',
  'chat_log',
  'customer_communication',
  'service_documentation',
  'cancellation_policy',
  'cancellation_confirmation',
  'refund_policy',
  'refund_confirmation',
  'refund_refusal_explanation',
  'duplicate_charge_documentation',
  'authorisation_proof',
  'police_report',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** Merchant field and file names from before evidence had types, and the type they count as. */
export const EVIDENCE_ALIASES: Readonly<Record<string, EvidenceType>> = {
  shipping_proof: 'proof_of_delivery',
  shipping_documentation: 'proof_of_delivery',
};

/** The evidence type a field or file category counts as; null for uncategorised items (they count towards nothing). */
export function evidenceTypeOf(itemName: string): EvidenceType | null {
  if ((EVIDENCE_TYPES as readonly string[]).includes(itemName)) return itemName as EvidenceType;
  return EVIDENCE_ALIASES[itemName] ?? null;
}

export interface SideRequirements {
  /** Without every one of these the side's submission is refused (EVIDENCE_REQUIREMENTS_UNMET). */
  required: readonly EvidenceType[];
  /** These strengthen the case; nothing is refused without them. */
  optional: readonly EvidenceType[];
}

export interface ReasonRequirements {
  counterparty: DisputeCounterparty;
  /** What the customer must and may hand in. */
  customer: SideRequirements;
  /** What the merchant must and may submit to contest; null when there is no merchant. */
  merchant: SideRequirements | null;
}

/**
 * What each side owes per reason, modelled on Adyen's defense reasons and Stripe's evidence per
 * dispute reason: the merchant proves the thing the customer says did not happen; the customer
 * shows what their claim rests on. The wallet's own record of the transaction counts as the
 * customer's `transaction_record` when the case names the transaction.
 */
export const DISPUTE_EVIDENCE_REQUIREMENTS: Readonly<Record<DisputeReason, ReasonRequirements>> = {
  not_received: {
    counterparty: 'merchant',
    customer: { required: ['transaction_record'], optional: ['chat_log', 'receipt'] },
    merchant: { required: ['proof_of_delivery'], optional: ['tracking_number', 'receipt', 'customer_communication'] },
  },
  not_as_described: {
    counterparty: 'merchant',
    customer: { required: ['product_photos'], optional: ['chat_log', 'receipt'] },
    merchant: { required: ['product_description'], optional: ['refund_policy', 'customer_communication', 'receipt'] },
  },
  not_completed: {
    counterparty: 'merchant',
    customer: { required: ['transaction_record'], optional: ['chat_log', 'receipt'] },
    merchant: { required: ['service_documentation'], optional: ['customer_communication', 'receipt'] },
  },
  duplicate_charge: {
    counterparty: 'merchant',
    customer: { required: ['transaction_record'], optional: ['receipt'] },
    merchant: { required: ['duplicate_charge_documentation'], optional: ['receipt', 'customer_communication'] },
  },
  unauthorised: {
    counterparty: 'merchant',
    customer: { required: [], optional: ['police_report', 'chat_log'] },
    merchant: { required: ['authorisation_proof'], optional: ['proof_of_delivery', 'receipt', 'customer_communication'] },
  },
  credit_not_processed: {
    counterparty: 'merchant',
    customer: { required: ['refund_confirmation'], optional: ['chat_log', 'receipt'] },
    merchant: { required: ['refund_policy', 'refund_refusal_explanation'], optional: ['customer_communication'] },
  },
  cancelled: {
    counterparty: 'merchant',
    customer: { required: ['cancellation_confirmation'], optional: ['chat_log', 'receipt'] },
    merchant: { required: ['cancellation_policy'], optional: ['customer_communication', 'service_documentation'] },
  },
  peer_transfer: {
    counterparty: 'wallet_user',
    customer: { required: ['transaction_record'], optional: ['chat_log', 'police_report'] },
    merchant: null,
  },
};

/** The customer's items: their files' categories, and the wallet's own record of the transaction when the case names one. */
export function customerEvidenceItems(categories: readonly string[], transactionRef: string | null): string[] {
  return transactionRef ? [...categories, 'transaction_record'] : [...categories];
}

/** One side's requirements against what it has handed in so far. */
/** Who the dispute is against; a reason no release knew is treated as a merchant dispute, as every dispute was before. */
export function disputeCounterpartyOf(reason: string | null | undefined): DisputeCounterparty {
  const canonical = canonicalDisputeReason(reason);
  return canonical ? DISPUTE_EVIDENCE_REQUIREMENTS[canonical].counterparty : 'merchant';
}

export interface EvidenceRequirementsStatus {
  required: EvidenceType[];
  optional: EvidenceType[];
  /** Every type handed in (required, optional or neither), in catalogue order. */
  provided: EvidenceType[];
  /** Required types not yet handed in: empty when the side may submit. */
  missing: EvidenceType[];
}

/** Where one side stands; null for the merchant side of a dispute without a merchant (or a reason no release knew). */
export function evidenceRequirementsStatus(reason: string, side: 'customer' | 'merchant', providedItems: Iterable<string>): EvidenceRequirementsStatus | null {
  const canonical = canonicalDisputeReason(reason);
  const requirements = canonical ? DISPUTE_EVIDENCE_REQUIREMENTS[canonical][side] : null;
  if (!requirements) return null;
  const given = new Set<EvidenceType>();
  for (const item of providedItems) {
    const type = evidenceTypeOf(item);
    if (type) given.add(type);
  }
  return {
    required: [...requirements.required],
    optional: [...requirements.optional],
    provided: EVIDENCE_TYPES.filter((type) => given.has(type)),
    missing: requirements.required.filter((type) => !given.has(type)),
  };
}

/** The refusal of a submission that lacks required items, listing them; undefined when nothing is missing. */
export function evidenceRequirementsUnmet(status: EvidenceRequirementsStatus | null, reason: string, side: 'customer' | 'merchant'): DomainError | undefined {
  if (!status || status.missing.length === 0) return undefined;
  return new DomainError(
    DomainErrorCode.EvidenceRequirementsUnmet,
    `A ${canonicalDisputeReason(reason)} dispute needs this evidence from the ${side} first: ${status.missing.join(', ')}.`,
    { reason: canonicalDisputeReason(reason), side, missing: status.missing, required: status.required },
  );
}

export function reasonHint(): string {
  return `one of ${DISPUTE_REASONS.join(', ')} (${Object.entries(LEGACY_DISPUTE_REASONS)
    .map(([old, now]) => `${old} is read as ${now}`)
    .join('; ')})`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A dispute is filed within `windowDays` days of the transaction (card schemes allow about 120):
 * at the last millisecond of the window it is still in time. Undefined when it is in time.
 */
export function filingWindowRefusal(transactionAt: Date, filedAt: Date, windowDays: number): DomainError | undefined {
  const closesAt = new Date(transactionAt.getTime() + windowDays * DAY_MS);
  if (filedAt.getTime() <= closesAt.getTime()) return undefined;
  return new DomainError(
    DomainErrorCode.OutsideFilingWindow,
    `A dispute must be filed within ${windowDays} days of the transaction; this one's window closed at ${closesAt.toISOString()}.`,
    { filingWindowDays: windowDays, transactionAt: transactionAt.toISOString(), windowClosedAt: closesAt.toISOString() },
  );
}
