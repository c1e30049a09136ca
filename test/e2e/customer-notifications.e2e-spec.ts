import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { simpleParser, type ParsedMail } from 'mailparser';
import { QUEUES, jobIds } from '@app/queues';
import { Reconciler } from '@app/workers';
import { startChildScript, type StartedChild } from '../support/child-process';
import { SettableClock, nextBeijingTime } from '../support/settable-clock';
import { mintCustomerToken } from '@app/customers';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Customers in the loop, against real outside systems started by the test as processes of their
 * own: an SMTP server (smtp-server) that stores what it receives, and the wallet's notification
 * service (push and SMS) that checks our signatures and deduplicates by idempotency key.
 */
const WALLET_SECRET = 'customer-notifications-test-secret';
const INFO_REPLY_SECONDS = 8;

interface WalletNotification {
  idempotency_key: string;
  channel: 'push' | 'sms';
  user_id: string;
  phone?: string;
  locale: string;
  title: string;
  body: string;
  requests: number;
}

describe('customer notifications', () => {
  let t: TestApp;
  let smtp: StartedChild<{ port: number }>;
  let wallet: StartedChild<{ url: string }>;
  let wechat: StartedChild<{ url: string }>;
  let mailDir: string;
  const clock = new SettableClock();

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'smtp-sink-'));
    smtp = await startChildScript<{ port: number }>('smtp-sink.ts', [mailDir]);
    wallet = await startChildScript<{ url: string }>('wallet-notify-receiver.ts', [], { WALLET_API_SECRET: WALLET_SECRET });
    wechat = await startChildScript<{ url: string }>('wechat-receiver.ts', [], { WECHAT_APP_ID: 'wx-test-app', WECHAT_APP_SECRET: 'wechat-test-secret' });
    // Daytime in Beijing, so SMS are not held back by quiet hours except where a test asks for it.
    const now = new Date();
    const beijingHour = new Date(now.getTime() + 8 * 3600_000).getUTCHours();
    if (beijingHour < 9 || beijingHour >= 20) clock.set(nextBeijingTime(now, 10));
    t = await startTestApp(
      {
        SMTP_URL: `smtp://127.0.0.1:${smtp.ready.port}`,
        SMTP_FROM: 'Wallet Care <care@wallet.test>',
        WALLET_NOTIFY_URL: wallet.ready.url,
        INFO_REPLY_SECONDS: String(INFO_REPLY_SECONDS),
        // The tests move the app's clock by hours (quiet hours): the agent's session must outlive that.
        SESSION_IDLE_MINUTES: String(3 * 24 * 60),
        SESSION_TTL_HOURS: '72',
        // A job per outbox row (no notification batches): one test replaces a row's job, found by its id.
        EFFECT_BATCH_WINDOW_MS: '0',
        WECHAT_API_URL: wechat.ready.url,
        WECHAT_APP_ID: 'wx-test-app',
        WECHAT_APP_SECRET: 'wechat-test-secret',
        WECHAT_TEMPLATE_ID: 'tpl-case-update',
      },
      { clock, walletApiSecret: WALLET_SECRET },
    );
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await wallet?.stop();
    await wechat?.stop();
    rmSync(mailDir, { recursive: true, force: true });
  });

  async function mails(): Promise<ParsedMail[]> {
    return Promise.all(
      readdirSync(mailDir)
        .filter((name) => name.endsWith('.eml'))
        .sort()
        .map((name) => simpleParser(readFileSync(join(mailDir, name)))),
    );
  }
  const mailTo = (address: string) => async () => (await mails()).filter((mail) => mail.to && JSON.stringify(mail.to).includes(address));
  async function walletNotifications(): Promise<WalletNotification[]> {
    const response = await fetch(`${wallet.ready.url}/received`);
    return ((await response.json()) as { notifications: WalletNotification[] }).notifications;
  }
  const walletFor = (userId: string) => async () => (await walletNotifications()).filter((n) => n.user_id === userId);

  const refSuffix = () => Math.random().toString(16).slice(2, 10).toUpperCase();
  async function open(overrides: Record<string, unknown>) {
    const response = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody(overrides));
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number; machineVersion: number; customerContact: Record<string, unknown> };
  }
  async function send(caseId: string, type: string, payload: Record<string, unknown> = {}) {
    const current = await t.http.get(`/v1/cases/${caseId}`).set('Authorization', t.auth).expect(200);
    return t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: current.body.version }).expect(200);
  }
  async function askCustomer(caseId: string, question: string) {
    await send(caseId, 'FORWARD_TO_MERCHANT');
    await send(caseId, 'MERCHANT_CONTEST', { summary: 'Tracking shows delivery' });
    await send(caseId, 'REQUEST_CUSTOMER_INFO', { question });
  }
  const deliveries = (caseId: string) =>
    t.sql<{ channel: string; topic: string; status: string; last_error: string | null; not_before: Date | null; outbox_id: string; id: string; recipient_masked: string }>(
      `select * from notification_deliveries where case_id = $1 order by created_at, channel`,
      [caseId],
    );
  const stateOf = async (caseId: string) => (await t.http.get(`/v1/cases/${caseId}`).set('Authorization', t.auth).expect(200)).body.state as string;

  it('acknowledges a new case in Chinese, with the first reply promised in Beijing time, by app push and email', async () => {
    const opened = await open({ customer: { id: 'u_ack_zh', name: '王小明', locale: 'zh-CN', email: 'wang.ack@example.com', phone: '+8613812345678', pushEnabled: true } });
    const [mail] = await waitFor('the acknowledgement email', async () => {
      const found = await mailTo('wang.ack@example.com')();
      return found.length ? found : undefined;
    });
    expect(mail!.subject).toMatch(/^我们已收到您的申诉（案件 [0-9A-F]{8}）$/);
    expect(mail!.text).toMatch(/我们已收到您的申诉，将在\d{1,2}月\d{1,2}日 \d{2}:\d{2}前回复。案件编号：[0-9A-F]{8}。/);
    expect(mail!.headers.get('content-language')).toBe('zh-CN');
    const [push] = await waitFor('the acknowledgement push', async () => {
      const found = await walletFor('u_ack_zh')();
      return found.length ? found : undefined;
    });
    expect(push).toMatchObject({ channel: 'push', locale: 'zh-CN', title: mail!.subject, body: mail!.text!.trim() });
    // The promised time is the first-response clock's breach, in Beijing time.
    const [clockRow] = await t.sql<{ due_at: Date }>(`select due_at from sla_clocks where case_id = $1 and target = 'firstResponse'`, [opened.id]);
    const due = new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
      clockRow!.due_at,
    );
    expect(mail!.text).toContain(`将在${due}前回复`);
    // SMS is kept for what the customer must act on: the app push carries the acknowledgement.
    const rows = await waitFor('both deliveries sent', async () => {
      const found = await deliveries(opened.id);
      return found.length === 2 && found.every((row) => row.status === 'sent') ? found : undefined;
    });
    expect(rows.map((row) => row.channel).sort()).toEqual(['email', 'push']);
  });

  it('acknowledges in English for a customer who reads English', async () => {
    await open({ customer: { id: 'u_ack_en', name: 'Alex', locale: 'en', email: 'alex.ack@example.com' } });
    const [mail] = await waitFor('the acknowledgement email', async () => {
      const found = await mailTo('alex.ack@example.com')();
      return found.length ? found : undefined;
    });
    expect(mail!.subject).toMatch(/^We have received your dispute \([0-9A-F]{8}\)$/);
    expect(mail!.text).toMatch(/We have received your dispute and will reply by [A-Z][a-z]+ \d{1,2} at \d{2}:\d{2} \(Beijing time\)\./);
    expect(mail!.headers.get('content-language')).toBe('en');
  });

  it('asks for information by email and SMS, reminds before the deadline, and rejects a silent customer who was told', async () => {
    const opened = await open({ customer: { id: 'u_info', locale: 'en', email: 'info.asked@example.com', phone: '+8613900001111' } });
    await askCustomer(opened.id, 'Please send a photo of the parcel label');
    const [request] = await waitFor('the information request email', async () => {
      const found = (await mailTo('info.asked@example.com')()).filter((mail) => mail.subject?.startsWith('Information needed'));
      return found.length ? found : undefined;
    });
    expect(request!.text).toMatch(/we need: Please send a photo of the parcel label\. Please reply in the wallet app by [A-Z][a-z]+ \d{1,2} at \d{2}:\d{2} \(Beijing time\)/);
    // No app push for this customer: the request also goes by SMS, to the full number (opened from its seal).
    const sms = await waitFor('the information request SMS', async () =>
      (await walletFor('u_info')()).find((n) => n.channel === 'sms' && n.title.startsWith('Information needed')),
    );
    expect(sms).toMatchObject({ phone: '+8613900001111', locale: 'en' });
    expect(sms.body).toContain('Please send a photo of the parcel label');

    const reminder = await waitFor('the reminder email', async () => (await mailTo('info.asked@example.com')()).find((mail) => mail.subject?.startsWith('Reminder:')), 20_000);
    expect(reminder.text).toContain('is still waiting for: Please send a photo of the parcel label');

    await waitFor('the silent customer loses', async () => (await stateOf(opened.id)) === 'resolved', 30_000);
    const timeline = (await t.http.get(`/v1/cases/${opened.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; category: string; payload: any }>;
    // One report of the delivery however many channels delivered it.
    expect(timeline.filter((entry) => entry.type === 'CUSTOMER_NOTIFIED')).toHaveLength(1);
    expect(timeline.find((entry) => entry.category === 'notification' && entry.payload.topic === 'dispute.info_reply_due_soon')).toBeDefined();
    const reminded = (await deliveries(opened.id)).filter((row) => row.topic === 'dispute.info_reply_due_soon');
    expect(reminded.map((row) => row.status)).toContain('sent');
  });

  it('tells the customer the decision with the refund amount in yuan', async () => {
    const opened = await open({ amount: { amountMinor: 200_000, currency: 'CNY' }, customer: { id: 'u_decided', locale: 'zh-CN', email: 'decided@example.com' } });
    await send(opened.id, 'FORWARD_TO_MERCHANT');
    await send(opened.id, 'MERCHANT_CONTEST', { summary: 'Half the order was delivered' });
    await send(opened.id, 'DECIDE_PARTIAL_REFUND', { amountMinor: 123_450, reason: 'One of two items missing' });
    const decision = await waitFor('the decision email', async () => (await mailTo('decided@example.com')()).find((mail) => mail.subject?.includes('处理结果')));
    expect(decision.text).toContain('我们将为您部分退款¥1,234.50。');
  });

  it('tells the customer the refund is on its way with its expected arrival, then that it arrived', async () => {
    // SLOW-: the wallet takes the refund and the bank settles it days later (contract: expected_arrival_at = now + 3 days).
    const opened = await open({
      transactionRef: `SLOW-${refSuffix()}`,
      amount: { amountMinor: 12_850, currency: 'CNY' },
      customer: { id: 'u_refund_way', locale: 'zh-CN', email: 'refund-way@example.com' },
    });
    await send(opened.id, 'FORWARD_TO_MERCHANT');
    await send(opened.id, 'MERCHANT_CONTEST', { summary: 'Delivered' });
    await send(opened.id, 'DECIDE_FULL_REFUND', { reason: 'Not as described' });
    const sent = await waitFor('the refund-sent email', async () => (await mailTo('refund-way@example.com')()).find((mail) => mail.subject?.includes('退款已发出')));
    expect(sent.text).toMatch(/退款¥128\.50已按原路退回，预计\d+月\d+日 \d\d:\d\d前到账。/);
    const [refund] = await t.sql<{ idempotency_key: string; expected_arrival_at: Date }>(`select idempotency_key, expected_arrival_at from refunds where case_id = $1`, [
      opened.id,
    ]);
    expect(refund!.expected_arrival_at).not.toBeNull();
    // The customer's own view (customer API) shows when the money is expected.
    // Minted on the app's clock (this test moves it to Beijing daytime), as the wallet backend's would match the engine's.
    const token = mintCustomerToken(t.config.customerApi.tokenSecrets[0]!, 'u_refund_way', { now: clock.now() });
    const mine = await t.http.get(`/v1/customer/cases/${opened.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(mine.body.status.code).toBe('refund_in_progress');
    expect(new Date(mine.body.refund_expected_by).getTime()).toBe(new Date(refund!.expected_arrival_at).getTime());
    // So does the case in the customer's list (its rows read another way: a page's together).
    const listed = (await t.http.get('/v1/customer/cases').set('Authorization', `Bearer ${token}`).expect(200)).body.data as Array<{ id: string; refund_expected_by: string }>;
    expect(listed.find((item) => item.id === opened.id)!.refund_expected_by).toBe(mine.body.refund_expected_by);

    await t.wallet.settleRefund(refund!.idempotency_key);
    const arrived = await waitFor('the refund-arrived email', async () => (await mailTo('refund-way@example.com')()).find((mail) => mail.subject?.includes('退款已到账')));
    expect(arrived.text).toContain('退款¥128.50已原路退回到账');
    // One message per topic and channel, however the wallet's answers arrived.
    expect((await mailTo('refund-way@example.com')()).filter((mail) => mail.subject?.includes('退款已发出'))).toHaveLength(1);
  });

  it('records a delivery the provider refuses, and an undelivered information request goes to an agent instead of rejecting (v2), while a v1 case is rejected as before', async () => {
    // An app user the wallet does not know (push refused) and a mailbox that does not exist (550).
    const v2 = await open({ customer: { id: 'u_unknown_1', locale: 'en', email: 'bounce@example.com', pushEnabled: true } });
    const v1 = await open({ customer: { id: 'u_old_case' } });
    // New cases open on v6, which keeps v2's rule for undelivered information requests.
    expect(v2.machineVersion).toBe(6);
    // A case opened before version 2 existed keeps version 1 for life.
    await t.sql(`update cases set machine_version = 1 where id = $1`, [v1.id]);
    await askCustomer(v2.id, 'Please send the receipt');
    await askCustomer(v1.id, 'Please send the receipt');

    const failed = await waitFor('both channels failed', async () => {
      const rows = (await deliveries(v2.id)).filter((row) => row.topic === 'dispute.info_requested');
      return rows.length === 2 && rows.every((row) => row.status === 'failed') ? rows : undefined;
    });
    expect(failed.find((row) => row.channel === 'push')!.last_error).toContain('UNKNOWN_USER');
    expect(failed.find((row) => row.channel === 'email')!.last_error).toMatch(/SMTP 550.*<b\*\*\*@example\.com>: No such mailbox/);
    expect(JSON.stringify(failed)).not.toContain('bounce@example.com');
    // Operators see them: the gauge to alert on.
    const metrics = await t.http.get('/metrics').expect(200);
    expect(Number(/^customer_notifications_unfinished\{channel="push",status="failed"\} (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);

    await waitFor('both windows elapsed', async () => (await stateOf(v1.id)) === 'resolved' && (await stateOf(v2.id)) === 'investigation.reviewing', 30_000);
    const v2View = (await t.http.get(`/v1/cases/${v2.id}`).set('Authorization', t.auth).expect(200)).body;
    expect(v2View.details.decisions).toEqual([]);
    expect(v2View.allowedEvents).toEqual(expect.arrayContaining(['DECIDE_REJECT', 'REQUEST_CUSTOMER_INFO']));
    const v1View = (await t.http.get(`/v1/cases/${v1.id}`).set('Authorization', t.auth).expect(200)).body;
    expect(v1View.details.decisions).toEqual([expect.objectContaining({ outcome: 'rejected', reason: 'customer_did_not_respond' })]);

    // The agents hear about it once, in the supervisors' queue (nobody holds the case).
    const inbox = await waitFor('the inbox entry', async () => {
      const response = await t.http.get('/v1/notifications').set('Authorization', t.auth).expect(200);
      const found = (response.body as Array<{ type: string; caseId: string }>).filter((n) => n.caseId === v2.id && n.type === 'dispute.customer_unreachable');
      return found.length ? found : undefined;
    });
    expect(inbox).toHaveLength(1);
    // The effect running again (redelivery) adds no second entry.
    const [unreachable] = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and payload->>'topic' = 'dispute.customer_unreachable'`, [v2.id]);
    await t.sql(`update outbox set status = 'pending' where id = $1`, [unreachable!.id]);
    await t.app.get<Queue>(getQueueToken(QUEUES.effects)).add('effect.run', { outboxId: unreachable!.id, caseId: v2.id, type: 'notify' }, { jobId: `rerun-${unreachable!.id}` });
    await waitFor('the rerun effect done', async () => (await t.sql<{ status: string }>(`select status from outbox where id = $1`, [unreachable!.id]))[0]!.status === 'done');
    expect(await t.sql(`select 1 from notifications where case_id = $1 and type = 'dispute.customer_unreachable'`, [v2.id])).toHaveLength(1);

    // The timeline shows what happened to each message.
    const timeline = (await t.http.get(`/v1/cases/${v2.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; payload: any }>;
    expect(
      timeline
        .filter((entry) => entry.type === 'notification.failed')
        .map((entry) => entry.payload.channel)
        .sort(),
    ).toEqual(expect.arrayContaining(['email', 'push']));
  });

  it("passes an agent's conversation reply on to the customer (a notify row another part of the engine writes)", async () => {
    const opened = await open({ customer: { id: 'u_chat', locale: 'zh-CN', email: 'chat@example.com' } });
    await t.sql(`insert into outbox (id, case_id, type, payload, created_at) values (gen_random_uuid(), $1, 'notify', $2, now())`, [
      opened.id,
      JSON.stringify({ topic: 'conversation.agent_replied', audience: ['customer'], messageId: 'msg-1', body: 'Your parcel was found at the depot.', locale: 'en' }),
    ]);
    await waitFor('a reconcile pass', async () => (await t.app.get(Reconciler).reconcileOnce()) !== false);
    const reply = await waitFor('the reply email', async () => (await mailTo('chat@example.com')()).find((mail) => mail.subject?.startsWith('Support replied')));
    // Written in English, so sent in English although the customer's language is Chinese.
    expect(reply.subject).toMatch(/^Support replied on case [0-9A-F]{8}$/);
    expect(reply.text!.trim()).toBe('Your parcel was found at the depot.');
  });

  it('sends each message once per channel when the effect and the delivery job run again', async () => {
    const opened = await open({ customer: { id: 'u_once', locale: 'en', email: 'once@example.com', pushEnabled: true } });
    const rows = await waitFor('the acknowledgement sent', async () => {
      const found = await deliveries(opened.id);
      return found.length === 2 && found.every((row) => row.status === 'sent') ? found : undefined;
    });
    const outboxId = rows[0]!.outbox_id;
    // Redelivery: the outbox row runs again (as after a crash before it was marked done) and the delivery jobs come back.
    await t.sql(`update outbox set status = 'pending' where id = $1`, [outboxId]);
    const effects = t.app.get<Queue>(getQueueToken(QUEUES.effects));
    await effects.add('effect.run', { outboxId, caseId: opened.id, type: 'notify' }, { jobId: `rerun-${outboxId}` });
    const notifications = t.app.get<Queue>(getQueueToken(QUEUES.notifications));
    for (const row of rows) await notifications.add('notification.deliver', { deliveryId: row.id }, { jobId: `redeliver-${row.id}` });
    await waitFor('the rerun effect done', async () => (await t.sql<{ status: string }>(`select status from outbox where id = $1`, [outboxId]))[0]!.status === 'done');
    await waitFor('the redelivered jobs done', async () => {
      const states = await Promise.all(rows.map(async (row) => (await notifications.getJob(`redeliver-${row.id}`))?.getState()));
      return states.every((state) => state === 'completed');
    });
    expect(await deliveries(opened.id)).toHaveLength(2);
    const pushes = await walletFor('u_once')();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.requests).toBe(1);
    expect(await mailTo('once@example.com')()).toHaveLength(1);
  });

  it('runs a notify row whose job does not say its type (a job of an older version): the row is read again with the case, and the customer is told', async () => {
    const effects = t.app.get<Queue>(getQueueToken(QUEUES.effects));
    await effects.pause();
    let caseId: string;
    let outboxId: string;
    try {
      caseId = (await open({ customer: { id: 'u_untyped', locale: 'en', email: 'untyped@example.com' } })).id;
      const [row] = await t.sql<{ id: string }>(`select id from outbox where case_id = $1 and payload->>'topic' = 'case.opened'`, [caseId]);
      outboxId = row!.id;
      // The runner reads a notify's case with the row only when the job names the type; this one does not.
      await (await effects.getJob(jobIds.effect(outboxId)))!.remove();
      await effects.add('effect.run', { outboxId, caseId } as never, { jobId: jobIds.effect(outboxId) });
    } finally {
      await effects.resume();
    }
    await waitFor('the acknowledgement emailed', async () => (await mailTo('untyped@example.com')()).length === 1);
    await waitFor('the row done', async () => (await t.sql<{ status: string }>(`select status from outbox where id = $1`, [outboxId]))[0]!.status === 'done');
    expect((await deliveries(caseId)).map((row) => [row.channel, row.topic, row.status])).toEqual([['email', 'case.opened', 'sent']]);
  });

  it('tells nobody who cannot be told: with no endpoint and no channel the notify rows write nothing and are done, also when run again', async () => {
    // A merchant without webhook endpoints and a customer with no channel (no email, phone or app push).
    const merchant = await t.createMerchant();
    const opened = await open({ merchantId: merchant.id, customer: { id: 'u_unreachable', name: 'Nobody' } });
    await askCustomer(opened.id, 'Please send a photo of the parcel label');
    const notifyRows = () =>
      t.sql<{ id: string; status: string; attempts: number; topic: string }>(
        `select id, status, attempts, payload->>'topic' as topic from outbox where case_id = $1 and type = 'notify' order by payload->>'topic'`,
        [opened.id],
      );
    const rows = await waitFor('every notify row done', async () => {
      const found = await notifyRows();
      return found.length === 3 && found.every((row) => row.status === 'done') ? found : undefined;
    });
    expect(rows.map((row) => [row.topic, row.attempts])).toEqual([
      ['case.opened', 1],
      ['dispute.awaiting_merchant', 1],
      ['dispute.info_requested', 1],
    ]);
    const written = async () => ({
      customerDeliveries: (await deliveries(opened.id)).length,
      webhookDeliveries: (await t.sql(`select id from webhook_deliveries where case_id = $1`, [opened.id])).length,
      inbox: (await t.sql(`select id from notifications where dedupe_key = any($1::text[])`, [rows.map((row) => `outbox-${row.id}`)])).length,
    });
    expect(await written()).toEqual({ customerDeliveries: 0, webhookDeliveries: 0, inbox: 0 });

    // As after a crash before the rows were marked done: every effect runs again.
    const effects = t.app.get<Queue>(getQueueToken(QUEUES.effects));
    for (const row of rows) {
      await t.sql(`update outbox set status = 'pending' where id = $1`, [row.id]);
      await effects.add('effect.run', { outboxId: row.id, caseId: opened.id, type: 'notify' }, { jobId: `rerun-${row.id}` });
    }
    await waitFor('the reruns done', async () => (await notifyRows()).every((row) => row.status === 'done' && row.attempts === 2));
    expect(await written()).toEqual({ customerDeliveries: 0, webhookDeliveries: 0, inbox: 0 });
  });

  it('holds an SMS back during quiet hours until 08:00 Beijing time, but not an account-security message', async () => {
    const daytimeOffset = clock.offsetMs;
    const night = nextBeijingTime(clock.now(), 23);
    clock.set(night);
    try {
      const disputed = await open({ customer: { id: 'u_night', locale: 'zh-CN', phone: '+8613700002222' } });
      await open({
        kind: 'account_security',
        amount: undefined,
        reason: undefined,
        merchantId: undefined,
        customer: { id: 'u_night_security', locale: 'zh-CN', phone: '+8613700003333' },
      });
      // The account-security freeze goes out at once; its acknowledgement, like the dispute's, waits for the morning.
      const frozen = await waitFor('the freeze SMS', async () => (await walletFor('u_night_security')()).find((n) => n.channel === 'sms'));
      expect(frozen.title).toBe('您的账户已被临时冻结');
      const held = await waitFor('the held SMS', async () => (await deliveries(disputed.id)).find((row) => row.channel === 'sms' && row.topic === 'case.opened'));
      const morning = nextBeijingTime(night, 8);
      expect(held.status).toBe('pending');
      expect(held.not_before?.toISOString()).toBe(morning.toISOString());
      expect(await walletFor('u_night')()).toEqual([]);

      // Redis loses the held job overnight: the reconciler puts it back from the delivery row.
      const queue = t.app.get<Queue>(getQueueToken(QUEUES.notifications));
      await (await queue.getJob(`notify-${held.id}`))!.remove();
      expect(await queue.getJob(`notify-${held.id}`)).toBeUndefined();
      await waitFor('a reconcile pass', async () => (await t.app.get(Reconciler).reconcileOnce()) !== false);
      const job = await queue.getJob(`notify-${held.id}`);
      expect(await job!.getState()).toBe('delayed');

      // Morning comes: the delayed job runs and the SMS goes out.
      clock.set(new Date(morning.getTime() + 30_000));
      await job!.promote();
      const sent = await waitFor('the morning SMS', async () => (await walletFor('u_night')()).find((n) => n.channel === 'sms'));
      expect(sent).toMatchObject({ phone: '+8613700002222', locale: 'zh-CN' });
    } finally {
      clock.offsetMs = daytimeOffset;
    }
  });

  it('sends WeChat template messages to the openid, fetching a new access token when the old one was revoked', async () => {
    const wechatMessages = async () =>
      ((await (await fetch(`${wechat.ready.url}/received`)).json()) as { messages: Array<{ touser: string; template_id: string; data: Record<string, { value: string }> }> })
        .messages;
    await open({ customer: { id: 'u_wechat_1', locale: 'zh-CN', wechatOpenId: 'oWechatUser0000000000000001' } });
    const first = await waitFor('the WeChat message', async () => (await wechatMessages()).find((m) => m.touser === 'oWechatUser0000000000000001'));
    expect(first.template_id).toBe('tpl-case-update');
    expect(first.data.first!.value).toMatch(/^我们已收到您的申诉（案件 [0-9A-F]{8}）$/);
    expect(first.data.remark!.value).toContain('前回复');

    await fetch(`${wechat.ready.url}/revoke-tokens`, { method: 'POST' });
    await open({ customer: { id: 'u_wechat_2', locale: 'en', wechatOpenId: 'oWechatUser0000000000000002' } });
    await waitFor('the WeChat message after the token was revoked', async () => (await wechatMessages()).find((m) => m.touser === 'oWechatUser0000000000000002'));

    const blocked = await open({ customer: { id: 'u_wechat_3', wechatOpenId: 'oBLOCKEDUser000000000000003' } });
    const failed = await waitFor('the refused WeChat delivery', async () => (await deliveries(blocked.id)).find((row) => row.channel === 'wechat' && row.status === 'failed'));
    expect(failed.last_error).toContain('WeChat errcode 43004');
    expect(failed.recipient_masked).toBe('oBLO****03');
  });

  it('emails the assignee, in their language, when an SLA target of their case is breached', async () => {
    // A policy with a 3-second resolution target for Weibo cases (the other tests' cases come from the hotline).
    await t.http
      .put('/v1/sla/policies/fast-weibo-notify')
      .set('Authorization', t.auth)
      .send({
        name: 'Fast (tests)',
        position: 1,
        match: { channels: ['weibo'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 3 / 60, mode: 'calendar' } },
        reminders: [],
      })
      .expect(200);
    const agent = await t.login('breach.owner@test.local', 'agent');
    const opened = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: 'weibo', subject: 'Where is my money?', customer: { id: 'u_breach' } })
        .expect(201)
    ).body;
    await t.http.post(`/v1/cases/${opened.id}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id, expectedVersion: opened.version }).expect(200);
    const mail = await waitFor('the breach email', async () => (await mailTo('breach.owner@test.local')()).find((m) => m.subject?.startsWith('SLA 已超时')), 20_000);
    expect(mail.text).toContain('（Where is my money?）的解决时限已超时');
    // The mail server has it a moment before the worker records it as sent.
    const rows = await waitFor('the delivery recorded as sent', async () => {
      const found = await t.sql<{ recipient_agent_id: string; status: string }>(
        `select recipient_agent_id, status from notification_deliveries where case_id = $1 and topic = 'sla.breached'`,
        [opened.id],
      );
      return found.every((row) => row.status === 'sent') ? found : undefined;
    });
    expect(rows).toEqual([{ recipient_agent_id: agent.id, status: 'sent' }]);
  });

  it('shows contact details masked everywhere, and in full only through an audited reveal', async () => {
    const opened = await open({
      customer: { id: 'u_private', name: '王小明', email: 'wang.private@example.com', phone: '13812345678', wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });
    expect(opened.customerContact).toEqual({ locale: 'zh-CN', pushEnabled: false, phone: '138****5678', email: 'w***@example.com', wechatOpenId: 'oUpF****6o' });
    const listed = (await t.http.get('/v1/cases?q=u_private').set('Authorization', t.auth).expect(200)).body.items as Array<{ id: string; customerContact: unknown }>;
    expect(listed.find((item) => item.id === opened.id)!.customerContact).toEqual(opened.customerContact);
    const everything = JSON.stringify([
      (await t.http.get(`/v1/cases/${opened.id}`).set('Authorization', t.auth).expect(200)).body,
      (await t.http.get('/v1/cases?q=u_private').set('Authorization', t.auth).expect(200)).body,
      (await t.http.get(`/v1/cases/${opened.id}/timeline`).set('Authorization', t.auth).expect(200)).body,
      await t.sql(`select * from case_customer_contacts where case_id = $1`, [opened.id]),
      await t.sql(`select * from case_events where case_id = $1`, [opened.id]),
      await t.sql(`select * from outbox where case_id = $1`, [opened.id]),
    ]);
    for (const secret of ['13812345678', 'wang.private@example.com', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o']) expect(everything).not.toContain(secret);

    const agent = await t.login('revealer@test.local', 'agent');
    const revealed = await t.http
      .post(`/v1/cases/${opened.id}/customer-contact/reveal`)
      .set('Authorization', agent.auth)
      .send({ fields: ['phone', 'email'] })
      .expect(200);
    expect(revealed.body).toEqual({ phone: '13812345678', email: 'wang.private@example.com' });
    const audit = await t.sql<{ agent_id: string; fields: string[] }>(`select agent_id, fields from customer_contact_reveals where case_id = $1`, [opened.id]);
    expect(audit).toEqual([{ agent_id: agent.id, fields: ['phone', 'email'] }]);
    const timeline = (await t.http.get(`/v1/cases/${opened.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: any; payload: any }>;
    expect(timeline.find((entry) => entry.type === 'customer_contact.revealed')).toMatchObject({
      actor: { kind: 'agent', id: agent.id, name: 'revealer' },
      payload: { fields: ['phone', 'email'] },
    });

    await t.http.post(`/v1/cases/${opened.id}/customer-contact/reveal`).send({}).expect(401);
    const unknownField = await t.http
      .post(`/v1/cases/${opened.id}/customer-contact/reveal`)
      .set('Authorization', agent.auth)
      .send({ fields: ['address'] })
      .expect(400);
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
    expect(await t.sql(`select 1 from customer_contact_reveals where case_id = $1`, [opened.id])).toHaveLength(1);
  });

  it('refuses bad contact details with 400 and stores nothing', async () => {
    // This customer's rows only: earlier tests' deadlines and deliveries may still write rows of their own meanwhile.
    const count = async () =>
      (
        await t.sql<{ n: string }>(
          `select (select count(*) from cases where customer_id = 'u_bad' or transaction_ref = 'TX-BAD-CONTACT')
                + (select count(*) from outbox o join cases c on c.id = o.case_id where c.customer_id = 'u_bad')
                + (select count(*) from case_customer_contacts k join cases c on c.id = k.case_id where c.customer_id = 'u_bad') as n`,
        )
      )[0]!.n;
    const before = await count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'u_bad', phone: 'call me maybe' }, 'customer.phone'],
      [{ id: 'u_bad', email: 'wang-at-example.com' }, 'customer.email'],
      [{ id: 'u_bad', locale: 'fr' }, 'customer.locale'],
      [{ id: 'u_bad', pushEnabled: 'yes' }, 'customer.pushEnabled'],
      [{ id: 'u_bad', wechatOpenId: 'has spaces in it!' }, 'customer.wechatOpenId'],
    ];
    for (const [customer, path] of cases) {
      const response = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ customer }));
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(response.body.fields)).toContain(path);
    }
    const intake = await t.http
      .post('/v1/intake/cases')
      .set('Authorization', t.intakeAuth)
      .set('Idempotency-Key', 'bad-contact-1')
      .send({
        kind: 'dispute',
        subject: 'x',
        customer: { id: 'u_bad', email: 'nope' },
        transactionRef: 'TX-BAD-CONTACT',
        amount: { amountMinor: 100, currency: 'CNY' },
        reason: 'not_received',
      });
    expect({ status: intake.status, code: intake.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await count()).toBe(before);
  });
});
