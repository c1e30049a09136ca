import { z } from 'zod';
import { reason, text } from '../shared/payloads';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { inquiryMachineV1, type InquiryContext, type InquiryInput } from './inquiry.machine';

const CUSTOMER_OR_AGENT = ['customer', 'agent'] as const;

const inquiryEvents: Record<string, EventSpec<InquiryContext>> = {
  ANSWER: {
    description: 'Answer the customer',
    payload: z.object({ answer: text }).strict(),
    sentBy: ['agent'],
    examples: [{ answer: 'Withdrawals to a bank card arrive within two business days.' }],
  },
  FOLLOW_UP: {
    description: 'The customer writes again about the answer',
    payload: z.object({ message: text }).strict(),
    sentBy: CUSTOMER_OR_AGENT,
    examples: [{ message: 'It has been three days now.' }],
  },
  CLOSE: {
    description: 'Close the inquiry (the customer is satisfied, or a duplicate)',
    payload: z.object({ reason: reason.optional() }).strict(),
    sentBy: CUSTOMER_OR_AGENT,
    examples: [{ reason: 'Thanks, it arrived' }, {}],
  },
  REOPEN: {
    description: 'Reopen a closed inquiry (within the reopen window, a limited number of times)',
    payload: z.object({ message: text }).strict(),
    sentBy: CUSTOMER_OR_AGENT,
    examples: [{ message: 'The same problem is back.' }],
  },
};

export const inquiryDefinitionV1: CaseMachineDefinition<InquiryContext> = {
  kind: 'inquiry',
  version: 1,
  machine: inquiryMachineV1,
  validateFacts: () => undefined,
  buildInput(facts, windows): InquiryInput {
    return { topic: facts.reason, windows };
  },
  events: inquiryEvents,
  deadlines: {
    customerReplyWindow: { label: 'Closes unless the customer follows up' },
    reopenWindow: { label: 'Reopen window ends' },
  },
};
