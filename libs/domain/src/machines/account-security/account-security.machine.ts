import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { assign, setup } from 'xstate';
import { effectActions } from '../effects';
import type { CaseWindows } from '../windows';

export type AccountSecurityOutcome = 'unfrozen' | 'credentials_reset' | 'fraud_confirmed';
export const VERIFICATION_METHODS = ['id_document', 'video_call', 'bank_card', 'in_person'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export interface AccountSecurityContext {
  /** What raised the alarm (suspicious login, lost phone, reported takeover ...). */
  reason: string;
  windows: CaseWindows;
  verification: { method: VerificationMethod; note: string } | null;
  /** The customer did not verify within the reply window; agents were told to chase. */
  verificationOverdue: boolean;
  /** Why the agent chose a credential reset (kept for the reset request and the outcome). */
  resetReason: string | null;
  outcome: AccountSecurityOutcome | null;
  outcomeNote: string | null;
}

export interface AccountSecurityInput {
  reason: string;
  windows: CaseWindows;
}

export type AccountSecurityEvent =
  | { type: 'IDENTITY_VERIFIED'; method: VerificationMethod; note: string }
  | { type: 'VERIFICATION_FAILED'; reason: string }
  | { type: 'UNFREEZE'; reason: string }
  | { type: 'RESET_CREDENTIALS'; reason: string }
  | { type: 'CREDENTIALS_RESET' };

/**
 * The account-security lifecycle, version 1.
 *
 * The account is frozen the moment the case opens (entry of the initial state), before anyone
 * looks at it: a takeover in progress must not get another minute. It stays frozen until the
 * customer's identity is verified and an agent unfreezes it, directly or after a credential
 * reset. The unfreeze after a reset waits for the identity service to confirm the reset, so the
 * attacker's old password can never work on an unfrozen account (the two outbox rows would
 * otherwise race). A failed verification confirms fraud: the account stays frozen.
 */
export const accountSecurityMachineV1 = setup({
  types: {} as { context: AccountSecurityContext; events: AccountSecurityEvent; input: AccountSecurityInput },
  actions: {
    ...effectActions,
    resolveAs: assign((_, params: { outcome: AccountSecurityOutcome; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
  },
  delays: {
    customerReplyWindow: ({ context }) => context.windows.customerReplyMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
  },
}).createMachine({
  id: 'accountSecurity',
  initial: 'frozen',
  context: ({ input }) => ({
    reason: input.reason,
    windows: input.windows,
    verification: null,
    verificationOverdue: false,
    resetReason: null,
    outcome: null,
    outcomeNote: null,
  }),
  states: {
    frozen: {
      description: 'The account is frozen from the first instant of the case until it is unfrozen or fraud is confirmed.',
      entry: [
        { type: 'freezeAccount', params: ({ context }) => ({ reason: context.reason }) },
        { type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } },
      ],
      initial: 'verifyingIdentity',
      states: {
        verifyingIdentity: {
          tags: [SLA_PAUSED],
          description: 'The customer proves who they are (document, video call, bank card or in person).',
          after: {
            // A silent customer keeps the account frozen; agents are told to chase.
            customerReplyWindow: {
              target: 'verificationOverdue',
              actions: [assign({ verificationOverdue: true }), { type: 'notify', params: { topic: 'account_security.verification_overdue', audience: ['agents'] } }],
            },
          },
          on: {
            IDENTITY_VERIFIED: {
              target: 'identityVerified',
              actions: assign(({ event }) => ({ verification: { method: event.method, note: event.note } })),
            },
            VERIFICATION_FAILED: {
              target: '#accountSecurity.resolved',
              actions: [
                { type: 'resolveAs', params: ({ event }) => ({ outcome: 'fraud_confirmed' as const, note: event.reason }) },
                { type: 'notify', params: { topic: 'account_security.fraud_confirmed', audience: ['agents'] } },
              ],
            },
          },
        },
        verificationOverdue: {
          description: 'Escalated: the customer has not verified in time. Still frozen; still verifiable.',
          on: {
            IDENTITY_VERIFIED: {
              target: 'identityVerified',
              actions: assign(({ event }) => ({ verification: { method: event.method, note: event.note } })),
            },
            VERIFICATION_FAILED: {
              target: '#accountSecurity.resolved',
              actions: [
                { type: 'resolveAs', params: ({ event }) => ({ outcome: 'fraud_confirmed' as const, note: event.reason }) },
                { type: 'notify', params: { topic: 'account_security.fraud_confirmed', audience: ['agents'] } },
              ],
            },
          },
        },
        identityVerified: {
          description: 'The customer is who they say; an agent unfreezes at once or resets the credentials first.',
          on: {
            UNFREEZE: {
              target: '#accountSecurity.resolved',
              actions: [
                { type: 'unfreezeAccount', params: ({ event }) => ({ reason: event.reason }) },
                { type: 'resolveAs', params: ({ event }) => ({ outcome: 'unfrozen' as const, note: event.reason }) },
              ],
            },
            RESET_CREDENTIALS: {
              target: 'resettingCredentials',
              actions: assign(({ event }) => ({ resetReason: event.reason })),
            },
          },
        },
        resettingCredentials: {
          description: 'New credentials are being issued; the account is unfrozen once the reset is confirmed.',
          entry: { type: 'resetCredentials', params: ({ context }) => ({ reason: context.resetReason ?? context.reason }) },
          on: {
            CREDENTIALS_RESET: {
              target: '#accountSecurity.resolved',
              actions: [
                { type: 'unfreezeAccount', params: { reason: 'credentials_reset' } },
                { type: 'resolveAs', params: ({ context }) => ({ outcome: 'credentials_reset' as const, note: context.resetReason ?? 'credentials_reset' }) },
              ],
            },
          },
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Unfrozen, reset and unfrozen, or fraud confirmed (still frozen). Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'account_security.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
