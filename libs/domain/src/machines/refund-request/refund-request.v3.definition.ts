import { z } from 'zod';
import { DomainError, DomainErrorCode } from '../../errors';
import { assertValidRefundPolicy, DEFAULT_REFUND_POLICY, type RefundPolicy } from '../../policies/refund-policy';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { reason } from '../shared/payloads';
import type { RefundRequestInput } from './refund-request.machine';
import { createRefundRequestDefinitionV2 } from './refund-request.v2.definition';
import { refundRequestMachineV3, type RefundRequestContextV3 } from './refund-request.v3.machine';

/**
 * The refund-request definition, version 3: version 2's catalogue, plus APPEAL (the customer
 * contests the merchant's rejection), and the policy taken from the facts when the merchant has
 * one of their own (else `policy`, the global one). The machine refuses APPEAL unless the last
 * decision is the merchant's rejection and nothing was contested yet.
 */
export function createRefundRequestDefinitionV3(policy: RefundPolicy): CaseMachineDefinition<RefundRequestContextV3> {
  const v2 = createRefundRequestDefinitionV2(policy);
  return {
    ...v2,
    version: 3,
    machine: refundRequestMachineV3,
    buildInput(facts, windows): RefundRequestInput {
      const input = v2.buildInput(facts, windows) as RefundRequestInput;
      if (!facts.refundPolicy) return input;
      assertValidRefundPolicy(facts.refundPolicy);
      const { refundWindowDays, partialRefundsAllowed, nonRefundableFeeMinor } = facts.refundPolicy;
      return { ...input, policy: { refundWindowDays, partialRefundsAllowed, nonRefundableFeeMinor } };
    },
    events: {
      ...(v2.events as Record<string, EventSpec<RefundRequestContextV3>>),
      REJECT: {
        ...(v2.events.REJECT as EventSpec<RefundRequestContextV3>),
        sentBy: ['agent', 'merchant'],
        // The merchant may still concede (approve) a contested request, but not say "no" twice: support decides.
        authorise: (context, sender) =>
          sender.kind === 'merchant' && context.contest
            ? new DomainError(DomainErrorCode.EventNotPermitted, 'The customer contested your rejection: support decides this request now.', { contested: true })
            : undefined,
      },
      APPEAL: {
        description: "Contest the merchant's rejection (once, within the appeal window): support reviews the request",
        payload: z.object({ reason }).strict(),
        sentBy: ['customer', 'agent'],
        examples: [{ reason: 'The item arrived broken; photos attached' }],
      },
    },
  };
}

export const refundRequestDefinitionV3 = createRefundRequestDefinitionV3(DEFAULT_REFUND_POLICY);
