import { assign, setup } from 'xstate';
import type { SecurityReport } from '../../cases/case-kind';
import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions } from '../effects';
import type { CaseWindows } from '../windows';
import type { VerificationMethod } from './account-security.machine';

export type AccountSecurityOutcomeV2 = 'unfrozen' | 'credentials_reset' | 'fraud_confirmed' | 'verification_failed';

export interface AccountSecurityContextV2 {
  /** What raised the alarm (suspicious login, lost phone, reported takeover ...). */
  reason: string;
  securityReport: SecurityReport;
  windows: CaseWindows;
  verification: { method: VerificationMethod; note: string } | null;
  openInfoRequest: { question: string } | null;
  /** The customer did not answer a verification request in time; agents were told to chase. */
  verificationOverdue: boolean;
  /** The wallet confirmed each action (account.frozen, account.credentials_reset, account.unfrozen). */
  freezeConfirmed: boolean;
  /** The wallet reset the credentials and revoked every session. */
  credentialsReset: boolean;
  unfreezeConfirmed: boolean;
  /** Why the agent unfroze or reset (kept for the wallet request and the outcome). */
  decisionReason: string | null;
  /** Wallet actions that stayed unconfirmed past the window (each one told the agents). */
  unconfirmedWalletActions: number;
  outcome: AccountSecurityOutcomeV2 | null;
  outcomeNote: string | null;
}

export interface AccountSecurityInputV2 {
  reason: string;
  securityReport: SecurityReport;
  windows: CaseWindows;
}

export type AccountSecurityEventV2 =
  | { type: 'ACCOUNT_FROZEN' }
  | { type: 'ACCOUNT_UNFROZEN' }
  | { type: 'CREDENTIALS_RESET' }
  | { type: 'RETRY_WALLET_ACTION' }
  | { type: 'REQUEST_CUSTOMER_INFO'; question: string }
  | { type: 'CUSTOMER_INFO_PROVIDED'; summary: string }
  | { type: 'IDENTITY_VERIFIED'; method: VerificationMethod; note: string }
  | { type: 'VERIFICATION_FAILED'; reason: string }
  | { type: 'UNFREEZE'; reason: string }
  | { type: 'RESET_CREDENTIALS'; reason: string };

const UNCONFIRMED_TOPIC = 'account_security.wallet_action_unconfirmed';

/**
 * The account-security lifecycle, version 2.
 *
 * Two reports open it. A stolen account is frozen at once, but counts as frozen only when the
 * wallet confirms it (ACCOUNT_FROZEN from the system); identity is then verified, and the account
 * is unfrozen (confirmed by ACCOUNT_UNFROZEN) directly or after a credential reset that also
 * revokes every session (confirmed by CREDENTIALS_RESET). A forgotten password needs no freeze:
 * identity is verified, the credentials reset, and the wallet's confirmation resolves the case.
 *
 * Every wallet action has a confirmation window: past it the agents are told and the case rests
 * in a visible `confirmationOverdue` state, where an agent may ask the wallet again (freezes,
 * unfreezes and resets are safe to repeat). Unlike v1, the case does not open in a state that
 * waits on the customer: support's clocks run from the first second, and pause only while an
 * agent's question to the customer is open.
 */
export const accountSecurityMachineV2 = setup({
  types: {} as { context: AccountSecurityContextV2; events: AccountSecurityEventV2; input: AccountSecurityInputV2 },
  actions: {
    ...effectActions,
    resolveAs: assign((_, params: { outcome: AccountSecurityOutcomeV2; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
    recordVerification: assign((_, params: { method: VerificationMethod; note: string }) => ({ verification: params })),
    askCustomer: assign((_, params: { question: string }) => ({ openInfoRequest: { question: params.question } })),
    countUnconfirmed: assign(({ context }) => ({ unconfirmedWalletActions: context.unconfirmedWalletActions + 1 })),
  },
  guards: {
    forgottenPassword: ({ context }) => context.securityReport === 'forgotten_password',
    accountFrozen: ({ context }) => context.freezeConfirmed,
  },
  delays: {
    customerReplyWindow: ({ context }) => context.windows.customerReplyMs,
    walletConfirmationWindow: ({ context }) => context.windows.walletConfirmationMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
  },
}).createMachine({
  id: 'accountSecurity',
  initial: 'opened',
  context: ({ input }) => ({
    reason: input.reason,
    securityReport: input.securityReport,
    windows: input.windows,
    verification: null,
    openInfoRequest: null,
    verificationOverdue: false,
    freezeConfirmed: false,
    credentialsReset: false,
    unfreezeConfirmed: false,
    decisionReason: null,
    unconfirmedWalletActions: 0,
    outcome: null,
    outcomeNote: null,
  }),
  states: {
    opened: {
      description: 'Routes the report: a stolen account is frozen, a forgotten password goes straight to verification.',
      always: [{ guard: 'forgottenPassword', target: 'verifyingForReset' }, { target: 'freezing' }],
    },
    freezing: {
      description: 'Stolen account: the freeze is requested at once; the account counts as frozen when the wallet confirms it.',
      entry: [
        { type: 'freezeAccount', params: ({ context }) => ({ reason: context.reason }) },
        { type: 'notify', params: { topic: 'account_security.freeze_requested', audience: ['agents'] } },
      ],
      initial: 'awaitingWallet',
      states: {
        awaitingWallet: {
          after: {
            walletConfirmationWindow: {
              target: 'confirmationOverdue',
              actions: ['countUnconfirmed', { type: 'notify', params: { topic: UNCONFIRMED_TOPIC, audience: ['agents'], alert: true } }],
            },
          },
        },
        confirmationOverdue: {
          description: 'The wallet has not confirmed the freeze in time; agents were told. An agent may request it again.',
          on: { RETRY_WALLET_ACTION: { target: '#accountSecurity.freezing', reenter: true } },
        },
      },
      on: {
        ACCOUNT_FROZEN: { target: 'frozen', actions: assign({ freezeConfirmed: true }) },
      },
    },
    frozen: {
      description: 'The wallet confirmed the freeze. The customer proves who they are; the account stays frozen meanwhile.',
      entry: { type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } },
      initial: 'verifyingIdentity',
      states: {
        verifyingIdentity: {
          description: 'An agent verifies the customer (document, video call, bank card or in person), asking them for what is needed.',
          on: {
            REQUEST_CUSTOMER_INFO: {
              target: 'awaitingCustomer',
              actions: { type: 'askCustomer', params: ({ event }) => ({ question: event.question }) },
            },
            IDENTITY_VERIFIED: {
              target: 'identityVerified',
              actions: { type: 'recordVerification', params: ({ event }) => ({ method: event.method, note: event.note }) },
            },
          },
        },
        awaitingCustomer: {
          tags: [SLA_PAUSED],
          description: 'Waiting for the customer to answer the verification request. The account stays frozen.',
          entry: { type: 'notify', params: { topic: 'account_security.info_requested', audience: ['customer'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            // A silent customer keeps the account frozen; agents are told to chase.
            customerReplyWindow: {
              target: 'verifyingIdentity',
              actions: [assign({ verificationOverdue: true }), { type: 'notify', params: { topic: 'account_security.verification_overdue', audience: ['agents'], alert: true } }],
            },
          },
          on: {
            CUSTOMER_INFO_PROVIDED: 'verifyingIdentity',
            IDENTITY_VERIFIED: {
              target: 'identityVerified',
              actions: { type: 'recordVerification', params: ({ event }) => ({ method: event.method, note: event.note }) },
            },
          },
        },
        identityVerified: {
          description: 'The customer is who they say; an agent unfreezes at once or resets the credentials (and sessions) first.',
          on: {
            UNFREEZE: { target: '#accountSecurity.unfreezing', actions: assign(({ event }) => ({ decisionReason: event.reason })) },
            RESET_CREDENTIALS: { target: '#accountSecurity.resettingCredentials', actions: assign(({ event }) => ({ decisionReason: event.reason })) },
          },
        },
      },
      on: {
        VERIFICATION_FAILED: {
          target: 'resolved',
          actions: [
            { type: 'resolveAs', params: ({ event }) => ({ outcome: 'fraud_confirmed' as const, note: event.reason }) },
            { type: 'notify', params: { topic: 'account_security.fraud_confirmed', audience: ['agents'] } },
          ],
        },
      },
    },
    verifyingForReset: {
      description: 'Forgotten password: nothing is frozen; an agent verifies the customer before the credentials are reset.',
      initial: 'verifyingIdentity',
      states: {
        verifyingIdentity: {
          on: {
            REQUEST_CUSTOMER_INFO: {
              target: 'awaitingCustomer',
              actions: { type: 'askCustomer', params: ({ event }) => ({ question: event.question }) },
            },
          },
        },
        awaitingCustomer: {
          tags: [SLA_PAUSED],
          description: 'Waiting for the customer to answer the verification request.',
          entry: { type: 'notify', params: { topic: 'account_security.info_requested', audience: ['customer'] } },
          exit: assign({ openInfoRequest: null }),
          after: {
            customerReplyWindow: {
              target: 'verifyingIdentity',
              actions: [assign({ verificationOverdue: true }), { type: 'notify', params: { topic: 'account_security.verification_overdue', audience: ['agents'], alert: true } }],
            },
          },
          on: { CUSTOMER_INFO_PROVIDED: 'verifyingIdentity' },
        },
      },
      on: {
        // The customer asked for the reset: once verified, it goes out without a further step.
        IDENTITY_VERIFIED: {
          target: 'resettingCredentials',
          actions: [{ type: 'recordVerification', params: ({ event }) => ({ method: event.method, note: event.note }) }, assign({ decisionReason: 'forgotten_password' })],
        },
        VERIFICATION_FAILED: {
          target: 'resolved',
          actions: { type: 'resolveAs', params: ({ event }) => ({ outcome: 'verification_failed' as const, note: event.reason }) },
        },
      },
    },
    resettingCredentials: {
      description: 'The wallet resets the credentials and revokes every session; its confirmation moves the case on.',
      entry: { type: 'resetCredentials', params: ({ context }) => ({ reason: context.decisionReason ?? context.reason }) },
      initial: 'awaitingWallet',
      states: {
        awaitingWallet: {
          after: {
            walletConfirmationWindow: {
              target: 'confirmationOverdue',
              actions: ['countUnconfirmed', { type: 'notify', params: { topic: UNCONFIRMED_TOPIC, audience: ['agents'], alert: true } }],
            },
          },
        },
        confirmationOverdue: {
          description: 'The wallet has not confirmed the reset in time; agents were told. An agent may request it again.',
          on: { RETRY_WALLET_ACTION: { target: '#accountSecurity.resettingCredentials', reenter: true } },
        },
      },
      on: {
        // A frozen account is unfrozen only after the reset, so the attacker's password never works on it again.
        CREDENTIALS_RESET: [
          { guard: 'accountFrozen', target: 'unfreezing', actions: assign({ credentialsReset: true }) },
          {
            target: 'resolved',
            actions: [
              assign({ credentialsReset: true }),
              { type: 'resolveAs', params: ({ context }) => ({ outcome: 'credentials_reset' as const, note: context.decisionReason ?? 'credentials_reset' }) },
            ],
          },
        ],
      },
    },
    unfreezing: {
      description: 'The wallet lifts the freeze; the case resolves when it confirms.',
      entry: { type: 'unfreezeAccount', params: ({ context }) => ({ reason: context.credentialsReset ? 'credentials_reset' : (context.decisionReason ?? 'identity_verified') }) },
      initial: 'awaitingWallet',
      states: {
        awaitingWallet: {
          after: {
            walletConfirmationWindow: {
              target: 'confirmationOverdue',
              actions: ['countUnconfirmed', { type: 'notify', params: { topic: UNCONFIRMED_TOPIC, audience: ['agents'], alert: true } }],
            },
          },
        },
        confirmationOverdue: {
          description: 'The wallet has not confirmed the unfreeze in time; agents were told. An agent may request it again.',
          on: { RETRY_WALLET_ACTION: { target: '#accountSecurity.unfreezing', reenter: true } },
        },
      },
      on: {
        ACCOUNT_UNFROZEN: {
          target: 'resolved',
          actions: [
            assign({ unfreezeConfirmed: true }),
            {
              type: 'resolveAs',
              params: ({ context }) => ({
                outcome: context.credentialsReset ? ('credentials_reset' as const) : ('unfrozen' as const),
                note: context.decisionReason ?? 'unfrozen',
              }),
            },
          ],
        },
      },
    },
    resolved: {
      tags: [SLA_STOPPED],
      description: 'Unfrozen, reset (and unfrozen), fraud confirmed (still frozen) or not verified. Closes when the window ends.',
      entry: { type: 'notify', params: { topic: 'account_security.resolved', audience: ['customer'] } },
      after: { appealWindow: 'closed' },
    },
    closed: { type: 'final' },
  },
});
