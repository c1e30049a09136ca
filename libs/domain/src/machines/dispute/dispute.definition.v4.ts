import { canonicalDisputeReason, reasonHint } from '../../disputes/evidence-requirements';
import { DomainError, DomainErrorCode } from '../../errors';
import type { CaseMachineDefinition, EventSpec } from '../definition';
import { none } from '../shared/payloads';
import { disputeDefinitionV3 } from './dispute.definition.v3';
import { disputeMachineV4, type DisputeContextV4 } from './dispute.machine.v4';

const v3Events = disputeDefinitionV3.events as Record<string, EventSpec<DisputeContextV4>>;

/**
 * Version 4 takes version 3's catalogue and adds INVESTIGATE for disputes against another wallet
 * user. It opens cases with the reasons of this release: an old value (`duplicate`) is accepted and
 * stored as its new name, so the case's input already says what every view shows.
 */
export const disputeDefinitionV4: CaseMachineDefinition<DisputeContextV4> = {
  ...disputeDefinitionV3,
  version: 4,
  machine: disputeMachineV4,
  validateFacts(facts) {
    if (facts.reason && !canonicalDisputeReason(facts.reason)) {
      return new DomainError(DomainErrorCode.ValidationFailed, `Unknown dispute reason "${facts.reason}".`, { fields: [{ path: 'reason', message: reasonHint() }] });
    }
    return disputeDefinitionV3.validateFacts({ ...facts, reason: canonicalDisputeReason(facts.reason) });
  },
  buildInput(facts, windows) {
    return disputeDefinitionV3.buildInput({ ...facts, reason: canonicalDisputeReason(facts.reason) }, windows);
  },
  events: {
    ...v3Events,
    INVESTIGATE: {
      description: 'Investigate a dispute against another wallet user (there is no merchant to forward it to)',
      payload: none,
      sentBy: ['agent'],
      examples: [{}],
    },
  },
};
