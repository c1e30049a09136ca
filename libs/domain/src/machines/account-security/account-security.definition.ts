import { z } from 'zod';
import { none, reason } from '../shared/payloads';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { VERIFICATION_METHODS, accountSecurityMachineV1, type AccountSecurityContext, type AccountSecurityInput } from './account-security.machine';

const AGENTS = ['agent'] as const;
/** The identity-verification service reports results as `system`; agents verify by phone or in person. */
const AGENT_OR_SYSTEM = ['agent', 'system'] as const;

const accountSecurityEvents: Record<string, EventSpec<AccountSecurityContext>> = {
  IDENTITY_VERIFIED: {
    description: "The customer's identity is verified",
    payload: z.object({ method: z.enum(VERIFICATION_METHODS), note: reason }).strict(),
    sentBy: AGENT_OR_SYSTEM,
    examples: [{ method: 'video_call', note: 'Face and ID card match' }],
  },
  VERIFICATION_FAILED: {
    description: 'Verification failed: fraud confirmed, the account stays frozen',
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
    description: 'Reset password and sessions, then unfreeze',
    payload: z.object({ reason }).strict(),
    sentBy: AGENTS,
    examples: [{ reason: 'Password was phished' }],
  },
  CREDENTIALS_RESET: { description: 'The identity service confirmed the credential reset', payload: none, sentBy: ['system'], examples: [{}] },
};

export const accountSecurityDefinitionV1: CaseMachineDefinition<AccountSecurityContext> = {
  kind: 'account_security',
  version: 1,
  machine: accountSecurityMachineV1,
  // Nothing is required: the account is frozen on any report, even a vague one.
  validateFacts: () => undefined,
  buildInput(facts, windows): AccountSecurityInput {
    return { reason: facts.reason ?? 'security_report', windows };
  },
  events: accountSecurityEvents,
  deadlines: {
    customerReplyWindow: { label: 'Identity verification due' },
    appealWindow: { label: 'Case closes' },
  },
};
