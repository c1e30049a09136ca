import type { CaseEntity, SqlSession } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';

/** Why a dispute's merchant cannot be asked to respond. */
export type MerchantUnreachableReason = 'no_merchant' | 'merchant_not_registered' | 'no_active_key_or_webhook';

export interface MerchantReachability {
  reachable: boolean;
  /** Null when reachable. */
  reason: MerchantUnreachableReason | null;
}

/**
 * The notification a forwarded dispute sends the merchant (the dispute machine's `awaitingMerchant`
 * entry). A webhook endpoint that does not receive it would not tell the merchant either.
 */
const FORWARDED_TOPIC = 'dispute.awaiting_merchant';

/**
 * One statement, keyed by the case: the case view asks it for each dispute it shows, the forward
 * command inside its transaction (plain SQL, so nothing joins that command's unit of work). A
 * merchant is reachable when it is registered (and active) and either holds an API key that is
 * not revoked (it can list and answer its disputes) or has an enabled webhook endpoint that
 * receives the forwarded dispute's notification (or every event). No row: the case is not a dispute.
 */
export const REACHABILITY_SQL = `
  select c.merchant_id,
    coalesce(m.active, false) as registered,
    exists (select 1 from merchant_api_keys k where k.merchant_id = c.merchant_id and k.revoked_at is null) as has_key,
    exists (
      select 1 from webhook_endpoints w
      where w.merchant_id = c.merchant_id and w.status = 'enabled'
        and (w.events @> jsonb_build_array(?::text) or w.events @> '["*"]'::jsonb)
    ) as has_endpoint
  from cases c left join merchants m on m.id = c.merchant_id
  where c.id = ? and c.kind = 'dispute'`;

/** REACHABILITY_SQL's parameters, in order. */
export const reachabilityParams = (caseId: string): [string, string] => [FORWARDED_TOPIC, caseId];

export interface ReachabilityRow {
  merchant_id: string | null;
  registered: boolean;
  has_key: boolean;
  has_endpoint: boolean;
}

/** What REACHABILITY_SQL's row says; no row (null): the case is not a dispute. */
export function reachabilityOf(row: ReachabilityRow | null | undefined): MerchantReachability | null {
  if (!row) return null;
  if (!row.merchant_id) return { reachable: false, reason: 'no_merchant' };
  if (!row.registered) return { reachable: false, reason: 'merchant_not_registered' };
  if (!row.has_key && !row.has_endpoint) return { reachable: false, reason: 'no_active_key_or_webhook' };
  return { reachable: true, reason: null };
}

/** Whether the dispute's merchant would hear of it if it were forwarded now; null for a case that is not a dispute. */
export async function readDisputeMerchantReachability(sql: SqlSession, caseId: string): Promise<MerchantReachability | null> {
  const [row] = await sql.all<ReachabilityRow>(REACHABILITY_SQL, reachabilityParams(caseId));
  return reachabilityOf(row);
}

/**
 * Refuses to forward a dispute to a merchant who would never hear of it: the merchant's window
 * would run out in silence and the customer would win by default, without anyone having asked the
 * merchant. The case stays with an agent instead, who can register the merchant, or decide.
 */
export async function assertMerchantReachable(sql: SqlSession, theCase: Pick<CaseEntity, 'id' | 'merchantId'>): Promise<void> {
  const reachability = await readDisputeMerchantReachability(sql, theCase.id);
  if (!reachability || reachability.reachable) return;
  throw merchantUnreachable(theCase, reachability.reason!);
}

function merchantUnreachable(theCase: Pick<CaseEntity, 'id' | 'merchantId'>, reason: MerchantUnreachableReason): DomainError {
  const { id, merchantId } = theCase;
  const why = {
    no_merchant: `Case ${id} names no merchant, so there is nobody to forward it to.`,
    merchant_not_registered: `Merchant ${merchantId} is not registered, so it could not answer case ${id}; register it (with an API key or a webhook endpoint) first.`,
    no_active_key_or_webhook: `Merchant ${merchantId} has no active API key and no enabled webhook endpoint for ${FORWARDED_TOPIC}, so it would never hear of case ${id}; give it one first.`,
  }[reason];
  return new DomainError(DomainErrorCode.MerchantUnreachable, `${why} The case stays open with an agent.`, { caseId: id, merchantId, reason });
}
