/**
 * Side effects a machine asks for. Machines name them as actions with no implementation; the
 * engine turns each one that `transition()` returns into an outbox row committed with the
 * transition, and a worker carries it out (idempotently, keyed by the outbox row).
 */
export interface RequestRefundEffect {
  type: 'requestRefund';
  params: { amountMinor: number; currency: string; attempt: number };
}

export interface NotifyEffect {
  type: 'notify';
  /** A topic a subscriber (agent inbox, merchant webhook) may listen to, e.g. `dispute.decided`. */
  params: {
    topic: string;
    audience: ReadonlyArray<'merchant' | 'customer' | 'agents'>;
    /** Someone must act on it: it also lands in the agent inbox (the assignee's, else the supervisors' queue). */
    alert?: boolean;
  };
}

export interface AccountEffect {
  type: 'freezeAccount' | 'unfreezeAccount' | 'resetCredentials';
  params: { reason: string };
}

export interface BalanceCorrectionEffect {
  type: 'postBalanceCorrection';
  params: { amountMinor: number; currency: string; direction: 'credit' | 'debit' };
}

/** Asks the wallet whether the customer's pending transactions have settled (answer: PENDING_SETTLED / PENDING_STILL_OPEN). */
export interface CheckPendingTransactionsEffect {
  type: 'checkPendingTransactions';
  /** `attempt` numbers the checks of one case, so a late answer to an older check is dropped. */
  params: { refs: string[]; attempt: number };
}

/** Asks the wallet for the status of the case's transaction (answer: WALLET_TRANSACTION_STATUS). */
export interface CheckTransactionStatusEffect {
  type: 'checkTransactionStatus';
  params: { transactionRef: string };
}

export type CaseEffect = RequestRefundEffect | NotifyEffect | AccountEffect | BalanceCorrectionEffect | CheckPendingTransactionsEffect | CheckTransactionStatusEffect;

export const EFFECT_TYPES: ReadonlyArray<CaseEffect['type']> = [
  'requestRefund',
  'notify',
  'freezeAccount',
  'unfreezeAccount',
  'resetCredentials',
  'postBalanceCorrection',
  'checkPendingTransactions',
  'checkTransactionStatus',
];

/** Named no-op implementations for `setup({ actions })`: the engine, not the machine, performs effects. */
export const effectActions = {
  requestRefund: (_: unknown, _params: RequestRefundEffect['params']) => undefined,
  notify: (_: unknown, _params: NotifyEffect['params']) => undefined,
  freezeAccount: (_: unknown, _params: AccountEffect['params']) => undefined,
  unfreezeAccount: (_: unknown, _params: AccountEffect['params']) => undefined,
  resetCredentials: (_: unknown, _params: AccountEffect['params']) => undefined,
  postBalanceCorrection: (_: unknown, _params: BalanceCorrectionEffect['params']) => undefined,
  checkPendingTransactions: (_: unknown, _params: CheckPendingTransactionsEffect['params']) => undefined,
  checkTransactionStatus: (_: unknown, _params: CheckTransactionStatusEffect['params']) => undefined,
};

/**
 * Named actions the engine applies to the case row in the command's own transaction (not an
 * outbox effect): `escalate` raises the case's priority one step and marks it escalated, as an
 * SLA breach does (used when an approval waits past its deadline).
 */
export const ESCALATE_ACTION = 'escalate';
export const engineActions = {
  [ESCALATE_ACTION]: () => undefined,
};
