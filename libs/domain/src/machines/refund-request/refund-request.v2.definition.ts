import { z } from 'zod';
import { DEFAULT_REFUND_POLICY, type RefundPolicy } from '../../policies/refund-policy';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { approvalEvents } from '../shared/approval.events';
import { reason } from '../shared/payloads';
import { createRefundRequestDefinitionV1, outsidePolicy, partialRefundOutsidePolicy } from './refund-request.definition';
import { refundableNow } from './refund-request.machine';
import { refundRequestMachineV2, type RefundRequestContextV2 } from './refund-request.v2.machine';

/**
 * The refund-request definition, version 2, under a given refund policy: version 1's catalogue
 * with four eyes. An approval within the sender's refund limit is decided alone (merchants have
 * none); above it, APPROVAL_REQUIRED names the proposal to send instead. Proposals pass the same
 * policy checks as approvals, so a proposal the policy refuses never waits for anyone.
 */
export function createRefundRequestDefinitionV2(policy: RefundPolicy): CaseMachineDefinition<RefundRequestContextV2> {
  const v1 = createRefundRequestDefinitionV1(policy);
  const v1Events = v1.events as Record<string, EventSpec<RefundRequestContextV2>>;
  return {
    ...v1,
    version: 2,
    machine: refundRequestMachineV2,
    recordsSender: true,
    approvalStates: ['awaitingApproval'],
    events: {
      ...v1Events,
      APPROVE_FULL_REFUND: {
        ...v1Events.APPROVE_FULL_REFUND!,
        decidesAlone: { proposeWith: 'PROPOSE_FULL_REFUND', amountMinor: refundableNow },
      },
      APPROVE_PARTIAL_REFUND: {
        ...v1Events.APPROVE_PARTIAL_REFUND!,
        decidesAlone: { proposeWith: 'PROPOSE_PARTIAL_REFUND', amountMinor: (_context, payload?: { amountMinor: number }) => payload?.amountMinor },
      },
      PROPOSE_FULL_REFUND: {
        description: "Propose refunding everything the policy allows, for a second person's approval",
        payload: z.object({ reason }).strict(),
        sentBy: ['agent'],
        check: (context) => outsidePolicy(context),
        examples: [{ reason: 'Returned unopened' }],
      },
      PROPOSE_PARTIAL_REFUND: {
        description: "Propose a partial refund (less than the policy allows), for a second person's approval",
        payload: z.object({ amountMinor: z.number().int().positive(), reason }).strict(),
        sentBy: ['agent'],
        check: (context, payload: { amountMinor: number }) => partialRefundOutsidePolicy(context, payload.amountMinor, 'propose a full refund (PROPOSE_FULL_REFUND)'),
        examples: [{ amountMinor: 1000, reason: 'Returned without the original box' }],
      },
      ...approvalEvents<RefundRequestContextV2>(),
    },
    deadlines: {
      ...v1.deadlines,
      approvalWindow: { label: 'Approval due' },
    },
  };
}

export const refundRequestDefinitionV2 = createRefundRequestDefinitionV2(DEFAULT_REFUND_POLICY);
