import { acceptForMerchant } from '../support/four-eyes';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Refunds against the real wallet simulator (a child process): the wallet answers `processing`,
 * its signed callback settles the refund and the case; a declined refund fails the case's refund
 * step; a callback delivered twice is applied once. Reference prefixes pick the simulator's mode.
 */
describe('refunds through the wallet, settled by its callbacks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const timelineTypes = async (id: string) =>
    ((await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: { kind: string; id: string } }>).filter((event) =>
      event.type.startsWith('REFUND_'),
    );
  /** Opens a dispute on `transactionRef` whose merchant accepts at once: the full refund goes out. */
  const refundDispute = async (transactionRef: string) => {
    const { body: opened } = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ transactionRef })).expect(201);
    await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await acceptForMerchant(t, opened.id, 2);
    return opened.id as string;
  };
  const refundRow = async (caseId: string) =>
    (
      await t.sql<{ status: string; idempotency_key: string; gateway_refund_id: string | null; failure_reason: string | null }>(
        'select status, idempotency_key, gateway_refund_id, failure_reason from refunds where case_id = $1',
        [caseId],
      )
    )[0];

  it('processing with an expected arrival (shown on the case), then the callback settles refund and case', async () => {
    // SLOW-: the wallet keeps it processing, arriving in three days, until it is settled.
    const caseId = await refundDispute(`SLOW-${Date.now()}`);
    const processing = await waitFor('the wallet to take the refund', async () => {
      const view = await getCase(caseId);
      return view.refunds?.[0]?.status === 'processing' ? view : undefined;
    });
    expect(processing.state).toBe('refunding.pending');
    const [refund] = processing.refunds;
    expect(refund).toMatchObject({ amountMinor: 10_000, currency: 'CNY', walletRefundId: expect.any(String), settledAt: null });
    const arrivesInMs = new Date(refund.expectedArrivalAt).getTime() - Date.now();
    expect(arrivesInMs).toBeGreaterThan(2 * 24 * 3600 * 1000);
    expect(arrivesInMs).toBeLessThan(4 * 24 * 3600 * 1000);
    // No machine event yet: the case waits for the wallet's word.
    expect(await timelineTypes(caseId)).toEqual([]);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(Number(/^wallet_refunds_processing\{overdue="false"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^wallet_refunds_processing\{overdue="true"\} 0$/m);

    const row = await refundRow(caseId);
    await t.wallet.settleRefund(row!.idempotency_key);
    const resolved = await waitFor('the callback to resolve the case', async () => {
      const view = await getCase(caseId);
      return view.state === 'resolved' ? view : undefined;
    });
    expect(resolved.details.refundedMinor).toBe(10_000);
    expect(resolved.refunds).toEqual([expect.objectContaining({ status: 'succeeded', walletRefundId: refund.walletRefundId, settledAt: expect.any(String) })]);
    expect((await timelineTypes(caseId)).map((event) => [event.type, event.actor.kind, event.actor.id])).toEqual([['REFUND_SUCCEEDED', 'system', 'wallet']]);
    const received = await t.sql<{ type: string; applied: boolean }>('select type, applied from wallet_events_received where idempotency_key = $1', [row!.idempotency_key]);
    expect(received).toEqual([{ type: 'refund.succeeded', applied: true }]);
  });

  it("a declined refund fails the refund step with the wallet's reason", async () => {
    const caseId = await refundDispute(`DECLINE-${Date.now()}`);
    const failed = await waitFor('the declined refund', async () => {
      const view = await getCase(caseId);
      return view.state === 'refunding.failed' ? view : undefined;
    });
    expect(failed.details.refundedMinor).toBe(0);
    expect(failed.refunds).toEqual([expect.objectContaining({ status: 'failed', failureReason: 'issuer_declined' })]);
    expect((await timelineTypes(caseId)).map((event) => event.type)).toEqual(['REFUND_FAILED']);
    expect(failed.allowedEvents).toContain('RETRY_REFUND');
  });

  it('a callback the wallet delivers twice is applied once', async () => {
    const transactionRef = `DUPCB-${Date.now()}`;
    const caseId = await refundDispute(transactionRef);
    await waitFor('the refund to resolve the case', async () => (await getCase(caseId)).state === 'resolved');
    const row = await refundRow(caseId);
    await waitFor('both copies of the callback to be delivered', async () => {
      const callback = (await t.wallet.callbacks()).find((c) => c.event.data.idempotency_key === row!.idempotency_key);
      return callback && callback.delivered_count >= 2 && callback.attempts.every((attempt) => attempt.status_code === null || attempt.status_code === 200);
    });
    expect((await timelineTypes(caseId)).map((event) => event.type)).toEqual(['REFUND_SUCCEEDED']);
    expect(await t.sql('select applied from wallet_events_received where idempotency_key = $1', [row!.idempotency_key])).toEqual([{ applied: true }]);
    expect((await getCase(caseId)).details.refundedMinor).toBe(10_000);
    expect((await t.wallet.refunds()).filter((refund) => refund.transaction_ref === transactionRef)).toHaveLength(1);
  });
});
