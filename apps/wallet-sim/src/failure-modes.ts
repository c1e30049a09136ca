/**
 * The simulator's deterministic failure modes, chosen by the transaction reference's prefix so a
 * test or a demo picks the wallet's behaviour by the reference it uses.
 */
export type RefundMode = 'normal' | 'decline' | 'timeout' | 'slow' | 'lost_callback' | 'duplicate_callback';

const PREFIXES: Array<[string, RefundMode]> = [
  ['DECLINE-', 'decline'],
  ['TIMEOUT-', 'timeout'],
  ['SLOW-', 'slow'],
  ['LOSTCB-', 'lost_callback'],
  ['DUPCB-', 'duplicate_callback'],
];

/** `ref` is normalised (upper case). */
export function refundModeFor(ref: string): RefundMode {
  return PREFIXES.find(([prefix]) => ref.startsWith(prefix))?.[1] ?? 'normal';
}

/** How many times each callback of this mode is delivered (DUPCB-: twice, LOSTCB-: never). */
export function callbackCopiesFor(mode: RefundMode): number {
  if (mode === 'lost_callback') return 0;
  return mode === 'duplicate_callback' ? 2 : 1;
}

/** Account actions on an account whose id starts LOSTCB- complete without a callback. */
export function accountCallbackCopies(accountId: string): number {
  return accountId.toUpperCase().startsWith('LOSTCB-') ? 0 : 1;
}

/** With SIM_AUTO_TRANSACTIONS, references starting UNKNOWN- stay unknown. */
export function mayAutoCreate(ref: string): boolean {
  return !ref.startsWith('UNKNOWN-');
}

export const DECLINE_REASON = 'issuer_declined';
/** SLOW- refunds: what the bank announces, until a control route settles them. */
export const SLOW_ARRIVAL_MS = 3 * 24 * 60 * 60 * 1000;
