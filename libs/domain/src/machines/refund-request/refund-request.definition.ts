import { z } from 'zod';
import { customerInfoEvents, none, reason } from '../shared/payloads';
import { DomainError, DomainErrorCode } from '../../errors';
import { DEFAULT_REFUND_POLICY, assertValidRefundPolicy, isWithinRefundWindow, refundWindowEndsAt, type RefundPolicy } from '../../policies/refund-policy';
import { refundExecutionEvents } from '../shared/refund-execution.events';
import type { CaseMachineDefinition, EventSpec, OpenCaseFacts } from '../definition';
import { refundRequestMachineV1, refundableNow, type RefundRequestContext, type RefundRequestInput } from './refund-request.machine';

const AGENTS = ['agent'] as const;
/** The merchant decides through their API; an agent may decide for them or in review. */
const MERCHANT_OR_AGENT = ['merchant', 'agent'] as const;
const CUSTOMER_OR_AGENT = ['customer', 'agent'] as const;

/** Refuses any refund the policy does not allow now: outside its window, or nothing left to refund. */
export function outsidePolicy(context: RefundRequestContext): DomainError | undefined {
  if (!isWithinRefundWindow(context.policy, context.purchasedAt, context.requestedAt)) {
    return new DomainError(
      DomainErrorCode.RefundOutsidePolicy,
      `The refund window of ${context.policy.refundWindowDays} days ended at ${refundWindowEndsAt(context.policy, context.purchasedAt)}; the request came later.`,
      { rule: 'refund_window', refundWindowDays: context.policy.refundWindowDays, purchasedAt: context.purchasedAt, requestedAt: context.requestedAt },
    );
  }
  if (refundableNow(context) === 0) {
    return new DomainError(DomainErrorCode.RefundExceedsRemaining, 'Nothing is refundable under the policy (the non-refundable fee covers the amount).', {
      remainingMinor: 0,
      currency: context.amount.currency,
    });
  }
  return undefined;
}

/**
 * Refuses a partial refund the policy does not allow: partial refunds not allowed, outside the
 * window, or not less than what is refundable (`instead` says what to do then).
 */
export function partialRefundOutsidePolicy(context: RefundRequestContext, amountMinor: number, instead = 'approve a full refund'): DomainError | undefined {
  if (!context.policy.partialRefundsAllowed) {
    return new DomainError(DomainErrorCode.RefundOutsidePolicy, 'The refund policy of this purchase allows full refunds only.', {
      rule: 'partial_refunds_not_allowed',
    });
  }
  const refusal = outsidePolicy(context);
  if (refusal) return refusal;
  const remaining = refundableNow(context);
  if (amountMinor >= remaining) {
    return new DomainError(
      DomainErrorCode.RefundExceedsRemaining,
      `A partial refund must be less than the ${remaining} ${context.amount.currency} minor units refundable; ${instead} instead.`,
      { remainingMinor: remaining, currency: context.amount.currency },
    );
  }
  return undefined;
}

function refundRequestEvents(): Record<string, EventSpec<RefundRequestContext>> {
  return {
    START_REVIEW: { description: 'Support takes the request over from the merchant', payload: none, sentBy: AGENTS, examples: [{}] },
    WITHDRAW: {
      description: 'The customer withdraws the request',
      payload: z.object({ reason: reason.optional() }).strict(),
      sentBy: CUSTOMER_OR_AGENT,
      examples: [{ reason: 'Kept the item after all' }],
    },
    ...customerInfoEvents({ question: 'Please send a photo of the damaged item', summary: 'Photo uploaded' }),
    APPROVE_FULL_REFUND: {
      description: 'Refund everything the policy allows (the amount less the non-refundable fee)',
      payload: z.object({ reason }).strict(),
      sentBy: MERCHANT_OR_AGENT,
      examples: [{ reason: 'Returned unopened' }],
      check: (context) => outsidePolicy(context),
    },
    APPROVE_PARTIAL_REFUND: {
      description: 'Refund part of the purchase, less than what the policy allows',
      payload: z.object({ amountMinor: z.number().int().positive(), reason }).strict(),
      sentBy: MERCHANT_OR_AGENT,
      examples: [{ amountMinor: 1000, reason: 'Returned without the original box' }],
      check: (context, payload: { amountMinor: number }) => partialRefundOutsidePolicy(context, payload.amountMinor),
    },
    REJECT: {
      description: 'Refuse the refund',
      payload: z.object({ reason }).strict(),
      sentBy: MERCHANT_OR_AGENT,
      examples: [{ reason: 'Outside the return conditions' }],
    },
    ...refundExecutionEvents('refund'),
  };
}

function validateRefundRequestFacts(facts: OpenCaseFacts): DomainError | undefined {
  const fields: { path: string; message: string }[] = [];
  if (!facts.amount || facts.amount.amountMinor <= 0) fields.push({ path: 'amount', message: 'required and greater than zero for a refund request' });
  if (!facts.purchasedAt || Number.isNaN(Date.parse(facts.purchasedAt))) {
    fields.push({ path: 'purchasedAt', message: 'required: the refund window is counted from the purchase' });
  } else if (Date.parse(facts.purchasedAt) > Date.parse(facts.openedAt)) {
    fields.push({ path: 'purchasedAt', message: 'may not be after the request' });
  }
  if (fields.length > 0) return new DomainError(DomainErrorCode.ValidationFailed, 'A refund request needs the purchase amount and date.', { fields });
  return undefined;
}

/**
 * The refund-request definition under a given refund policy. The registry uses the default
 * policy; the policy is copied into each case's input, so cases keep the terms they opened under.
 * (A request outside the window still opens: the customer gets an answer, but no approval passes.)
 */
export function createRefundRequestDefinitionV1(policy: RefundPolicy): CaseMachineDefinition<RefundRequestContext> {
  assertValidRefundPolicy(policy);
  const frozenPolicy: RefundPolicy = { ...policy };
  return {
    kind: 'refund_request',
    version: 1,
    machine: refundRequestMachineV1,
    validateFacts: validateRefundRequestFacts,
    buildInput(facts, windows): RefundRequestInput {
      return {
        amount: facts.amount!,
        reason: facts.reason,
        transactionRef: facts.transactionRef,
        purchasedAt: new Date(facts.purchasedAt!).toISOString(),
        requestedAt: new Date(facts.openedAt).toISOString(),
        policy: { ...frozenPolicy },
        windows,
      };
    },
    events: refundRequestEvents(),
    deadlines: {
      merchantResponseWindow: { label: 'Merchant response due' },
      infoReplyWindow: { label: 'Reply to information request due' },
      appealWindow: { label: 'Case closes' },
      refundRetryBackoff: { label: 'Automatic refund retry' },
    },
  };
}

export const refundRequestDefinitionV1 = createRefundRequestDefinitionV1(DEFAULT_REFUND_POLICY);
