import { approverRefusal } from '../../approvals';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { balanceDiscrepancyDefinitionV2 } from './balance-discrepancy.v2.definition';
import { balanceDiscrepancyMachineV3, type BalanceDiscrepancyContextV3 } from './balance-discrepancy.v3.machine';

const v2Events = balanceDiscrepancyDefinitionV2.events as unknown as Record<string, EventSpec<BalanceDiscrepancyContextV3>>;

/**
 * Version 3 keeps version 2's events and names (clients keep working): a correction was already
 * a proposal and an approval. New is who may approve: a supervisor or admin other than the
 * proposer (SELF_APPROVAL), whose own refund limit covers the amount (APPROVAL_LIMIT_EXCEEDED).
 * Rejecting needs no such check (it moves no money; a supervisor may take back their own proposal).
 */
export const balanceDiscrepancyDefinitionV3: CaseMachineDefinition<BalanceDiscrepancyContextV3> = {
  ...balanceDiscrepancyDefinitionV2,
  version: 3,
  machine: balanceDiscrepancyMachineV3,
  recordsSender: true,
  approvalStates: ['awaitingApproval'],
  events: {
    ...v2Events,
    PROPOSE_CORRECTION: { ...v2Events.PROPOSE_CORRECTION!, description: "Propose a balance correction for a second person's approval (always needed)" },
    APPROVE_CORRECTION: {
      ...v2Events.APPROVE_CORRECTION!,
      description: 'Approve the proposed correction (a second person: not the proposer); the wallet posts it',
      authorise: (context, sender) => approverRefusal(context.proposal, sender),
    },
  },
  deadlines: {
    ...balanceDiscrepancyDefinitionV2.deadlines,
    approvalWindow: { label: 'Approval due' },
  },
};
