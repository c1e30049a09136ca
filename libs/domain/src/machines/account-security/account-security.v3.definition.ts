import type { CaseMachineDefinition, EventSpec } from '../definition';
import { approvalEvents } from '../shared/approval.events';
import { accountSecurityDefinitionV2 } from './account-security.v2.definition';
import { accountSecurityMachineV3, type AccountSecurityContextV3 } from './account-security.v3.machine';

const v2Events = accountSecurityDefinitionV2.events as unknown as Record<string, EventSpec<AccountSecurityContextV3>>;

/**
 * Version 3 keeps version 2's events and adds the approval of a second person.
 *
 * UNFREEZE and RESET_CREDENTIALS keep their names and payloads but now propose (why not new
 * PROPOSE_* events with the old names refused, as disputes do for an agent's MERCHANT_ACCEPT?
 * There the old event keeps a direct meaning for its other sender, the merchant; here nobody may
 * unfreeze or reset alone any more, so an old name that only ever refused would be a dead event
 * in the catalogue and the machine. Kept, existing clients work unchanged: their request is
 * answered with the case in `awaitingApproval`, and the wallet acts once a second person approves).
 */
export const accountSecurityDefinitionV3: CaseMachineDefinition<AccountSecurityContextV3> = {
  ...accountSecurityDefinitionV2,
  version: 3,
  machine: accountSecurityMachineV3,
  recordsSender: true,
  approvalStates: ['awaitingApproval'],
  events: {
    ...v2Events,
    UNFREEZE: {
      ...v2Events.UNFREEZE!,
      description: "Propose unfreezing the account as it is, for a second person's approval",
    },
    RESET_CREDENTIALS: {
      ...v2Events.RESET_CREDENTIALS!,
      description: "Propose resetting the credentials and revoking every session, then unfreezing, for a second person's approval",
    },
    ...approvalEvents<AccountSecurityContextV3>(),
  },
  deadlines: {
    ...accountSecurityDefinitionV2.deadlines,
    approvalWindow: { label: 'Approval due' },
  },
};
