import { z } from 'zod';
import { none } from '../shared/payloads';
import { DomainError, DomainErrorCode } from '../../errors';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { balanceDiscrepancyDefinitionV1 } from './balance-discrepancy.definition';
import { balanceDiscrepancyMachineV2, type BalanceDiscrepancyContextV2 } from './balance-discrepancy.v2.machine';

/** The wallet's answers and callbacks arrive as events of the `system` actor, and only from it. */
const WALLET = ['system'] as const;
const refs = z.array(z.string().trim().min(1).max(200)).max(100);
const v1Events = balanceDiscrepancyDefinitionV1.events;

const balanceDiscrepancyEventsV2: Record<string, EventSpec<BalanceDiscrepancyContextV2>> = {
  START_PENDING_CHECK: v1Events.START_PENDING_CHECK!,
  PENDING_CHECKED: {
    ...v1Events.PENDING_CHECKED!,
    description: 'The result of the pending-transaction check; "explained" names the pending transactions, which the wallet must then show settled',
    check(_context, payload: { explained: boolean; pendingTransactionRefs: string[] }) {
      if (!payload.explained || payload.pendingTransactionRefs.length > 0) return undefined;
      return new DomainError(DomainErrorCode.ValidationFailed, 'A difference explained by pending transactions must name them.', {
        fields: [{ path: 'payload.pendingTransactionRefs', message: 'at least one reference when explained is true' }],
      });
    },
  },
  PENDING_SETTLED: {
    description: 'The wallet shows every pending transaction of the check settled',
    payload: z.object({ settledRefs: refs }).strict(),
    sentBy: WALLET,
    examples: [{ settledRefs: ['TX_PENDING_1'] }],
  },
  PENDING_STILL_OPEN: {
    description: 'The wallet shows some of them not settled yet (or failed, or unknown)',
    payload: z.object({ openRefs: refs.min(1) }).strict(),
    sentBy: WALLET,
    examples: [{ openRefs: ['TX_PENDING_1'] }],
  },
  RECHECK_PENDING: {
    description: 'Ask the wallet once more whether the pending transactions settled',
    payload: none,
    sentBy: ['agent'],
    examples: [{}],
  },
  PROPOSE_CORRECTION: v1Events.PROPOSE_CORRECTION!,
  APPROVE_CORRECTION: { ...v1Events.APPROVE_CORRECTION!, description: 'Approve the proposed correction; the wallet posts it' },
  REJECT_CORRECTION: v1Events.REJECT_CORRECTION!,
  RESOLVE_WITHOUT_CORRECTION: v1Events.RESOLVE_WITHOUT_CORRECTION!,
  CORRECTION_POSTED: {
    ...v1Events.CORRECTION_POSTED!,
    description: 'The wallet posted the correction (its callback, with the ledger entry)',
    sentBy: WALLET,
  },
};

export const balanceDiscrepancyDefinitionV2: CaseMachineDefinition<BalanceDiscrepancyContextV2> = {
  kind: 'balance_discrepancy',
  version: 2,
  machine: balanceDiscrepancyMachineV2,
  validateFacts: balanceDiscrepancyDefinitionV1.validateFacts,
  buildInput: balanceDiscrepancyDefinitionV1.buildInput,
  // A proposed correction waits for a supervisor here (cases in flight on v2 are in the approvals queue too).
  approvalStates: ['correctionProposed'],
  events: balanceDiscrepancyEventsV2,
  deadlines: {
    pendingRecheckBackoff: { label: 'Wallet asked again about pending transactions' },
    walletConfirmationWindow: { label: 'Wallet confirmation of the correction due' },
    appealWindow: { label: 'Case closes' },
  },
};
