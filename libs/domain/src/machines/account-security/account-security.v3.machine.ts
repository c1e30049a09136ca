import { assign, setup } from 'xstate';
import { senderIdOf, type Proposal, type Stamped } from '../../approvals';
import { SLA_PAUSED, SLA_STOPPED } from '../../sla/sla-tags';
import { effectActions, engineActions } from '../effects';
import type { VerificationMethod } from './account-security.machine';
import type { AccountSecurityContextV2, AccountSecurityEventV2, AccountSecurityInputV2, AccountSecurityOutcomeV2 } from './account-security.v2.machine';

/** What an agent proposes once identity is verified; a second person approves it. */
export type AccountSecurityProposalAction = 'unfreeze' | 'reset_credentials';

/** Moves no money: `amountMinor` is 0 and `currency` null, so any eligible approver's limit covers it. */
export type AccountSecurityProposal = Proposal<AccountSecurityProposalAction>;

export interface AccountSecurityContextV3 extends AccountSecurityContextV2 {
  /** The unfreeze or reset waiting for approval (in `awaitingApproval`), else null. */
  proposal: AccountSecurityProposal | null;
  /** Whether the open proposal waited past its approval deadline (and was escalated). */
  approvalOverdue: boolean;
}

export type AccountSecurityEventV3 = Stamped<AccountSecurityEventV2 | { type: 'APPROVE_PROPOSAL'; note?: string } | { type: 'REJECT_PROPOSAL'; reason: string }>;

const UNCONFIRMED_TOPIC = 'account_security.wallet_action_unconfirmed';

/**
 * The account-security lifecycle, version 3: version 2 with four eyes on giving an account back.
 *
 * Once identity is verified, an agent's UNFREEZE or RESET_CREDENTIALS no longer acts: it proposes
 * (the case waits in `awaitingApproval`, the account still frozen, with the action and the
 * reason), and a supervisor or admin other than the proposer approves it, upon which the wallet
 * is asked exactly as version 2 asked it on UNFREEZE / RESET_CREDENTIALS, or rejects it (back to
 * `frozen.identityVerified`). A proposal waiting past the approval window is escalated. The
 * customer hears of the freeze when the wallet confirms it (the notice is on that transition, not
 * on entering `frozen`, so a rejected proposal going back there does not tell them again).
 *
 * Otherwise as version 2:
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
export const accountSecurityMachineV3 = setup({
  types: {} as { context: AccountSecurityContextV3; events: AccountSecurityEventV3; input: AccountSecurityInputV2 },
  actions: {
    ...effectActions,
    ...engineActions,
    propose: assign((_, params: { action: AccountSecurityProposalAction; reason: string; proposedBy: string | null }) => ({
      proposal: { ...params, amountMinor: 0, currency: null },
      approvalOverdue: false,
    })),
    /** The approved proposal's reason becomes the decision's, as UNFREEZE / RESET_CREDENTIALS set it in version 2. */
    decideProposal: assign(({ context }) => ({ decisionReason: context.proposal!.reason, proposal: null, approvalOverdue: false })),
    clearProposal: assign({ proposal: null, approvalOverdue: false }),
    resolveAs: assign((_, params: { outcome: AccountSecurityOutcomeV2; note: string }) => ({ outcome: params.outcome, outcomeNote: params.note })),
    recordVerification: assign((_, params: { method: VerificationMethod; note: string }) => ({ verification: params })),
    askCustomer: assign((_, params: { question: string }) => ({ openInfoRequest: { question: params.question } })),
    countUnconfirmed: assign(({ context }) => ({ unconfirmedWalletActions: context.unconfirmedWalletActions + 1 })),
  },
  guards: {
    forgottenPassword: ({ context }) => context.securityReport === 'forgotten_password',
    accountFrozen: ({ context }) => context.freezeConfirmed,
    proposedUnfreeze: ({ context }) => context.proposal?.action === 'unfreeze',
  },
  delays: {
    customerReplyWindow: ({ context }) => context.windows.customerReplyMs,
    walletConfirmationWindow: ({ context }) => context.windows.walletConfirmationMs,
    appealWindow: ({ context }) => context.windows.appealWindowMs,
    approvalWindow: ({ context }) => context.windows.approvalMs,
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
    proposal: null,
    approvalOverdue: false,
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
        ACCOUNT_FROZEN: {
          target: 'frozen',
          actions: [assign({ freezeConfirmed: true }), { type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } }],
        },
      },
    },
    frozen: {
      description: 'The wallet confirmed the freeze. The customer proves who they are; the account stays frozen meanwhile.',
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
          description: 'The customer is who they say; an agent proposes to unfreeze at once or to reset the credentials (and sessions) first.',
          on: {
            UNFREEZE: {
              target: '#accountSecurity.awaitingApproval',
              actions: { type: 'propose', params: ({ event }) => ({ action: 'unfreeze' as const, reason: event.reason, proposedBy: senderIdOf(event) }) },
            },
            RESET_CREDENTIALS: {
              target: '#accountSecurity.awaitingApproval',
              actions: { type: 'propose', params: ({ event }) => ({ action: 'reset_credentials' as const, reason: event.reason, proposedBy: senderIdOf(event) }) },
            },
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
    awaitingApproval: {
      description: 'An unfreeze or credential reset waits for a second person: a supervisor other than the proposer approves or rejects it. The account stays frozen.',
      entry: { type: 'notify', params: { topic: 'account_security.approval_requested', audience: ['agents'], alert: true } },
      after: {
        // Still waiting: escalate like overdue SLA work (priority up, supervisors alerted); it keeps waiting.
        approvalWindow: {
          actions: [assign({ approvalOverdue: true }), 'escalate', { type: 'notify', params: { topic: 'account_security.approval_overdue', audience: ['agents'], alert: true } }],
        },
      },
      on: {
        APPROVE_PROPOSAL: [
          { guard: 'proposedUnfreeze', target: 'unfreezing', actions: 'decideProposal' },
          { target: 'resettingCredentials', actions: 'decideProposal' },
        ],
        REJECT_PROPOSAL: [
          // Not convinced of the customer's identity: verify again (nothing is frozen on this path).
          { guard: 'forgottenPassword', target: 'verifyingForReset', actions: 'clearProposal' },
          { target: 'frozen.identityVerified', actions: 'clearProposal' },
        ],
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
        // Resetting someone's credentials hands them the account: the verifying agent proposes it and a
        // second person approves (a classic social-engineering path, so never one person's word).
        IDENTITY_VERIFIED: {
          target: 'awaitingApproval',
          actions: [
            { type: 'recordVerification', params: ({ event }) => ({ method: event.method, note: event.note }) },
            { type: 'propose', params: ({ event }) => ({ action: 'reset_credentials' as const, reason: 'forgotten_password', proposedBy: senderIdOf(event) }) },
          ],
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
