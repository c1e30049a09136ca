import { z } from 'zod';
import { none, reason } from '../shared/payloads';
import { DomainError, DomainErrorCode } from '../../errors';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { balanceDiscrepancyMachineV1, type BalanceDiscrepancyContext, type BalanceDiscrepancyInput } from './balance-discrepancy.machine';

const AGENTS = ['agent'] as const;

const balanceDiscrepancyEvents: Record<string, EventSpec<BalanceDiscrepancyContext>> = {
  START_PENDING_CHECK: { description: 'Start checking the pending transactions', payload: none, sentBy: AGENTS, examples: [{}] },
  PENDING_CHECKED: {
    description: 'The result of the pending-transaction check (by an agent or the ledger service)',
    payload: z
      .object({
        explained: z.boolean(),
        pendingTransactionRefs: z.array(z.string().trim().min(1).max(200)).max(100),
        note: reason,
      })
      .strict(),
    sentBy: ['agent', 'system'],
    examples: [
      { explained: true, pendingTransactionRefs: ['tx_pending_1'], note: 'A top-up is still settling' },
      { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' },
    ],
  },
  PROPOSE_CORRECTION: {
    description: 'Propose a balance correction for a supervisor to approve',
    payload: z.object({ amountMinor: z.number().int().positive(), direction: z.enum(['credit', 'debit']), reason }).strict(),
    sentBy: AGENTS,
    examples: [{ amountMinor: 500, direction: 'credit', reason: 'Cashback was never credited' }],
  },
  APPROVE_CORRECTION: {
    description: 'Approve the proposed correction; the ledger posting follows',
    payload: none,
    sentBy: AGENTS,
    minimumRole: 'supervisor',
    examples: [{}],
  },
  REJECT_CORRECTION: {
    description: 'Send the proposal back to the agent',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    minimumRole: 'supervisor',
    examples: [{ reason: 'Attach the cashback campaign terms' }],
  },
  RESOLVE_WITHOUT_CORRECTION: {
    description: 'The balance is right; explain why and resolve',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'The difference is a card fee shown on the statement' }],
  },
  CORRECTION_POSTED: {
    description: 'The ledger posted the correction',
    payload: z.object({ ledgerEntryRef: z.string().trim().min(1).max(200) }).strict(),
    sentBy: ['system'],
    examples: [{ ledgerEntryRef: 'le_0001' }],
  },
};

export const balanceDiscrepancyDefinitionV1: CaseMachineDefinition<BalanceDiscrepancyContext> = {
  kind: 'balance_discrepancy',
  version: 1,
  machine: balanceDiscrepancyMachineV1,
  validateFacts(facts) {
    if (!facts.amount || facts.amount.amountMinor <= 0) {
      return new DomainError(DomainErrorCode.ValidationFailed, 'A balance discrepancy needs the difference the customer sees.', {
        fields: [{ path: 'amount', message: 'required and greater than zero for a balance discrepancy' }],
      });
    }
    return undefined;
  },
  buildInput(facts, windows): BalanceDiscrepancyInput {
    return { reported: facts.amount!, reason: facts.reason, windows };
  },
  // A proposed correction waits for a supervisor here (cases in flight on v1 are in the approvals queue too).
  approvalStates: ['correctionProposed'],
  events: balanceDiscrepancyEvents,
  deadlines: {
    appealWindow: { label: 'Case closes' },
  },
};
