import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Refund policies per merchant: admins set and remove them (audited), supervisors read them,
 * agents neither; bad input is a 400 and changes nothing. New refund requests open under the
 * merchant's policy, cases in flight keep the one they opened under.
 */
describe('merchant refund policies (admin API)', () => {
  let t: TestApp;
  let agent: { auth: string };
  let supervisor: { auth: string };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.login('policy-agent@test.local', 'agent');
    supervisor = await t.login('policy-supervisor@test.local', 'supervisor');
  });
  afterAll(() => t.close());

  const path = (merchantId: string) => `/v1/admin/merchants/${merchantId}/refund-policy`;
  const audit = async (merchantId: string) =>
    (await t.http.get(`/v1/admin/audit-log?targetType=merchant&targetId=${merchantId}`).set('Authorization', t.auth).expect(200)).body.data as Array<{
      action: string;
      actorId: string;
      details: Record<string, unknown>;
    }>;
  const openRequest = async (merchantId: string) =>
    (
      await t.http
        .post('/v1/intake/cases')
        .set('Authorization', t.intakeAuth)
        .send({
          kind: 'refund_request',
          subject: 'Refund please',
          customer: { id: 'u_policy' },
          merchantId,
          transactionRef: `TX-POL-${randomBytes(4).toString('hex').toUpperCase()}`,
          amount: { amountMinor: 10_000, currency: 'CNY' },
          reason: 'changed_mind',
          purchasedAt: new Date(Date.now() - 24 * 3600 * 1000).toISOString(),
        })
        .expect(200)
    ).body.case.id as string;
  const policyOf = async (caseId: string) => (await t.http.get(`/v1/cases/${caseId}`).set('Authorization', t.auth).expect(200)).body.details.policy;

  it('admins set, replace and remove a policy (each audited with what changed); new requests open under it, open ones keep theirs', async () => {
    const merchant = await t.createMerchant(`m_pol_${randomBytes(3).toString('hex')}`);
    expect((await t.http.get(path(merchant.id)).set('Authorization', t.auth).expect(200)).body).toEqual({
      merchantId: merchant.id,
      source: 'global',
      refundWindowDays: 30,
      partialRefundsAllowed: true,
      nonRefundableFeeMinor: 0,
      updatedAt: null,
    });
    const before = await openRequest(merchant.id);

    const set = await t.http
      .put(path(merchant.id))
      .set('Authorization', t.auth)
      .send({ refundWindowDays: 7, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 })
      .expect(200);
    expect(set.body).toMatchObject({ merchantId: merchant.id, source: 'merchant', refundWindowDays: 7, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 });
    await t.http.put(path(merchant.id)).set('Authorization', t.auth).send({ refundWindowDays: 10, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 }).expect(200);
    const during = await openRequest(merchant.id);
    expect(await policyOf(during)).toEqual({ refundWindowDays: 10, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 });
    expect(await policyOf(before)).toEqual({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 });
    // Supervisors may read it.
    expect((await t.http.get(path(merchant.id)).set('Authorization', supervisor.auth).expect(200)).body).toMatchObject({ source: 'merchant', refundWindowDays: 10 });

    const removed = await t.http.delete(path(merchant.id)).set('Authorization', t.auth).expect(200);
    expect(removed.body).toMatchObject({ source: 'global', refundWindowDays: 30 });
    // Removing again changes nothing and is not audited twice.
    await t.http.delete(path(merchant.id)).set('Authorization', t.auth).expect(200);
    expect(await policyOf(await openRequest(merchant.id))).toEqual({ refundWindowDays: 30, partialRefundsAllowed: true, nonRefundableFeeMinor: 0 });
    expect(await policyOf(during)).toEqual({ refundWindowDays: 10, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 });

    const entries = (await audit(merchant.id)).filter((entry) => entry.action.startsWith('merchant_refund_policy.'));
    expect(entries.map((entry) => [entry.action, entry.actorId, entry.details])).toEqual([
      ['merchant_refund_policy.removed', t.adminId, { removed: { refundWindowDays: 10, partialRefundsAllowed: false, nonRefundableFeeMinor: 300 } }],
      ['merchant_refund_policy.set', t.adminId, { created: false, changes: { refundWindowDays: { from: 7, to: 10 } } }],
      [
        'merchant_refund_policy.set',
        t.adminId,
        {
          created: true,
          changes: { refundWindowDays: { from: 30, to: 7 }, partialRefundsAllowed: { from: true, to: false }, nonRefundableFeeMinor: { from: 0, to: 300 } },
        },
      ],
    ]);
  });

  it('only admins change a policy, supervisors read it, agents neither; bad input and unknown merchants are refused and nothing is stored', async () => {
    const merchant = await t.createMerchant(`m_pol_${randomBytes(3).toString('hex')}`);
    const good = { refundWindowDays: 14, partialRefundsAllowed: true, nonRefundableFeeMinor: 100 };
    expect((await t.http.put(path(merchant.id)).set('Authorization', supervisor.auth).send(good).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http.delete(path(merchant.id)).set('Authorization', supervisor.auth).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http.put(path(merchant.id)).set('Authorization', agent.auth).send(good).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await t.http.get(path(merchant.id)).set('Authorization', agent.auth).expect(403)).body.code).toBe('FORBIDDEN');
    await t.http.get(path(merchant.id)).expect(401);
    // A merchant's own API key is not an agent session.
    await t.http.put(path(merchant.id)).set('Authorization', merchant.auth).send(good).expect(401);

    const bad: Array<Record<string, unknown>> = [
      {},
      { ...good, refundWindowDays: -1 },
      { ...good, refundWindowDays: 1.5 },
      { ...good, refundWindowDays: 100_000 },
      { ...good, refundWindowDays: '14' },
      { ...good, partialRefundsAllowed: 'yes' },
      { ...good, nonRefundableFeeMinor: -100 },
      { ...good, nonRefundableFeeMinor: 0.5 },
      { refundWindowDays: 14, partialRefundsAllowed: true },
      { ...good, currency: 'CNY' },
    ];
    for (const body of bad) {
      const refused = await t.http.put(path(merchant.id)).set('Authorization', t.auth).send(body).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http.put(path('m_nobody')).set('Authorization', t.auth).send(good).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await t.http.get(path('m_nobody')).set('Authorization', t.auth).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await t.http.get(path(merchant.id)).set('Authorization', t.auth).expect(200)).body.source).toBe('global');
    expect(await t.sql('select 1 from merchant_refund_policies where merchant_id in ($1, $2)', [merchant.id, 'm_nobody'])).toEqual([]);
    expect((await audit(merchant.id)).filter((entry) => entry.action.startsWith('merchant_refund_policy.'))).toEqual([]);
  });
});
