import { z } from 'zod';
import type { CaseMachineDefinition } from '../definition';
import { disputeDefinitionV1 } from './dispute.definition';
import { disputeMachineV2, type DisputeContextV2 } from './dispute.machine.v2';

/**
 * Version 2 takes version 1's event catalogue as it is (so a change of who may send an event
 * there applies to both) and adds the delivery report of an information request.
 */
export const disputeDefinitionV2: CaseMachineDefinition<DisputeContextV2> = {
  ...disputeDefinitionV1,
  version: 2,
  machine: disputeMachineV2,
  events: {
    ...disputeDefinitionV1.events,
    CUSTOMER_NOTIFIED: {
      description: 'The information request reached the customer on a channel (sent by the notification worker)',
      payload: z.object({ channel: z.enum(['email', 'push', 'sms', 'wechat']) }).strict(),
      sentBy: ['system'],
      examples: [{ channel: 'sms' }],
    },
  },
};
