import type { Actor } from '@app/cases';

/** Every event the customer API sends is the customer's own, recorded with their id on the timeline. */
export const customerActor = (customerId: string): Actor => ({ kind: 'customer', id: customerId });
