import { MikroORM, RequestContext } from '@mikro-orm/core';
import { VerifyCaseReplay } from '@app/cases';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

describe('the event log replays to the stored snapshot', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DISPUTE_MERCHANT_RESPONSE_SECONDS: '1' });
  });
  afterAll(() => t.close());

  const verify = () => RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(VerifyCaseReplay).execute({ batchSize: 3 }));
  const send = async (id: string, type: string, payload?: Record<string, unknown>) => {
    const { body } = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
    await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: body.version }).expect(200);
  };

  it('for every case, whatever path it took (agents, deadlines, refund gateway, notes and assignments in between)', async () => {
    const silent = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id;
    await send(silent, 'FORWARD_TO_MERCHANT');

    const contested = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id;
    await send(contested, 'FORWARD_TO_MERCHANT');
    await send(contested, 'MERCHANT_CONTEST', { summary: 'Delivered.' });
    await t.http.post(`/v1/cases/${contested}/notes`).set('Authorization', t.auth).send({ body: 'customer called again' }).expect(201);
    await t.http.post(`/v1/cases/${contested}/assign`).set('Authorization', t.auth).send({ assigneeId: t.adminId }).expect(200);
    await send(contested, 'DECIDE_REJECT', { reason: 'Proof of delivery' });

    const withdrawn = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id;
    await send(withdrawn, 'WITHDRAW', { reason: 'found the parcel' });

    const inquiry = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: 'email', subject: 'fees?', customer: { id: 'u_9' } })
        .expect(201)
    ).body.id;

    await waitFor('the silent merchant case to be refunded', async () => {
      const { body } = await t.http.get(`/v1/cases/${silent}`).set('Authorization', t.auth);
      return body.state === 'resolved';
    });

    const result = await verify();
    expect(result.checked).toBe(4);
    expect(result.mismatches).toEqual([]);
    expect(inquiry).toBeDefined();
  });

  it('reports a case whose stored snapshot no longer matches its events', async () => {
    const id = (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201)).body.id;
    await send(id, 'FORWARD_TO_MERCHANT');
    await t.sql(`update cases set snapshot = jsonb_set(snapshot, '{context,refundedMinor}', '999') where id = $1`, [id]);

    const result = await verify();
    expect(result.mismatches.map((mismatch) => mismatch.caseId)).toEqual([id]);
  });
});
