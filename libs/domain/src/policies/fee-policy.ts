import { DomainError, DomainErrorCode } from '../errors';
import { isValidMinorAmount, money, type Money } from '../money/money';

/** The fees the wallet charges. Each is data in a policy, never a literal in the code that charges it. */
export const FEE_KINDS = ['withdrawal', 'crossBorder'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/**
 * A percentage fee in basis points (1 bp = 0.01 %) with a floor and an optional cap, both in the
 * policy currency's minor units.
 */
export interface FeeRule {
  basisPoints: number;
  minimumMinor: number;
  maximumMinor?: number;
}

/** The fees for one currency: the minimum and maximum are minor units of that currency. */
export interface FeePolicy {
  currency: string;
  fees: Record<FeeKind, FeeRule>;
}

/** Withdrawal to a bank card 0.1 % (at least 0.10 CNY); cross-border payments 1.5 %. */
export const DEFAULT_FEE_POLICY: Readonly<FeePolicy> = Object.freeze({
  currency: 'CNY',
  fees: Object.freeze({
    withdrawal: Object.freeze({ basisPoints: 10, minimumMinor: 10 }),
    crossBorder: Object.freeze({ basisPoints: 150, minimumMinor: 0 }),
  }),
});

const BASIS_POINTS_PER_UNIT = 10_000n;

/**
 * The fee for moving `amount`. The percentage is rounded up to the next minor unit (the ledger
 * cannot hold a fraction of a fen, and rounding down would let many small payments go free),
 * then held between the rule's minimum and maximum. Nothing moves for a zero amount, so its fee
 * is zero. Integer arithmetic in BigInt: no float ever touches money.
 */
export function calculateFee(policy: FeePolicy, kind: FeeKind, amount: Money): Money {
  if (amount.currency !== policy.currency) {
    throw new DomainError(DomainErrorCode.CurrencyMismatch, `The ${kind} fee policy is for ${policy.currency}, not ${amount.currency}.`, {
      expected: policy.currency,
      actual: amount.currency,
    });
  }
  if (!isValidMinorAmount(amount.amountMinor)) throw new RangeError(`amountMinor must be a non-negative integer, got ${amount.amountMinor}`);
  const rule = policy.fees[kind];
  assertValidFeeRule(kind, rule);
  if (amount.amountMinor === 0) return money(0, policy.currency);

  const numerator = BigInt(amount.amountMinor) * BigInt(rule.basisPoints);
  const percentage = Number((numerator + BASIS_POINTS_PER_UNIT - 1n) / BASIS_POINTS_PER_UNIT);
  let fee = Math.max(percentage, rule.minimumMinor);
  if (rule.maximumMinor !== undefined) fee = Math.min(fee, rule.maximumMinor);
  return money(fee, policy.currency);
}

function assertValidFeeRule(kind: FeeKind, rule: FeeRule): void {
  if (!Number.isSafeInteger(rule.basisPoints) || rule.basisPoints < 0) {
    throw new RangeError(`${kind}.basisPoints must be a non-negative integer, got ${rule.basisPoints}`);
  }
  if (!isValidMinorAmount(rule.minimumMinor)) throw new RangeError(`${kind}.minimumMinor must be a non-negative integer`);
  if (rule.maximumMinor !== undefined && (!isValidMinorAmount(rule.maximumMinor) || rule.maximumMinor < rule.minimumMinor)) {
    throw new RangeError(`${kind}.maximumMinor must be an integer not below minimumMinor`);
  }
}
