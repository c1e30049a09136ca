import { SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import { effectActions } from '../effects';
import type { CaseWindows } from '../windows';

/**
 * The reopen rule: a closed inquiry may be reopened (by the customer, or an agent for them)
 * while its reopen window (the case's appeal window) runs, at most this many times over the
 * case's life. After the window, or after the last reopen, a new question is a new inquiry: an
 * inquiry that keeps coming back is no longer one question, and its history gets too long to read.
 */
export const MAX_INQUIRY_REOPENS = 2;

export interface InquiryContext {
  /** What the customer asked about. */
  topic: string | null;
  windows: CaseWindows;
  answers: number;
  followUps: number;
  reopens: number;
  closedBecause: 'closed_on_request' | 'no_follow_up' | null;
}

export interface InquiryInput {
  topic: string | null;
  windows: CaseWindows;
}

export type InquiryEvent = { type: 'ANSWER'; answer: string } | { type: 'FOLLOW_UP'; message: string } | { type: 'CLOSE'; reason?: string } | { type: 'REOPEN'; message: string };

/**
 * The inquiry lifecycle, version 1: a question, not a claim for money.
 *
 * An answered inquiry closes by itself when the customer does not follow up within the customer
 * reply window; a follow-up puts it back in the agents' queue. A closed inquiry can be reopened
 * under the rule above; it is archived (final) when its reopen window ends.
 */
export const inquiryMachineV1 = setup({
  types: {} as { context: InquiryContext; events: InquiryEvent; input: InquiryInput },
  actions: {
    ...effectActions,
    countAnswer: assign(({ context }) => ({ answers: context.answers + 1 })),
    close: assign((_, params: { because: NonNullable<InquiryContext['closedBecause']> }) => ({ closedBecause: params.because })),
  },
  guards: {
    mayReopen: ({ context }) => context.reopens < MAX_INQUIRY_REOPENS,
  },
  delays: {
    customerReplyWindow: ({ context }) => context.windows.customerReplyMs,
    reopenWindow: ({ context }) => context.windows.appealWindowMs,
  },
}).createMachine({
  id: 'inquiry',
  initial: 'open',
  context: ({ input }) => ({ topic: input.topic, windows: input.windows, answers: 0, followUps: 0, reopens: 0, closedBecause: null }),
  states: {
    open: {
      description: 'Waiting for an agent to answer.',
      on: {
        ANSWER: { target: 'answered', actions: 'countAnswer' },
        CLOSE: { target: 'closed', actions: { type: 'close', params: { because: 'closed_on_request' } } },
      },
    },
    answered: {
      tags: [SLA_STOPPED],
      description: 'Answered; closes by itself unless the customer follows up within the reply window.',
      entry: { type: 'notify', params: { topic: 'inquiry.answered', audience: ['customer'] } },
      after: {
        customerReplyWindow: { target: 'closed', actions: { type: 'close', params: { because: 'no_follow_up' } } },
      },
      on: {
        FOLLOW_UP: { target: 'followUp', actions: assign(({ context }) => ({ followUps: context.followUps + 1 })) },
        CLOSE: { target: 'closed', actions: { type: 'close', params: { because: 'closed_on_request' } } },
      },
    },
    followUp: {
      description: 'The customer wrote again; back in the agents\u2019 queue.',
      entry: { type: 'notify', params: { topic: 'inquiry.follow_up', audience: ['agents'] } },
      on: {
        ANSWER: { target: 'answered', actions: 'countAnswer' },
        CLOSE: { target: 'closed', actions: { type: 'close', params: { because: 'closed_on_request' } } },
      },
    },
    closed: {
      tags: [SLA_STOPPED],
      description: `Closed, but may be reopened within the reopen window (at most ${MAX_INQUIRY_REOPENS} times per inquiry).`,
      entry: { type: 'notify', params: { topic: 'inquiry.closed', audience: ['customer'] } },
      after: { reopenWindow: 'archived' },
      on: {
        REOPEN: {
          target: 'followUp',
          guard: 'mayReopen',
          actions: assign(({ context }) => ({ reopens: context.reopens + 1, closedBecause: null })),
        },
      },
    },
    archived: { type: 'final', description: 'Past the reopen window: a new question needs a new inquiry.' },
  },
});
