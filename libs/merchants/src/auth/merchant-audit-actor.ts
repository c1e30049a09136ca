import type { AdminAuditActor } from '@app/audit';
import type { AuthenticatedMerchant } from './merchant-auth.guard';

/** A merchant acting through the merchant API, as the admin audit log records it: the merchant and the key it used. */
export const merchantAuditActor = (merchant: AuthenticatedMerchant): AdminAuditActor => ({ id: null, label: `merchant:${merchant.id} key:${merchant.keyId}` });
