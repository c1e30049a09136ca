import { randomBytes } from 'node:crypto';
import { PDF, PNG } from '../support/evidence-files';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * What the merchant sees of the customer's side: only the evidence files an agent shared with
 * them; and the reminder before an agent's information request to the merchant times out.
 */
describe("merchants: the customer's shared evidence, and the information request reminder", () => {
  let t: TestApp;
  let shop: TestMerchant;
  let other: TestMerchant;
  const SECONDS = 1 / 60;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await t.createMerchant(`m_ev_${randomBytes(3).toString('hex')}`);
    other = await t.createMerchant(`m_ev_${randomBytes(3).toString('hex')}`);
  });
  afterAll(() => t.close());

  const open = async (body: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(body).expect(201)).body as { id: string };
  const agentSends = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
    const { body } = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
    await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: body.version }).expect(200);
  };
  const uploadForCustomer = async (caseId: string, file: Buffer, name: string, category: string) =>
    (
      await t.http
        .post(`/v1/cases/${caseId}/evidence/files`)
        .set('Authorization', t.auth)
        .field('party', 'customer')
        .field('category', category)
        .attach('file', file, name)
        .expect(200)
    ).body.files[0] as { id: string };
  const share = (caseId: string, fileId: string) => t.http.post(`/v1/cases/${caseId}/evidence/files/${fileId}/share-with-merchant`).set('Authorization', t.auth);

  it('a dispute: the merchant lists and downloads only the customer files an agent shared, and only on their own case', async () => {
    const { id } = await open(disputeBody({ merchantId: shop.id }));
    const photo = await uploadForCustomer(id, PNG, '破损照片.png', 'product_photos');
    const receipt = await uploadForCustomer(id, PDF, 'receipt.pdf', 'receipt');
    const shared = () => t.http.get(`/v1/merchant/disputes/${id}/customer-evidence`).set('Authorization', shop.auth).expect(200);
    const download = (fileId: string, merchant = shop) => t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${fileId}/content`).set('Authorization', merchant.auth);

    expect((await shared()).body).toEqual({ object: 'list', data: [] });
    expect((await download(photo.id).expect(404)).body.code).toBe('NOT_FOUND');

    const first = await share(id, photo.id).expect(200);
    expect(first.body).toMatchObject({ id: photo.id, party: 'customer', filename: '破损照片.png', shared_with_merchant_at: expect.any(String) });
    // Sharing again changes nothing.
    expect((await share(id, photo.id).expect(200)).body.shared_with_merchant_at).toBe(first.body.shared_with_merchant_at);

    expect((await shared()).body.data).toEqual([
      expect.objectContaining({ id: photo.id, party: 'customer', category: 'product_photos', filename: '破损照片.png', content_type: 'image/png' }),
    ]);
    expect(Buffer.from((await download(photo.id).expect(200)).body).equals(PNG)).toBe(true);
    expect((await download(receipt.id).expect(404)).body.code).toBe('NOT_FOUND');
    // The merchant's own evidence view stays theirs.
    const ownView = (await t.http.get(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', shop.auth).expect(200)).body;
    expect(ownView.customer_files).toBeUndefined();
    // Another merchant sees none of it.
    expect((await t.http.get(`/v1/merchant/disputes/${id}/customer-evidence`).set('Authorization', other.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    expect((await download(photo.id, other).expect(404)).body.code).toBe('CASE_NOT_FOUND');

    // Agents see what is shared; the timeline says who shared what, once.
    const agentView = (await t.http.get(`/v1/cases/${id}/evidence`).set('Authorization', t.auth).expect(200)).body;
    expect(agentView.customer_files.map((f: { id: string; shared_with_merchant_at: string | null }) => [f.id, f.shared_with_merchant_at])).toEqual([
      [photo.id, first.body.shared_with_merchant_at],
      [receipt.id, null],
    ]);
    const timeline = (await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{
      type: string;
      actor: { kind: string; id: string };
      payload: Record<string, unknown>;
    }>;
    const sharedEvents = timeline.filter((event) => event.type === 'evidence.shared_with_merchant');
    expect(sharedEvents.map((event) => [event.actor.kind, event.actor.id, event.payload.fileId])).toEqual([['agent', t.adminId, photo.id]]);
  });

  it('a refund request: the same rule; only customer files of a case with a merchant can be shared', async () => {
    const { id } = await open({
      kind: 'refund_request',
      channel: 'app',
      subject: 'Refund',
      customer: { id: 'u_ev' },
      merchantId: shop.id,
      transactionRef: `TX-EV-${randomBytes(4).toString('hex')}`,
      amount: { amountMinor: 5_000, currency: 'CNY' },
      reason: 'damaged',
      purchasedAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    const photo = await uploadForCustomer(id, PNG, 'photo.png', 'product_photos');
    const path = `/v1/merchant/refund-requests/${id}/customer-evidence`;
    expect((await t.http.get(path).set('Authorization', shop.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http.get(`${path}/${photo.id}/content`).set('Authorization', shop.auth).expect(404)).body.code).toBe('NOT_FOUND');
    await share(id, photo.id).expect(200);
    expect((await t.http.get(path).set('Authorization', shop.readOnlyAuth).expect(200)).body.data.map((f: { id: string }) => f.id)).toEqual([photo.id]);
    expect(Buffer.from((await t.http.get(`${path}/${photo.id}/content`).set('Authorization', shop.auth).expect(200)).body).equals(PNG)).toBe(true);
    expect((await t.http.get(`${path}/${photo.id}/content`).set('Authorization', other.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');

    // Nothing to share: no such file, a file of another case, a case without a merchant.
    expect((await share(id, '00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await share(id, 'nonsense').expect(404)).body.code).toBe('NOT_FOUND');
    const dispute = await open(disputeBody({ merchantId: shop.id }));
    expect((await share(dispute.id, photo.id).expect(404)).body.code).toBe('NOT_FOUND');
    const inquiry = await open({ kind: 'inquiry', channel: 'app', subject: 'Question', customer: { id: 'u_ev' } });
    const lonely = await uploadForCustomer(inquiry.id, PNG, 'x.png', 'other');
    expect((await share(inquiry.id, lonely.id).expect(422)).body.code).toBe('MERCHANT_NOT_A_PARTY');
    expect(await t.sql('select 1 from evidence_files where id = $1 and shared_with_merchant_at is not null', [lonely.id])).toEqual([]);
    expect((await share('00000000-0000-4000-8000-000000000000', photo.id).expect(404)).body.code).toBe('CASE_NOT_FOUND');
  });

  it('reminds the merchant (webhook) before an information request to them times out, and not after they answered', async () => {
    await t.http
      .put('/v1/sla/policies/fast-info-requests')
      .set('Authorization', t.auth)
      .send({
        name: 'Fast information requests (tests)',
        position: 1,
        match: { kinds: ['dispute'], channels: ['weibo'] },
        calendarId: 'prc-default',
        targets: { customerReply: { minutes: 6 * SECONDS, mode: 'calendar' } },
        reminders: [{ kind: 'fraction', fraction: 0.5 }],
      })
      .expect(200);
    const receiver = await startWebhookReceiver();
    try {
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', shop.auth)
        .send({ url: receiver.url, events: ['dispute.info_request_due_soon'] })
        .expect(200);
      const answered = await open(disputeBody({ channel: 'weibo', merchantId: shop.id }));
      const silent = await open(disputeBody({ channel: 'weibo', merchantId: shop.id }));
      for (const id of [answered.id, silent.id]) {
        await agentSends(id, 'FORWARD_TO_MERCHANT');
        await agentSends(id, 'MERCHANT_CONTEST', { summary: 'Delivered' });
        await agentSends(id, 'REQUEST_MERCHANT_INFO', { question: 'Please send the signed delivery note' });
        if (id === answered.id) await agentSends(id, 'MERCHANT_INFO_PROVIDED', { summary: 'Sent by email' });
      }

      const reminder = await waitFor('the reminder webhook', async () => receiver.accepted().find((r) => r.event.type === 'dispute.info_request_due_soon'));
      expect(reminder.event.data.object).toMatchObject({ id: silent.id, status: 'needs_response', info_request: { question: 'Please send the signed delivery note' } });
      const [window] = await t.sql<{ due_at: Date }>(`select due_at from deadlines where case_id = $1 and name = 'infoReplyWindow'`, [silent.id]);
      expect(reminder.event.data.object.evidence_due_by).toBe(window!.due_at.toISOString());

      // The silent merchant's window runs out (they lose); the one who answered was never reminded.
      await waitFor('the silent merchant to lose', async () => {
        const view = (await t.http.get(`/v1/cases/${silent.id}`).set('Authorization', t.auth).expect(200)).body;
        return view.state !== 'investigation.awaitingMerchantInfo';
      });
      const reminders = async (caseId: string) =>
        t.sql<{ payload: { replyDueBy: string; merchantId: string } }>(`select payload from outbox where case_id = $1 and payload->>'topic' = 'dispute.info_request_due_soon'`, [
          caseId,
        ]);
      expect((await reminders(silent.id)).map((row) => row.payload)).toEqual([
        expect.objectContaining({ merchantId: shop.id, replyDueBy: window!.due_at.toISOString(), reminder: 'merchant-info-reminder-50pct' }),
      ]);
      expect(await reminders(answered.id)).toEqual([]);
      // Its reminder was planned with the request and cancelled with the window when the merchant answered.
      expect(await t.sql(`select status from deadlines where case_id = $1 and name like 'merchant-info-%'`, [answered.id])).toEqual([{ status: 'cancelled' }]);
    } finally {
      await receiver.close();
    }
  });
});
