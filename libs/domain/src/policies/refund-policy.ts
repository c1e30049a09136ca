import { isValidMinorAmount } from '../money/money';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rules a refund request is decided under. A refund-request case copies the policy into its
 * context when it opens, so a later policy change never alters a case in flight and replaying
 * its events gives the same amounts.
 */
export interface RefundPolicy {
  /**
   * How long after the purchase a refund may still be granted, in days of 24 hours counted from
   * the purchase instant (the promise is calendar time, so the business calendar plays no part).
   */
  refundWindowDays: number;
  /** Whether a merchant or agent may refund less than what is refundable. */
  partialRefundsAllowed: boolean;
  /** Kept back from every purchase's refunds, in the purchase currency's minor units (0 for none). */
  nonRefundableFeeMinor: number;
}

export const DEFAULT_REFUND_POLICY: Readonly<RefundPolicy> = Object.freeze({
  refundWindowDays: 30,
  partialRefundsAllowed: true,
  nonRefundableFeeMinor: 0,
});

export interface RefundClaim {
  /** What the customer paid, in minor units. */
  amountMinor: number;
  /** ISO 8601 instants. */
  purchasedAt: string;
  requestedAt: string;
  /** What already went back for this purchase, in minor units. */
  alreadyRefundedMinor: number;
}

export function assertValidRefundPolicy(policy: RefundPolicy): void {
  if (!Number.isSafeInteger(policy.refundWindowDays) || policy.refundWindowDays < 0) {
    throw new RangeError(`refundWindowDays must be a non-negative integer, got ${policy.refundWindowDays}`);
  }
  if (!isValidMinorAmount(policy.nonRefundableFeeMinor)) {
    throw new RangeError(`nonRefundableFeeMinor must be a non-negative integer, got ${policy.nonRefundableFeeMinor}`);
  }
}

/** The last instant at which a refund of a purchase made at `purchasedAt` is within the policy. */
export function refundWindowEndsAt(policy: RefundPolicy, purchasedAt: string): string {
  return new Date(instant(purchasedAt, 'purchasedAt') + policy.refundWindowDays * DAY_MS).toISOString();
}

/** A request made before the purchase is not within the window: it can only be a data error. */
export function isWithinRefundWindow(policy: RefundPolicy, purchasedAt: string, requestedAt: string): boolean {
  const purchased = instant(purchasedAt, 'purchasedAt');
  const requested = instant(requestedAt, 'requestedAt');
  return requested >= purchased && requested - purchased <= policy.refundWindowDays * DAY_MS;
}

/**
 * The most that may still be refunded for a purchase: nothing outside the window, otherwise the
 * amount paid less the non-refundable fee and less what was already refunded (never negative).
 */
export function maxRefundableMinor(policy: RefundPolicy, claim: RefundClaim): number {
  assertValidRefundPolicy(policy);
  if (!isValidMinorAmount(claim.amountMinor)) throw new RangeError(`amountMinor must be a non-negative integer, got ${claim.amountMinor}`);
  if (!isValidMinorAmount(claim.alreadyRefundedMinor)) {
    throw new RangeError(`alreadyRefundedMinor must be a non-negative integer, got ${claim.alreadyRefundedMinor}`);
  }
  if (!isWithinRefundWindow(policy, claim.purchasedAt, claim.requestedAt)) return 0;
  return Math.max(0, claim.amountMinor - policy.nonRefundableFeeMinor - claim.alreadyRefundedMinor);
}

function instant(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${field} must be an ISO 8601 date-time, got ${iso}`);
  return ms;
}
