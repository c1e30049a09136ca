import { z } from 'zod';
import type { EventSpec } from '../definition';

/** Payload building blocks every event catalogue uses, so limits are the same everywhere. */
export const reason = z.string().trim().min(1).max(2000);
export const text = z.string().trim().min(1).max(10_000);
export const none = z.object({}).strict();

/** Asking the customer for more information and recording the answer, shared by every kind that waits on the customer. */
export function customerInfoEvents(example: { question: string; summary: string; description?: string }): Record<'REQUEST_CUSTOMER_INFO' | 'CUSTOMER_INFO_PROVIDED', EventSpec> {
  return {
    REQUEST_CUSTOMER_INFO: {
      description: example.description ?? 'Ask the customer for more information',
      payload: z.object({ question: text }).strict(),
      sentBy: ['agent'],
      examples: [{ question: example.question }],
    },
    CUSTOMER_INFO_PROVIDED: {
      description: 'The customer answered',
      payload: z.object({ summary: text }).strict(),
      sentBy: ['customer', 'agent'],
      examples: [{ summary: example.summary }],
    },
  };
}
