import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { FireDeadline } from '@app/cases';
import { ReplyToInfoRequest, mintCustomerToken } from '@app/customers';
import { EvidenceStorage } from '@app/evidence';
import { PDF, PNG } from '../support/evidence-files';
import { filesUnder } from '../support/files-under';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

const SECRET = 'customer-api-test-secret-newest-0123456789';
const OLD_SECRET = 'customer-api-test-secret-previous-012345678';

describe('customer API: cases in plain words, answers, evidence, withdraw, appeal, rating, messages', () => {
  let t: TestApp;
  let alice: string;
  const ALICE = 'u_alice';

  beforeAll(async () => {
    t = await startTestApp({ CUSTOMER_TOKEN_SECRETS: `${SECRET},${OLD_SECRET}` });
    alice = `Bearer ${mintCustomerToken(SECRET, ALICE)}`;
  });
  afterAll(() => t.close());

  const open = async (customerId = ALICE, overrides: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ customer: { id: customerId, name: '王小明' }, ...overrides }))
        .expect(201)
    ).body.id as string;
  /** An agent sends an event at the case's current version. */
  const agentSends = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
    const { body } = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
    await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: body.version }).expect(200);
  };
  const waitingForAlice = async (question = '请上传包裹面单的照片') => {
    const id = await open();
    await agentSends(id, 'FORWARD_TO_MERCHANT');
    await agentSends(id, 'MERCHANT_CONTEST', { summary: 'Delivered on 3 May' });
    await agentSends(id, 'REQUEST_CUSTOMER_INFO', { question });
    return id;
  };
  const decided = async () => {
    const id = await open();
    await agentSends(id, 'FORWARD_TO_MERCHANT');
    await agentSends(id, 'MERCHANT_CONTEST', { summary: 'Delivered on 3 May' });
    await agentSends(id, 'DECIDE_REJECT', { reason: 'Signed for by the buyer' });
    return id;
  };
  const footprint = async (id: string) => {
    const [rows] = await t.sql(
      `select c.state, c.version, (select count(*) from case_events e where e.case_id = c.id) as events,
              (select count(*) from evidence_files f where f.case_id = c.id) as files,
              (select count(*) from case_ratings r where r.case_id = c.id) as ratings
       from cases c where c.id = $1`,
      [id],
    );
    return {
      rows,
      stored: filesUnder(t.storageDir)
        .filter((path) => !path.startsWith('.incoming'))
        .sort(),
    };
  };

  it('lists only my cases, newest first, with a cursor and a page limit', async () => {
    const mine = [await open('u_lister'), await open('u_lister'), await open('u_lister')];
    await open('u_someone_else');
    const auth = `Bearer ${mintCustomerToken(SECRET, 'u_lister')}`;
    const first = await t.http.get('/v1/customer/cases?limit=2').set('Authorization', auth).expect(200);
    expect(first.body.data.map((c: { id: string }) => c.id)).toEqual([mine[2], mine[1]]);
    expect(first.body.has_more).toBe(true);
    const second = await t.http.get(`/v1/customer/cases?limit=2&cursor=${first.body.next_cursor}`).set('Authorization', auth).expect(200);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.body.data.map((c: { id: string }) => c.id)).toEqual([mine[0]]);
    expect((await t.http.get('/v1/customer/cases?limit=51').set('Authorization', auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/v1/customer/cases?cursor=nonsense').set('Authorization', auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('shows a case waiting for me in plain words, in my language, with the question, the deadline and what I may do', async () => {
    const id = await waitingForAlice('请上传包裹面单的照片');
    const [deadline] = await t.sql<{ due_at: Date }>(`select due_at from deadlines where case_id = $1 and name = 'infoReplyWindow' and status = 'pending'`, [id]);

    const zh = await t.http.get(`/v1/customer/cases/${id}`).set('Authorization', alice).expect(200);
    expect(zh.body).toMatchObject({
      id,
      kind: 'dispute',
      kind_text: '交易争议',
      locale: 'zh-CN',
      status: { code: 'waiting_for_you', text: '等待您补充信息' },
      waiting_for: { what: 'information', question: '请上传包裹面单的照片', due_at: deadline!.due_at.toISOString() },
      amounts: { claimed: { amount_minor: 10_000, currency: 'CNY', text: '¥100.00' }, refunded: null, refund_in_progress: null },
      outcome: null,
      rating: null,
    });
    expect(zh.body.next_step).toMatchObject({ code: 'answer_our_question', due_at: deadline!.due_at.toISOString() });
    expect(zh.body.next_step.text).toMatch(/^请在 .+ 前回答我们的问题/);
    expect(typeof zh.body.next_step.working_hours_left).toBe('number');
    expect(zh.body.next_step.working_hours_left).toBeGreaterThan(0);
    expect(zh.body.allowed_actions.sort()).toEqual(['add_evidence', 'reply_to_info_request', 'withdraw']);
    // Nothing of the machine's internals or of the agents.
    expect(zh.body).not.toHaveProperty('snapshot');
    expect(zh.body).not.toHaveProperty('assignee');

    const en = await t.http.get(`/v1/customer/cases/${id}`).set('Authorization', alice).set('Accept-Language', 'en-US,en;q=0.9').expect(200);
    expect(en.body.status).toEqual({ code: 'waiting_for_you', text: 'Waiting for your reply' });
    expect(en.body.next_step.text).toMatch(/^Please answer our question by .+; without an answer/);
    expect(en.body.amounts.claimed.text).toBe('CN¥100.00');
    const query = await t.http.get(`/v1/customer/cases/${id}?locale=zh-CN`).set('Authorization', alice).set('Accept-Language', 'en').expect(200);
    expect(query.body.locale).toBe('zh-CN');
    expect((await t.http.get(`/v1/customer/cases/${id}?locale=fr`).set('Authorization', alice).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers the information request with text and files: one CUSTOMER_INFO_PROVIDED from the customer, files as my evidence, replayable by key', async () => {
    const id = await waitingForAlice();
    const reply = () =>
      t.http
        .post(`/v1/customer/cases/${id}/info-replies?locale=en`)
        .set('Authorization', alice)
        .set('Idempotency-Key', `reply-${id}`)
        .field('text', 'Here is the label, the parcel never came')
        .field('category', 'product_photos')
        .attach('file', PNG, 'label.png');
    const answered = await reply().expect(200);
    expect(answered.body.status.code).toBe('in_review');
    expect(answered.body.waiting_for).toBeNull();

    const events = await t.sql<{ type: string; actor_kind: string; actor_id: string; payload: { summary: string } }>(
      `select type, actor_kind, actor_id, payload from case_events where case_id = $1 and type = 'CUSTOMER_INFO_PROVIDED'`,
      [id],
    );
    expect(events).toEqual([
      { type: 'CUSTOMER_INFO_PROVIDED', actor_kind: 'customer', actor_id: ALICE, payload: expect.objectContaining({ summary: expect.stringContaining('Here is the label') }) },
    ]);
    const files = await t.sql<{ party: string; uploaded_by_kind: string; uploaded_by_id: string; category: string; storage_key: string }>(
      `select party, uploaded_by_kind, uploaded_by_id, category, storage_key from evidence_files where case_id = $1`,
      [id],
    );
    expect(files).toEqual([expect.objectContaining({ party: 'customer', uploaded_by_kind: 'customer', uploaded_by_id: ALICE, category: 'product_photos' })]);
    expect(filesUnder(t.storageDir)).toContain(files[0]!.storage_key);

    const replayed = await reply().expect(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(answered.body);
    expect(await t.sql(`select 1 from case_events where case_id = $1 and type = 'CUSTOMER_INFO_PROVIDED'`, [id])).toHaveLength(1);

    // Agents see the customer's file beside the merchant's evidence.
    const evidence = await t.http.get(`/v1/cases/${id}/evidence`).set('Authorization', t.auth).expect(200);
    expect(evidence.body.customer_files).toEqual([
      expect.objectContaining({ party: 'customer', category: 'product_photos', uploaded_by: { kind: 'customer', id: ALICE }, content_type: 'image/png' }),
    ]);
  });

  it('a reply to a case not waiting for me is a 409 and nothing is stored', async () => {
    const id = await open();
    const before = await footprint(id);
    const refused = await t.http.post(`/v1/customer/cases/${id}/info-replies`).set('Authorization', alice).field('text', 'Unasked').attach('file', PNG, 'x.png').expect(409);
    expect(refused.body).toMatchObject({ code: 'NOT_WAITING_FOR_CUSTOMER', caseId: id });
    expect(await footprint(id)).toEqual(before);
    const json = await t.http.post(`/v1/customer/cases/${id}/info-replies`).set('Authorization', alice).send({ text: 'Unasked' }).expect(409);
    expect(json.body.code).toBe('NOT_WAITING_FOR_CUSTOMER');
    // An empty answer to a case that does wait is a 400, and nothing changes either.
    const waiting = await waitingForAlice();
    const waitingBefore = await footprint(waiting);
    expect(
      (await t.http.post(`/v1/customer/cases/${waiting}/info-replies`).set('Authorization', alice).field('text', '   ').attach('file', PNG, 'x.png').expect(400)).body.fields,
    ).toEqual([{ path: 'text', message: '1 to 8000 characters' }]);
    expect((await t.http.post(`/v1/customer/cases/${waiting}/info-replies`).set('Authorization', alice).send({ text: 'x', file: 'no' }).expect(400)).body.fields).toEqual([
      { path: 'file', message: 'only text, category are accepted' },
    ]);
    expect(await footprint(waiting)).toEqual(waitingBefore);
    // A text-only answer may come as JSON.
    const answered = await t.http.post(`/v1/customer/cases/${waiting}/info-replies`).set('Authorization', alice).send({ text: '我从未透露密码' }).expect(200);
    expect(answered.body.status.code).toBe('in_review');
    expect(await t.sql(`select actor_kind, payload->>'summary' as summary from case_events where case_id = $1 and type = 'CUSTOMER_INFO_PROVIDED'`, [waiting])).toEqual([
      { actor_kind: 'customer', summary: '我从未透露密码' },
    ]);
    expect((await footprint(waiting)).rows!.files).toBe(waitingBefore.rows!.files);
  });

  it('when the machine refuses the answer inside the command (the case moved on after the upload was admitted), the stored files are deleted again', async () => {
    const id = await waitingForAlice();
    // The case moves on while the upload streams: an agent decides without waiting for the answer.
    await agentSends(id, 'CUSTOMER_INFO_PROVIDED', { summary: 'Told us on the phone' });
    const before = await footprint(id);
    const incoming = t.app.get(EvidenceStorage).incomingDir();
    mkdirSync(incoming, { recursive: true });
    const tempPath = join(incoming, `${randomUUID()}.part`);
    writeFileSync(tempPath, PNG);
    const upload = {
      category: undefined,
      fields: { text: 'Late answer' },
      files: [{ originalName: 'late.png', declaredType: 'image/png', tempPath, sizeBytes: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), head: PNG }],
    };
    const refusal = await RequestContext.create(t.app.get(MikroORM).em, () =>
      t.app
        .get(ReplyToInfoRequest)
        .execute({ customerId: ALICE, caseId: id, upload, locale: 'en' })
        .catch((error: { code?: string }) => error.code),
    );
    expect(refusal).toBe('NOT_WAITING_FOR_CUSTOMER');
    expect(await footprint(id)).toEqual(before);
    expect(existsSync(tempPath)).toBe(false);
  });

  it('hands in typed evidence; an agent uploads a file for the customer; wrong types, sizes and categories store nothing', async () => {
    const id = await open();
    const added = await t.http
      .post(`/v1/customer/cases/${id}/evidence`)
      .set('Authorization', alice)
      .set('Idempotency-Key', `ev-${id}`)
      .field('category', 'receipt')
      .attach('file', PDF, 'receipt.pdf')
      .expect(200);
    expect(added.body.files).toEqual([expect.objectContaining({ party: 'customer', category: 'receipt', filename: 'receipt.pdf', uploaded_by: { kind: 'customer', id: ALICE } })]);

    const onBehalf = await t.http
      .post(`/v1/cases/${id}/evidence/files`)
      .set('Authorization', t.auth)
      .field('party', 'customer')
      .field('category', 'chat_log')
      .attach('file', Buffer.from('客服聊天记录：2026-12-01 …'), 'chat.txt')
      .expect(200);
    expect(onBehalf.body.files).toEqual([
      expect.objectContaining({ party: 'customer', category: 'chat_log', uploaded_by: { kind: 'agent', id: t.adminId }, content_type: 'text/plain' }),
    ]);
    const agentView = await t.http.get(`/v1/cases/${id}/evidence`).set('Authorization', t.auth).expect(200);
    expect(agentView.body.customer_files.map((f: { category: string }) => f.category)).toEqual(['receipt', 'chat_log']);
    const mine = await t.http.get(`/v1/customer/cases/${id}/evidence`).set('Authorization', alice).expect(200);
    expect(mine.body.files.map((f: { category: string; uploaded_by: string }) => [f.category, f.uploaded_by])).toEqual([
      ['receipt', 'you'],
      ['chat_log', 'support'],
    ]);
    expect(JSON.stringify(mine.body)).not.toContain(t.adminId);

    const before = await footprint(id);
    const html = await t.http
      .post(`/v1/customer/cases/${id}/evidence`)
      .set('Authorization', alice)
      .attach('file', Buffer.from('<html><script>alert(1)</script></html>'), 'photo.png')
      .expect(415);
    expect(html.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const category = await t.http.post(`/v1/customer/cases/${id}/evidence`).set('Authorization', alice).field('category', 'selfie').attach('file', PNG, 'x.png').expect(400);
    expect(category.body.fields).toEqual([
      { path: 'category', message: 'one of receipt, transaction_record, product_photos, chat_log, cancellation_confirmation, refund_confirmation, police_report, other' },
    ]);
    const agentMerchantSide = await t.http.post(`/v1/cases/${id}/evidence/files`).set('Authorization', t.auth).field('party', 'merchant').attach('file', PNG, 'x.png').expect(400);
    expect(agentMerchantSide.body.fields).toEqual([{ path: 'party', message: 'must be "customer"' }]);
    const big = Buffer.concat([PDF, Buffer.alloc(t.config.evidence.maxFileBytes, 0x20)]);
    expect((await t.http.post(`/v1/customer/cases/${id}/evidence`).set('Authorization', alice).attach('file', big, 'big.pdf')).status).toBe(413);
    expect(await footprint(id)).toEqual(before);

    // A decided case takes no more evidence.
    const done = await decided();
    const doneBefore = await footprint(done);
    expect((await t.http.post(`/v1/customer/cases/${done}/evidence`).set('Authorization', alice).attach('file', PNG, 'x.png').expect(409)).body.code).toBe('EVIDENCE_LOCKED');
    expect(await footprint(done)).toEqual(doneBefore);
  });

  it('withdraws through the machine as the customer; a second withdrawal is the machine refusing', async () => {
    const id = await open();
    const withdrawn = await t.http
      .post(`/v1/customer/cases/${id}/withdraw`)
      .set('Authorization', alice)
      .set('Idempotency-Key', `wd-${id}`)
      .send({ reason: '包裹已收到' })
      .expect(200);
    expect(withdrawn.body.status).toEqual({ code: 'withdrawn', text: '已撤销' });
    expect(withdrawn.body.next_step).toBeNull();
    expect(withdrawn.body.allowed_actions).toEqual([]);
    const [event] = await t.sql(`select actor_kind, actor_id, payload from case_events where case_id = $1 and type = 'WITHDRAW'`, [id]);
    // Machines with approval states (dispute v3 on) record who sent each event in the event itself.
    expect(event).toEqual({ actor_kind: 'customer', actor_id: ALICE, payload: { type: 'WITHDRAW', reason: '包裹已收到', by: { kind: 'customer', id: ALICE, role: null } } });
    const again = await t.http.post(`/v1/customer/cases/${id}/withdraw`).set('Authorization', alice).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'EVENT_NOT_ALLOWED', allowedEvents: [] });
  });

  it('withdraws while a refund proposal waits for a second person: the proposal leaves the approvals queue and no money moves', async () => {
    const id = await open();
    await agentSends(id, 'FORWARD_TO_MERCHANT');
    await agentSends(id, 'MERCHANT_CONTEST', { summary: 'Delivered on 3 May' });
    await agentSends(id, 'PROPOSE_FULL_REFUND', { reason: 'No proof of delivery' });
    const waiting = await t.http.get(`/v1/customer/cases/${id}`).set('Authorization', alice).expect(200);
    expect(waiting.body.allowed_actions).toContain('withdraw');
    const queued = async () =>
      ((await t.http.get('/v1/approvals').query({ limit: 100 }).set('Authorization', t.auth).expect(200)).body.items as Array<{ case: { id: string } }>).some(
        (item) => item.case.id === id,
      );
    expect(await queued()).toBe(true);

    const withdrawn = await t.http.post(`/v1/customer/cases/${id}/withdraw`).set('Authorization', alice).send({ reason: '包裹已收到' }).expect(200);
    expect(withdrawn.body.status.code).toBe('withdrawn');
    expect(await queued()).toBe(false);
    const agentView = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
    expect(agentView).toMatchObject({ state: 'withdrawn', allowedEvents: [] });
    const [money] = await t.sql<{ refunds: string; pending: string }>(
      `select (select count(*) from outbox where case_id = $1 and type = 'requestRefund') as refunds,
              (select count(*) from deadlines where case_id = $1 and status = 'pending') as pending`,
      [id],
    );
    expect(money).toEqual({ refunds: '0', pending: '0' });
  });

  it('appeals within the window; after the window (deadline passed, then closed) it is 422 APPEAL_WINDOW_CLOSED and nothing changes', async () => {
    const id = await decided();
    const resolved = await t.http.get(`/v1/customer/cases/${id}?locale=en`).set('Authorization', alice).expect(200);
    expect(resolved.body).toMatchObject({ status: { code: 'resolved' }, outcome: { code: 'rejected', text: 'No refund' }, next_step: { code: 'you_may_appeal' } });
    expect(resolved.body.allowed_actions.sort()).toEqual(['appeal', 'rate']);
    const appealed = await t.http.post(`/v1/customer/cases/${id}/appeal`).set('Authorization', alice).send({ reason: '商家发错了尺码' }).expect(200);
    expect(appealed.body.status.code).toBe('appeal_in_review');
    expect(await t.sql(`select actor_kind, actor_id from case_events where case_id = $1 and type = 'APPEAL'`, [id])).toEqual([{ actor_kind: 'customer', actor_id: ALICE }]);
    expect((await t.http.post(`/v1/customer/cases/${id}/appeal`).set('Authorization', alice).send({ reason: 'again' }).expect(409)).body.code).toBe('EVENT_NOT_ALLOWED');

    const late = await decided();
    // The window has run out, but the job that closes the case has not run yet.
    await t.sql(`update deadlines set due_at = now() - interval '1 minute' where case_id = $1 and name = 'appealWindow' and status = 'pending'`, [late]);
    const before = await footprint(late);
    const refused = await t.http.post(`/v1/customer/cases/${late}/appeal`).set('Authorization', alice).send({ reason: 'Too late?' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'APPEAL_WINDOW_CLOSED', caseId: late });
    expect(await footprint(late)).toEqual(before);
    expect((await t.http.get(`/v1/customer/cases/${late}`).set('Authorization', alice).expect(200)).body.allowed_actions).toEqual(['rate']);

    const [deadline] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and name = 'appealWindow' and status = 'pending'`, [late]);
    await RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).execute(deadline!.id));
    const closedBefore = await footprint(late);
    expect(closedBefore.rows!.state).toBe('closed');
    expect((await t.http.post(`/v1/customer/cases/${late}/appeal`).set('Authorization', alice).send({ reason: 'Too late' }).expect(422)).body.code).toBe('APPEAL_WINDOW_CLOSED');
    expect(await footprint(late)).toEqual(closedBefore);
  });

  it('rates a resolved case once (1–5 and a comment), shown to agents; out of range, twice or too early is refused', async () => {
    const id = await decided();
    const early = await open();
    expect((await t.http.post(`/v1/customer/cases/${early}/rating`).set('Authorization', alice).send({ score: 4 }).expect(409)).body.code).toBe('CASE_NOT_RESOLVED');
    for (const score of [0, 6, 3.5, '5']) {
      expect((await t.http.post(`/v1/customer/cases/${id}/rating`).set('Authorization', alice).send({ score }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    const rated = await t.http
      .post(`/v1/customer/cases/${id}/rating`)
      .set('Authorization', alice)
      .set('Idempotency-Key', `rate-${id}`)
      .send({ score: 4, comment: '处理很快' })
      .expect(200);
    expect(rated.body.rating).toMatchObject({ score: 4, comment: '处理很快' });
    expect(rated.body.allowed_actions).toEqual(['appeal']);
    const twice = await t.http.post(`/v1/customer/cases/${id}/rating`).set('Authorization', alice).send({ score: 1 }).expect(409);
    expect(twice.body.code).toBe('ALREADY_RATED');
    expect(await t.sql(`select score, comment, customer_id from case_ratings where case_id = $1`, [id])).toEqual([{ score: 4, comment: '处理很快', customer_id: ALICE }]);
    expect(await t.sql(`select 1 from case_ratings where case_id = $1`, [early])).toEqual([]);
    const agentView = await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200);
    expect(agentView.body.customerRating).toMatchObject({ score: 4, comment: '处理很快' });

    // The case read alone (its rows in one round trip of its own) and its item in my list (a page's
    // rows read together) are the same view; only the working hours left are counted when each is built.
    type View = { id: string; rating: unknown; next_step: Record<string, unknown> | null };
    const comparable = (view: View) => ({ ...view, next_step: view.next_step && { ...view.next_step, working_hours_left: 'counted when built' } });
    const listed = (await t.http.get('/v1/customer/cases?limit=50').set('Authorization', alice).expect(200)).body.data as View[];
    const alone = (await t.http.get(`/v1/customer/cases/${id}`).set('Authorization', alice).expect(200)).body as View;
    expect(alone.rating).toMatchObject({ score: 4, comment: '处理很快' });
    expect(comparable(listed.find((item) => item.id === id)!)).toEqual(comparable(alone));
  });

  it('writes to support and reads the replies on the customer side of the conversation', async () => {
    const id = await open();
    const sent = await t.http
      .post(`/v1/customer/cases/${id}/messages`)
      .set('Authorization', alice)
      .set('Idempotency-Key', `msg-${id}`)
      .send({ body: '请问进度如何？' })
      .expect(200);
    expect(sent.body).toMatchObject({ case_id: id, from: 'you', body: '请问进度如何？', locale: 'zh-CN' });
    await t.http.post(`/v1/cases/${id}/messages`).set('Authorization', t.auth).send({ party: 'customer', body: '我们正在联系商家。' }).expect(201);
    const thread = await t.http.get(`/v1/customer/cases/${id}/messages`).set('Authorization', alice).expect(200);
    expect(thread.body.data.map((m: { from: string; body: string }) => [m.from, m.body])).toEqual([
      ['you', '请问进度如何？'],
      ['support', '我们正在联系商家。'],
    ]);
    expect(JSON.stringify(thread.body)).not.toContain(t.adminId);
  });

  it('tokens: missing, expired, wrongly signed, too long-lived or of another kind are 401 with a stable code; an older secret of the rotation list still works', async () => {
    const path = '/v1/customer/cases';
    const codeFor = async (auth?: string) => {
      const call = t.http.get(path);
      const response = await (auth ? call.set('Authorization', auth) : call);
      return [response.status, response.body.code];
    };
    expect(await codeFor()).toEqual([401, 'CUSTOMER_TOKEN_INVALID']);
    expect(await codeFor(`Bearer ${mintCustomerToken(SECRET, ALICE, { now: new Date(Date.now() - 20 * 60_000), ttlSeconds: 600 })}`)).toEqual([401, 'CUSTOMER_TOKEN_EXPIRED']);
    expect(await codeFor(`Bearer ${mintCustomerToken('someone-elses-secret-0123456789abcdef', ALICE)}`)).toEqual([401, 'CUSTOMER_TOKEN_INVALID']);
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = Buffer.from(JSON.stringify({ sub: ALICE, aud: 'dispute-engine/customer', iat: now, exp: now + 3600 })).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const longLived = `${header}.${claims}.${createHmac('sha256', SECRET).update(`${header}.${claims}`).digest('base64url')}`;
    expect(await codeFor(`Bearer ${longLived}`)).toEqual([401, 'CUSTOMER_TOKEN_INVALID']);
    expect(await codeFor(t.auth)).toEqual([401, 'CUSTOMER_TOKEN_INVALID']);
    expect(await codeFor(`Bearer ${mintCustomerToken(OLD_SECRET, ALICE)}`)).toEqual([200, undefined]);
    // A customer token opens no agent route.
    expect((await t.http.get('/v1/cases').set('Authorization', alice)).status).toBe(401);
    expect((await t.http.get(`/v1/cases/${randomUUID()}/evidence`).set('Authorization', alice)).status).toBe(401);
  });

  it('documents the customer-token scheme and the routes at /docs', async () => {
    const docs = await t.http.get('/docs-json').expect(200);
    expect(docs.body.components.securitySchemes['customer-token']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const path of [
      '/v1/customer/cases',
      '/v1/customer/cases/{id}',
      '/v1/customer/cases/{id}/info-replies',
      '/v1/customer/cases/{id}/evidence',
      '/v1/customer/cases/{id}/withdraw',
      '/v1/customer/cases/{id}/appeal',
      '/v1/customer/cases/{id}/rating',
      '/v1/customer/cases/{id}/messages',
    ]) {
      expect(docs.body.paths[path]).toBeDefined();
    }
    expect(docs.body.paths['/v1/customer/cases/{id}/appeal'].post.security).toEqual([{ 'customer-token': [] }]);
  });
});
