import { MikroORM, RequestContext } from '@mikro-orm/core';
import { PostCaseMessage, mintCustomerToken } from '@app/customers';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver } from '../support/webhook-receiver';

/**
 * The conversation on a case over HTTP: agents write to the customer and (disputes) the merchant,
 * merchants answer through their API, and what comes in lands in the agent inbox.
 */
describe('case conversation: messages to and from the customer and the merchant', () => {
  let t: TestApp;
  let agent: { auth: string; id: string };
  let otherAgent: { auth: string; id: string };

  const CUSTOMER_SECRET = 'conversation-test-customer-secret-0123456789';

  beforeAll(async () => {
    t = await startTestApp({ CUSTOMER_TOKEN_SECRETS: CUSTOMER_SECRET });
    agent = await t.login('agent@test.local', 'agent');
    otherAgent = await t.login('agent2@test.local', 'agent');
  });
  afterAll(() => t.close());

  const openDispute = async (merchantId: string, customerId = 'u_conv') =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ merchantId, customer: { id: customerId, name: '王芳' } }))
        .expect(201)
    ).body as {
      id: string;
      version: number;
    };
  const counts = async (caseId: string) => {
    const [row] = await t.sql<{ messages: string; notifies: string; inbox: string }>(
      `select (select count(*) from case_messages where case_id = $1) as messages,
              (select count(*) from outbox where case_id = $1 and payload->>'topic' in ('conversation.agent_replied', 'dispute.message')) as notifies,
              (select count(*) from notifications where case_id = $1 and type like 'conversation.%') as inbox`,
      [caseId],
    );
    return { messages: Number(row!.messages), notifies: Number(row!.notifies), inbox: Number(row!.inbox) };
  };
  /** The customer writes through the customer API, signed in with a token from the wallet backend. */
  const customerWrites = async (caseId: string, customerId: string, body: string, locale?: 'zh-CN' | 'en') =>
    (
      await t.http
        .post(`/v1/customer/cases/${caseId}/messages`)
        .set('Authorization', `Bearer ${mintCustomerToken(CUSTOMER_SECRET, customerId)}`)
        .send({ body, ...(locale ? { locale } : {}) })
        .expect(200)
    ).body;

  it('an agent’s reply to the customer writes its notify outbox row (topic, audience, message) and it is relayed after commit', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id);
    const sent = await t.http
      .post(`/v1/cases/${dispute.id}/messages`)
      .set('Authorization', agent.auth)
      .send({ party: 'customer', body: '  您好，我们已收到您的申请。  ' })
      .expect(201);
    expect(sent.body).toMatchObject({ caseId: dispute.id, party: 'customer', direction: 'outbound', body: '您好，我们已收到您的申请。', locale: 'zh-CN', macroId: null });
    expect(sent.body.author).toEqual({ kind: 'agent', id: agent.id, displayName: 'agent' });

    const [message] = await t.sql<{ outbox_id: string }>('select outbox_id from case_messages where id = $1', [sent.body.id]);
    const [outbox] = await t.sql<{ id: string; type: string; payload: Record<string, unknown> }>('select id, type, payload from outbox where id = $1', [message!.outbox_id]);
    expect(outbox).toMatchObject({ type: 'notify' });
    expect(outbox!.payload).toMatchObject({
      topic: 'conversation.agent_replied',
      audience: ['customer'],
      customerId: 'u_conv',
      messageId: sent.body.id,
      body: '您好，我们已收到您的申请。',
      locale: 'zh-CN',
    });
    await waitFor(
      'the notify row relayed and handled',
      async () => (await t.sql<{ status: string }>('select status from outbox where id = $1', [outbox!.id]))[0]!.status === 'done',
    );
    // Outbound messages are not the agent's inbox.
    expect((await counts(dispute.id)).inbox).toBe(0);
  });

  it('one transaction: when the outbox row cannot be written, the message is not stored either', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id);
    // A real failure inside PostgreSQL, after the message row was inserted in the same transaction.
    await t.sql(`create function refuse_test_outbox() returns trigger language plpgsql as $$
      begin if new.payload->>'body' = 'outbox refuses this' then raise exception 'outbox refused'; end if; return new; end $$`);
    await t.sql(`create trigger refuse_test_outbox before insert on outbox for each row execute function refuse_test_outbox()`);
    try {
      await t.http.post(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).send({ party: 'customer', body: 'outbox refuses this' }).expect(500);
      expect(await counts(dispute.id)).toEqual({ messages: 0, notifies: 0, inbox: 0 });
    } finally {
      await t.sql('drop trigger refuse_test_outbox on outbox');
      await t.sql('drop function refuse_test_outbox()');
    }
    await t.http.post(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).send({ party: 'customer', body: 'outbox takes this' }).expect(201);
    expect(await counts(dispute.id)).toEqual({ messages: 1, notifies: 1, inbox: 0 });
  });

  it('a reply goes out in the language the customer last wrote in, and the thread shows both directions, oldest first', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id, 'u_lang');
    const before = await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).expect(200);
    expect(before.body).toEqual({ caseId: dispute.id, replyLocales: { customer: 'zh-CN', merchant: 'zh-CN' }, messages: [] });

    await customerWrites(dispute.id, 'u_lang', 'Where is my refund?', 'en');
    const thread = await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).expect(200);
    expect(thread.body.replyLocales).toEqual({ customer: 'en', merchant: 'zh-CN' });
    const reply = await t.http.post(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).send({ party: 'customer', body: 'It is on its way.' }).expect(201);
    expect(reply.body.locale).toBe('en');
    // The agent may still choose.
    const chinese = await t.http
      .post(`/v1/cases/${dispute.id}/messages`)
      .set('Authorization', agent.auth)
      .send({ party: 'customer', body: '退款已发出。', locale: 'zh-CN' })
      .expect(201);
    expect(chinese.body.locale).toBe('zh-CN');

    const after = await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).expect(200);
    expect(after.body.messages.map((m: { direction: string; author: { kind: string }; body: string }) => [m.direction, m.author.kind, m.body])).toEqual([
      ['inbound', 'customer', 'Where is my refund?'],
      ['outbound', 'agent', 'It is on its way.'],
      ['outbound', 'agent', '退款已发出。'],
    ]);
    const customerOnly = await t.http.get(`/v1/cases/${dispute.id}/messages?party=merchant`).set('Authorization', agent.auth).expect(200);
    expect(customerOnly.body.messages).toEqual([]);
  });

  it('a customer’s message lands in the assignee’s inbox; the bell counts it and reading it counts it down', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id, 'u_inbox');
    await t.http.post(`/v1/cases/${dispute.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200);
    const unreadBefore = (await t.http.get('/v1/notifications/unread-count').set('Authorization', agent.auth).expect(200)).body.unread as number;

    await customerWrites(dispute.id, 'u_inbox', '快递单号是 SF123，但我一直没收到。');
    expect((await t.http.get('/v1/notifications/unread-count').set('Authorization', agent.auth).expect(200)).body).toEqual({ unread: unreadBefore + 1 });
    const inbox = await t.http.get('/v1/notifications?unread=true').set('Authorization', agent.auth).expect(200);
    const entry = inbox.body.find((n: { caseId: string }) => n.caseId === dispute.id);
    expect(entry).toMatchObject({
      audience: 'agent',
      type: 'conversation.customer_replied',
      payload: { caseId: dispute.id, party: 'customer', excerpt: '快递单号是 SF123，但我一直没收到。' },
    });
    // Nobody else's inbox: another agent does not see it.
    const other = await t.http.get('/v1/notifications').set('Authorization', otherAgent.auth).expect(200);
    expect(other.body.some((n: { caseId: string }) => n.caseId === dispute.id)).toBe(false);

    await t.http.post(`/v1/notifications/${entry.id}/read`).set('Authorization', agent.auth).expect(204);
    expect((await t.http.get('/v1/notifications/unread-count').set('Authorization', agent.auth).expect(200)).body).toEqual({ unread: unreadBefore });
  });

  it('merchant: writes on its own dispute (idempotently), lands in the supervisors’ queue while unassigned, and reads only its side', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id, 'u_m');
    await customerWrites(dispute.id, 'u_m', 'customer side, not for the merchant');
    const supervisorUnread = (await t.http.get('/v1/notifications/unread-count').set('Authorization', t.auth).expect(200)).body.unread as number;

    const post = () =>
      t.http
        .post(`/v1/merchant/disputes/${dispute.id}/messages`)
        .set('Authorization', merchant.auth)
        .set('Idempotency-Key', 'msg-1')
        .send({ body: 'We shipped it on 1 Dec.', locale: 'en' });
    const first = await post().expect(200);
    expect(first.body).toMatchObject({ dispute_id: dispute.id, direction: 'inbound', from: 'merchant', body: 'We shipped it on 1 Dec.', locale: 'en' });
    const again = await post().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await counts(dispute.id)).toMatchObject({ messages: 2, inbox: 2 });

    const [entry] = await t.sql<{ audience: string; recipient_agent_id: string | null; payload: { messageId: string } }>(
      `select audience, recipient_agent_id, payload from notifications where case_id = $1 and type = 'conversation.merchant_replied'`,
      [dispute.id],
    );
    expect(entry).toMatchObject({ audience: 'supervisors', recipient_agent_id: null, payload: { messageId: first.body.id } });
    // The merchant's message went to the supervisors' queue (the admin sees it), plus the customer's before it.
    expect((await t.http.get('/v1/notifications/unread-count').set('Authorization', t.auth).expect(200)).body.unread).toBe(supervisorUnread + 1);
    expect((await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).expect(200)).body.replyLocales.merchant).toBe('en');

    const listed = await t.http.get(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', merchant.readOnlyAuth).expect(200);
    expect(listed.body).toEqual({ object: 'list', data: [first.body] });
  });

  it('an agent’s message to the merchant is a signed dispute.message webhook carrying the message', async () => {
    const merchant = await t.createMerchant();
    const receiver = await startWebhookReceiver();
    try {
      await t.http
        .post('/v1/merchant/webhook-endpoints')
        .set('Authorization', merchant.auth)
        .send({ url: receiver.url, events: ['dispute.message'] })
        .expect(200);
      const dispute = await openDispute(merchant.id);
      const sent = await t.http
        .post(`/v1/cases/${dispute.id}/messages`)
        .set('Authorization', agent.auth)
        .send({ party: 'merchant', body: 'Please send the tracking number.', locale: 'en' })
        .expect(201);
      const [outbox] = await t.sql<{ payload: Record<string, unknown> }>('select o.payload from outbox o join case_messages m on m.outbox_id = o.id where m.id = $1', [
        sent.body.id,
      ]);
      expect(outbox!.payload).toMatchObject({ topic: 'dispute.message', audience: ['merchant'], merchantId: merchant.id, messageId: sent.body.id, locale: 'en' });

      const [delivered] = await waitFor('the dispute.message webhook', async () => (receiver.accepted().length ? receiver.accepted() : undefined));
      expect(delivered!.event.type).toBe('dispute.message');
      expect(delivered!.event.data.object).toMatchObject({ id: dispute.id });
      expect(delivered!.event.data.message).toMatchObject({
        id: sent.body.id,
        dispute_id: dispute.id,
        direction: 'outbound',
        from: 'support',
        body: 'Please send the tracking number.',
        locale: 'en',
      });
      const listed = await t.http.get(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', merchant.auth).expect(200);
      expect(listed.body.data.map((m: { id: string; from: string }) => [m.id, m.from])).toEqual([[sent.body.id, 'support']]);
    } finally {
      await receiver.close();
    }
  });

  it('tenant isolation: another merchant’s dispute is a 404 both ways, a restricted key cannot write, nothing is stored', async () => {
    const owner = await t.createMerchant();
    const stranger = await t.createMerchant();
    const dispute = await openDispute(owner.id);
    const inquiry = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: 'weibo', subject: 'hello', customer: { id: 'u_q' } })
        .expect(201)
    ).body;

    for (const id of [dispute.id, inquiry.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const read = await t.http.get(`/v1/merchant/disputes/${id}/messages`).set('Authorization', stranger.auth).expect(404);
      expect(read.body.code).toBe('CASE_NOT_FOUND');
      const write = await t.http.post(`/v1/merchant/disputes/${id}/messages`).set('Authorization', stranger.auth).send({ body: 'hi' }).expect(404);
      expect(write.body.code).toBe('CASE_NOT_FOUND');
    }
    expect((await t.http.post(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', owner.readOnlyAuth).send({ body: 'hi' }).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
    // Agent sessions are not merchant credentials, and merchant keys are not agent credentials.
    await t.http.get(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', agent.auth).expect(401);
    await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', owner.auth).expect(401);
    expect(await counts(dispute.id)).toEqual({ messages: 0, notifies: 0, inbox: 0 });
    expect(await counts(inquiry.id)).toEqual({ messages: 0, notifies: 0, inbox: 0 });
  });

  it('bad input is a 4xx with a stable code and stores nothing', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id);
    const inquiry = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: 'weibo', subject: 'hello', customer: { id: 'u_q2' } })
        .expect(201)
    ).body;
    const post = (caseId: string, body: unknown) =>
      t.http
        .post(`/v1/cases/${caseId}/messages`)
        .set('Authorization', agent.auth)
        .send(body as object);

    const refused: Array<[string, unknown, number, string]> = [
      [dispute.id, { party: 'customer', body: '   ' }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer', body: 'x'.repeat(5001) }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer' }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'wallet', body: 'hi' }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer', body: 'hi', locale: 'fr' }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer', body: 'hi', internal: true }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer', body: 'hi', macroId: 'nope' }, 400, 'VALIDATION_FAILED'],
      [dispute.id, { party: 'customer', body: 'hi', macroId: '00000000-0000-4000-8000-000000000000' }, 404, 'MACRO_NOT_FOUND'],
      [inquiry.id, { party: 'merchant', body: 'hi' }, 422, 'MERCHANT_NOT_A_PARTY'],
      ['00000000-0000-4000-8000-000000000000', { party: 'customer', body: 'hi' }, 404, 'CASE_NOT_FOUND'],
      ['not-a-uuid', { party: 'customer', body: 'hi' }, 404, 'CASE_NOT_FOUND'],
    ];
    for (const [caseId, body, status, code] of refused) {
      const response = await post(caseId, body);
      expect([JSON.stringify(body).slice(0, 60), response.status, response.body.code]).toEqual([JSON.stringify(body).slice(0, 60), status, code]);
      expect(typeof response.body.message).toBe('string');
    }
    const merchantRefused = await t.http.post(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', merchant.auth).send({ body: '' }).expect(400);
    expect(merchantRefused.body.code).toBe('VALIDATION_FAILED');
    await t.http.post(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', merchant.auth).send({ body: 'hi', party: 'customer' }).expect(400);
    await t.http.post(`/v1/merchant/disputes/${dispute.id}/messages`).set('Authorization', merchant.auth).set('Content-Type', 'application/json').send('{"body":').expect(400);
    await t.http.get(`/v1/cases/${dispute.id}/messages?party=wallet`).set('Authorization', agent.auth).expect(400);
    // A customer writes only on the customer side and never with a macro.
    await expect(
      RequestContext.create(t.app.get(MikroORM).em, () =>
        t.app.get(PostCaseMessage).execute({ caseId: dispute.id, body: 'hi', party: 'merchant' }, { kind: 'customer', id: 'u_conv' }),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // Someone else's case is the same 404 for a customer as a missing one.
    const stranger = `Bearer ${mintCustomerToken(CUSTOMER_SECRET, 'u_someone_else')}`;
    expect((await t.http.post(`/v1/customer/cases/${dispute.id}/messages`).set('Authorization', stranger).send({ body: 'hi' }).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    const owner = `Bearer ${mintCustomerToken(CUSTOMER_SECRET, 'u_conv')}`;
    expect((await t.http.post(`/v1/customer/cases/${dispute.id}/messages`).set('Authorization', owner).send({ body: ' ' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

    expect(await counts(dispute.id)).toEqual({ messages: 0, notifies: 0, inbox: 0 });
    expect(await counts(inquiry.id)).toEqual({ messages: 0, notifies: 0, inbox: 0 });
  });

  it('internal notes stay on the timeline and out of the conversation; messages stay out of the timeline', async () => {
    const merchant = await t.createMerchant();
    const dispute = await openDispute(merchant.id);
    await t.http.post(`/v1/cases/${dispute.id}/notes`).set('Authorization', agent.auth).send({ body: 'customer sounded upset (internal)' }).expect(201);
    await t.http.post(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).send({ party: 'customer', body: 'We are on it.' }).expect(201);
    const thread = await t.http.get(`/v1/cases/${dispute.id}/messages`).set('Authorization', agent.auth).expect(200);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual(['We are on it.']);
    const timeline = await t.http.get(`/v1/cases/${dispute.id}/timeline`).set('Authorization', agent.auth).expect(200);
    const text = JSON.stringify(timeline.body);
    expect(text).toContain('customer sounded upset (internal)');
    expect(text).not.toContain('We are on it.');
    expect((await counts(dispute.id)).notifies).toBe(1);
  });
});

describe('macros: admins write, agents read and fill them in for a case', () => {
  let t: TestApp;
  let agent: { auth: string; id: string };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.login('macro-agent@test.local', 'agent');
  });
  afterAll(() => t.close());

  const macro = {
    translations: {
      'zh-CN': { title: '已收到申请', body: '{customerName}，您好：案件 {caseNumber} 已由 {agentName} 受理。' },
      en: { title: 'Request received', body: 'Dear {customerName}, case {caseNumber} is with {agentName}.' },
    },
  };

  it('agents may not write macros; admins create, replace and delete them; agents list and render them', async () => {
    await t.http.post('/v1/macros').set('Authorization', agent.auth).send(macro).expect(403);
    const created = await t.http.post('/v1/macros').set('Authorization', t.auth).send(macro).expect(201);
    expect(created.body).toMatchObject({ translations: macro.translations, createdBy: t.adminId });
    await t.http.put(`/v1/macros/${created.body.id}`).set('Authorization', agent.auth).send(macro).expect(403);
    await t.http.delete(`/v1/macros/${created.body.id}`).set('Authorization', agent.auth).expect(403);

    const listed = await t.http.get('/v1/macros').set('Authorization', agent.auth).expect(200);
    expect(listed.body).toEqual({ data: [expect.objectContaining({ id: created.body.id })], nextCursor: null });

    const dispute = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ customer: { id: 'u_mac', name: '王芳' } }))
        .expect(201)
    ).body;
    const caseNumber = dispute.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    const zh = await t.http.get(`/v1/macros/${created.body.id}/render?caseId=${dispute.id}`).set('Authorization', agent.auth).expect(200);
    expect(zh.body).toEqual({ macroId: created.body.id, locale: 'zh-CN', title: '已收到申请', body: `王芳，您好：案件 ${caseNumber} 已由 macro-agent 受理。` });
    const en = await t.http.get(`/v1/macros/${created.body.id}/render?caseId=${dispute.id}&locale=en`).set('Authorization', agent.auth).expect(200);
    expect(en.body.body).toBe(`Dear 王芳, case ${caseNumber} is with macro-agent.`);

    const sent = await t.http
      .post(`/v1/cases/${dispute.id}/messages`)
      .set('Authorization', agent.auth)
      .send({ party: 'customer', body: en.body.body, locale: 'en', macroId: created.body.id })
      .expect(201);
    expect(sent.body.macroId).toBe(created.body.id);

    const replaced = { translations: { ...macro.translations, en: { title: 'Received', body: 'Case {caseNumber}: received.' } } };
    const updated = await t.http.put(`/v1/macros/${created.body.id}`).set('Authorization', t.auth).send(replaced).expect(200);
    expect(updated.body.translations.en).toEqual({ title: 'Received', body: 'Case {caseNumber}: received.' });

    await t.http.delete(`/v1/macros/${created.body.id}`).set('Authorization', t.auth).expect(204);
    expect((await t.http.put(`/v1/macros/${created.body.id}`).set('Authorization', t.auth).send(replaced).expect(404)).body.code).toBe('MACRO_NOT_FOUND');
    expect((await t.http.delete(`/v1/macros/${created.body.id}`).set('Authorization', t.auth).expect(404)).body.code).toBe('MACRO_NOT_FOUND');
    expect((await t.http.get(`/v1/macros/${created.body.id}/render?caseId=${dispute.id}`).set('Authorization', agent.auth).expect(404)).body.code).toBe('MACRO_NOT_FOUND');
    // The message keeps the id of the macro it used.
    expect((await t.sql<{ macro_id: string }>('select macro_id from case_messages where id = $1', [sent.body.id]))[0]!.macro_id).toBe(created.body.id);
  });

  it('a macro needs a title and a body in both languages and only known placeholders; a refused one is not stored', async () => {
    const refused = [
      { translations: { 'zh-CN': macro.translations['zh-CN'] } },
      { translations: { ...macro.translations, en: { title: '', body: 'x' } } },
      { translations: { ...macro.translations, en: { title: 'x', body: 'Hello {customerNmae}' } } },
      { translations: { ...macro.translations, fr: { title: 'x', body: 'y' } } },
      { translations: macro.translations, extra: 1 },
      {},
    ];
    for (const body of refused) {
      const response = await t.http.post('/v1/macros').set('Authorization', t.auth).send(body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await t.http.post('/v1/macros').set('Authorization', t.auth).send(refused[2]).expect(400);
    expect(unknown.body.fields).toEqual([{ path: 'translations.en.body', message: expect.stringContaining('{customerNmae}') }]);
    const before = await t.sql<{ n: string }>('select count(*) as n from macros');
    await t.http.put('/v1/macros/00000000-0000-4000-8000-000000000000').set('Authorization', t.auth).send(macro).expect(404);
    await t.http.put('/v1/macros/not-a-uuid').set('Authorization', t.auth).send(refused[0]).expect(400);
    await t.http.get('/v1/macros/00000000-0000-4000-8000-000000000000/render?caseId=nope').set('Authorization', t.auth).expect(400);
    expect(await t.sql<{ n: string }>('select count(*) as n from macros')).toEqual(before);
    expect(Number(before[0]!.n)).toBe(0);
  });
});
