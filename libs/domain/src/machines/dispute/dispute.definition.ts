import { z } from 'zod';
import { DISPUTE_REASONS, type DisputeReason } from '../../cases/case-kind';
import { DomainError, DomainErrorCode } from '../../errors';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { customerInfoEvents, none, reason, text } from '../shared/payloads';
import { partialRefundBelowRemaining, refundExecutionEvents } from '../shared/refund-execution.events';
import { disputeMachineV1, type DisputeContext } from './dispute.machine';

const AGENTS = ['agent'] as const;
/** Agents may record what a merchant said on the phone; merchants send these through their API. */
const MERCHANT_OR_AGENT = ['merchant', 'agent'] as const;
const CUSTOMER_OR_AGENT = ['customer', 'agent'] as const;

const disputeEvents: Record<string, EventSpec<DisputeContext>> = {
  FORWARD_TO_MERCHANT: { description: 'Ask the merchant to respond', payload: none, sentBy: AGENTS, examples: [{}] },
  WITHDRAW: {
    description: 'The customer withdraws the dispute',
    payload: z.object({ reason: reason.optional() }).strict(),
    sentBy: CUSTOMER_OR_AGENT,
    examples: [{ reason: 'The parcel arrived after all' }],
  },
  MERCHANT_ACCEPT: {
    description: 'The merchant accepts the dispute; the refund follows',
    payload: none,
    sentBy: MERCHANT_OR_AGENT,
    examples: [{}],
  },
  MERCHANT_CONTEST: {
    description: 'The merchant contests the dispute with evidence',
    payload: z.object({ summary: text }).strict(),
    sentBy: MERCHANT_OR_AGENT,
    examples: [{ summary: 'Courier tracking shows delivery to the buyer on 3 May' }],
  },
  ...customerInfoEvents({ question: 'Please send a photo of the parcel label', summary: 'Photo of the label uploaded' }),
  REQUEST_MERCHANT_INFO: {
    description: 'Ask the merchant for more information',
    payload: z.object({ question: text }).strict(),
    sentBy: AGENTS,
    examples: [{ question: 'Please send the signed proof of delivery' }],
  },
  MERCHANT_INFO_PROVIDED: {
    description: 'The merchant answered',
    payload: z.object({ summary: text }).strict(),
    sentBy: MERCHANT_OR_AGENT,
    examples: [{ summary: 'Proof of delivery uploaded' }],
  },
  DECIDE_FULL_REFUND: {
    description: 'Decide for the customer: refund everything still owed',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'No proof of delivery' }],
  },
  DECIDE_PARTIAL_REFUND: {
    description: 'Decide a partial refund',
    payload: z.object({ amountMinor: z.number().int().positive(), reason }).strict(),
    sentBy: AGENTS,
    examples: [{ amountMinor: 1000, reason: 'One of two items missing' }],
    check: (context, payload: { amountMinor: number }) => partialRefundBelowRemaining(context, payload.amountMinor, 'DECIDE_FULL_REFUND'),
  },
  DECIDE_REJECT: {
    description: 'Decide for the merchant: no refund',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Delivery confirmed by signature' }],
  },
  ...refundExecutionEvents('refund'),
  APPEAL: {
    description: 'Appeal the decision (once) for a second-stage review',
    payload: z.object({ reason }).strict(),
    sentBy: ['agent', 'merchant', 'customer'],
    examples: [{ reason: 'The merchant sent the wrong size' }],
  },
};

export const disputeDefinitionV1: CaseMachineDefinition<DisputeContext> = {
  kind: 'dispute',
  version: 1,
  machine: disputeMachineV1,
  validateFacts(facts) {
    if (!facts.amount || facts.amount.amountMinor <= 0) {
      return new DomainError(DomainErrorCode.ValidationFailed, 'A dispute needs the disputed amount.', {
        fields: [{ path: 'amount', message: 'required and greater than zero for a dispute' }],
      });
    }
    if (!facts.reason || !(DISPUTE_REASONS as readonly string[]).includes(facts.reason)) {
      return new DomainError(DomainErrorCode.ValidationFailed, 'A dispute needs a reason.', {
        fields: [{ path: 'reason', message: `one of ${DISPUTE_REASONS.join(', ')}` }],
      });
    }
    return undefined;
  },
  buildInput(facts, windows) {
    return { amount: facts.amount!, reason: facts.reason as DisputeReason, windows };
  },
  events: disputeEvents,
  deadlines: {
    merchantResponseWindow: { label: 'Merchant response due' },
    infoReplyWindow: { label: 'Reply to information request due' },
    appealWindow: { label: 'Appeal window closes' },
    refundRetryBackoff: { label: 'Automatic refund retry' },
  },
};
