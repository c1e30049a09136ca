import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

/**
 * What an agent does when a merchant accepts a dispute on the phone (dispute v3 on): records it as
 * a proposal with the reason, and a second person approves; the refund follows. For tests whose
 * subject is what comes after the acceptance.
 */
export async function acceptForMerchant(t: TestApp, caseId: string, expectedVersion: number): Promise<number> {
  const proposed = await t.http
    .post(`/v1/cases/${caseId}/events`)
    .set('Authorization', t.auth)
    .send({ type: 'PROPOSE_MERCHANT_ACCEPT', expectedVersion, payload: { reason: 'The merchant accepted on the phone' } })
    .expect(200);
  const approver = await t.login(`approver-${randomBytes(4).toString('hex')}@test.local`, 'supervisor');
  const approved = await t.http
    .post(`/v1/cases/${caseId}/events`)
    .set('Authorization', approver.auth)
    .send({ type: 'APPROVE_PROPOSAL', expectedVersion: proposed.body.version })
    .expect(200);
  return approved.body.version as number;
}
