import { z } from 'zod';
import { securityReportOf } from '../../cases/case-kind';
import { customerInfoEvents, none, reason } from '../shared/payloads';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { VERIFICATION_METHODS } from './account-security.machine';
import { accountSecurityMachineV2, type AccountSecurityContextV2, type AccountSecurityInputV2 } from './account-security.v2.machine';

const AGENTS = ['agent'] as const;
/** The identity-verification service reports results as `system`; agents verify by phone or in person. */
const AGENT_OR_SYSTEM = ['agent', 'system'] as const;
/** The wallet's callbacks (account.frozen, …) arrive as events of the `system` actor, and only from it. */
const WALLET = ['system'] as const;

const accountSecurityEventsV2: Record<string, EventSpec<AccountSecurityContextV2>> = {
  ACCOUNT_FROZEN: { description: 'The wallet confirmed the freeze', payload: none, sentBy: WALLET, examples: [{}] },
  ACCOUNT_UNFROZEN: { description: 'The wallet confirmed the unfreeze', payload: none, sentBy: WALLET, examples: [{}] },
  CREDENTIALS_RESET: {
    description: 'The wallet confirmed the credential reset (every session revoked)',
    payload: none,
    sentBy: WALLET,
    examples: [{}],
  },
  RETRY_WALLET_ACTION: {
    description: 'Ask the wallet again for the action it has not confirmed (freeze, unfreeze or reset)',
    payload: none,
    sentBy: AGENTS,
    examples: [{}],
  },
  ...customerInfoEvents({
    description: 'Ask the customer for what verification needs (ID photo, video call time, bank card)',
    question: 'Please upload a photo of your ID card',
    summary: 'ID photo uploaded',
  }),
  IDENTITY_VERIFIED: {
    description: "The customer's identity is verified",
    payload: z.object({ method: z.enum(VERIFICATION_METHODS), note: reason }).strict(),
    sentBy: AGENT_OR_SYSTEM,
    examples: [{ method: 'video_call', note: 'Face and ID card match' }],
  },
  VERIFICATION_FAILED: {
    description: 'Verification failed: on a stolen account fraud is confirmed and it stays frozen; a forgotten password is not reset',
    payload: z.object({ reason }).strict(),
    sentBy: AGENT_OR_SYSTEM,
    examples: [{ reason: 'ID document forged' }],
  },
  UNFREEZE: {
    description: 'Unfreeze the account as it is',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Login was the customer on a new phone' }],
  },
  RESET_CREDENTIALS: {
    description: 'Reset the credentials and revoke every session, then unfreeze',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Password was phished' }],
  },
};

export const accountSecurityDefinitionV2: CaseMachineDefinition<AccountSecurityContextV2> = {
  kind: 'account_security',
  version: 2,
  machine: accountSecurityMachineV2,
  // Nothing is required: a stolen account is frozen on any report, even a vague one.
  validateFacts: () => undefined,
  buildInput(facts, windows): AccountSecurityInputV2 {
    // Callers from before v2 send no report: they always meant a stolen account.
    return { reason: facts.reason ?? 'security_report', securityReport: securityReportOf('account_security', facts.securityReport)!, windows };
  },
  events: accountSecurityEventsV2,
  deadlines: {
    walletConfirmationWindow: { label: 'Wallet confirmation due' },
    customerReplyWindow: { label: 'Customer answer due' },
    appealWindow: { label: 'Case closes' },
  },
};
