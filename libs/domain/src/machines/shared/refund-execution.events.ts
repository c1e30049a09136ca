import { z } from 'zod';
import { DomainError, DomainErrorCode } from '../../errors';
import type { Money } from '../../money/money';
import { remainingRefundable } from '../../money/money';
import type { EventSpec } from '../definition';

/**
 * The events of the refund-execution sub-flow (pending → succeeded | failed → retry) that every
 * kind which pays money back shares: the gateway's two answers and an agent's retry.
 * `noun` names the money movement in descriptions ("refund", "reversal").
 */
export function refundExecutionEvents(noun: 'refund' | 'reversal'): Record<'REFUND_SUCCEEDED' | 'REFUND_FAILED' | 'RETRY_REFUND', EventSpec> {
  return {
    REFUND_SUCCEEDED: {
      description: `The payment gateway confirmed the ${noun}`,
      payload: z.object({ gatewayRefundId: z.string().min(1).max(200) }).strict(),
      sentBy: ['system'],
      examples: [{ gatewayRefundId: 'rf_0001' }],
    },
    REFUND_FAILED: {
      description: `The payment gateway refused or failed the ${noun}`,
      payload: z.object({ failureReason: z.string().min(1).max(2000) }).strict(),
      sentBy: ['system'],
      examples: [{ failureReason: 'gateway_timeout' }],
    },
    RETRY_REFUND: { description: `Try the failed ${noun} again`, payload: z.object({}).strict(), sentBy: ['agent'], examples: [{}] },
  };
}

/**
 * A partial refund must leave something owed, otherwise it is a full refund (which refunds exactly
 * what is left). `fullEvent` names the event to use instead, for the message.
 */
export function partialRefundBelowRemaining(context: { amount: Money; refundedMinor: number }, amountMinor: number, fullEvent: string): DomainError | undefined {
  const remaining = remainingRefundable(context.amount, context.refundedMinor);
  if (amountMinor < remaining) return undefined;
  return new DomainError(
    DomainErrorCode.RefundExceedsRemaining,
    `A partial refund must be less than the ${remaining} ${context.amount.currency} minor units still refundable; use ${fullEvent} instead.`,
    { remainingMinor: remaining, currency: context.amount.currency },
  );
}
