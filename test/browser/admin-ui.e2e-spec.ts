import { randomBytes } from 'node:crypto';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { Page } from 'playwright-core';
import { FireDeadline } from '@app/cases';
import { artifactPath, attributesOf, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { disputeBody, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The admin UI in Debian's Chromium against the real API (in-process workers, throwaway database)
 * serving the real production build at /admin. Every step is done the way an agent does it:
 * through the buttons and forms, never by calling the API on the agent's behalf.
 */
describe('admin UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let agent: { auth: string; id: string };
  let build: ReturnType<typeof buildAdminForTests>;

  beforeAll(async () => {
    build = buildAdminForTests();
    t = await startTestApp({ INFO_REPLY_SECONDS: '3600' }, { adminDir: build.dir });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    agent = await t.login('li.na@browser.test', 'agent');
    browser = await launchBrowser('en-US');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    build?.remove();
  });

  const logIn = async (page: Page, email: string) => {
    await page.goto(`${base}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('queue-tabs').waitFor();
  };
  const pickOption = async (page: Page, testId: string, label: string) => {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
  };
  const expectCurrent = async (page: Page, path: string) => {
    // The leaf box of the state the case is in is the highlighted one.
    await page.locator(`[data-testid="statechart"] g[data-state="${path}"][data-current="true"] rect`).first().waitFor();
  };
  const send = async (page: Page, event: string, fields: Record<string, string> = {}, confirm = false) => {
    await page.locator(`button[data-event="${event}"]`).click();
    for (const [name, value] of Object.entries(fields)) await page.locator(`[data-field="${name}"]`).fill(value);
    if (Object.keys(fields).length) await page.getByTestId('action-submit').click();
    if (confirm) await page.getByTestId('confirm-ok').click();
  };

  it('logs in, opens a dispute from the intake form and decides a partial refund through the buttons', async () => {
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, 'li.na@browser.test');
    expect(await page.getByTestId('who').textContent()).toContain('li.na');

    // Intake: a hotline call becomes a dispute.
    const transactionRef = `TX-UI-${randomBytes(3).toString('hex')}`;
    await page.getByRole('menuitem', { name: 'New case' }).click();
    await pickOption(page, 'intake-channel', 'Hotline');
    await page.getByTestId('intake-subject').fill('Parcel never arrived');
    await page.getByTestId('intake-customer-id').fill('u_20261125');
    await page.getByTestId('intake-customer-name').fill('王小明');
    await page.getByTestId('intake-merchant').fill('m_2001');
    await page.getByTestId('intake-transaction').fill(transactionRef);
    await page.getByTestId('intake-amount').fill('128.00');
    await pickOption(page, 'intake-reason', 'Not received');
    await page.getByTestId('intake-description').fill('Courier says delivered; customer has nothing.');
    await page.getByTestId('intake-form').screenshot({ path: artifactPath('admin-intake.png') });
    await page.getByTestId('intake-submit').click();
    await page.waitForURL(/\/admin\/cases\/[0-9a-f-]{36}$/);
    const caseId = page.url().split('/').pop()!;
    await expectCurrent(page, 'open');
    expect(await page.getByTestId('case-amount').textContent()).toBe('CN¥128.00');
    // A case opened by phone has no evidence yet, and says so.
    await page.getByTestId('evidence-empty').waitFor();
    const [stored] = await t.sql<{ amount_minor: string; channel: string; reason: string }>(
      `select amount_minor, channel, snapshot->'context'->>'reason' as reason from cases where id = $1`,
      [caseId],
    );
    expect(stored).toEqual({ amount_minor: '12800', channel: 'hotline', reason: 'not_received' });

    // A second intake for the same transaction warns about the open case.
    await page.getByRole('menuitem', { name: 'New case' }).click();
    await page.getByTestId('intake-transaction').fill(transactionRef);
    await page.getByTestId('duplicate-warning').waitFor();
    expect(await page.getByTestId('duplicate-warning').textContent()).toContain('Parcel never arrived');
    await page.getByTestId('duplicate-warning').getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/admin/cases/${caseId}$`));

    // m_2001 is not registered: the dispute cannot go to it, so the page offers no forward and says why.
    await page.getByTestId('merchant-unreachable').waitFor();
    expect(await page.getByTestId('merchant-unreachable').getAttribute('data-reason')).toBe('merchant_not_registered');
    expect(await page.getByTestId('merchant-unreachable').textContent()).toBe('Cannot be reached');
    expect(await attributesOf(page.locator('button[data-event]'), 'data-event')).toEqual(['WITHDRAW']);
    // An admin registers the merchant with its keys; the page (polling) offers the forward.
    await t.createMerchant('m_2001');

    // Evidence collection: the merchant is asked and contests. Only the allowed events are buttons.
    await page.locator('button[data-event="FORWARD_TO_MERCHANT"]').waitFor();
    expect(await page.getByTestId('merchant-unreachable').count()).toBe(0);
    expect(await attributesOf(page.locator('button[data-event]'), 'data-event')).toEqual(['FORWARD_TO_MERCHANT', 'WITHDRAW']);
    await send(page, 'FORWARD_TO_MERCHANT');
    await expectCurrent(page, 'awaitingMerchant');
    await page.locator('[data-deadline="merchantResponseWindow"]').waitFor();
    expect(await page.locator('[data-deadline="merchantResponseWindow"] [data-testid="sla-badge"]').getAttribute('data-sla')).toBe('ok');
    await send(page, 'MERCHANT_CONTEST', { summary: 'Courier tracking shows delivery on 3 May' });
    await expectCurrent(page, 'investigation.reviewing');

    // Investigation: ask the customer, who answers.
    await send(page, 'REQUEST_CUSTOMER_INFO', { question: 'Please send a photo of the parcel label' });
    await expectCurrent(page, 'investigation.awaitingCustomerInfo');
    await page.locator('[data-deadline="infoReplyWindow"]').waitFor();
    await send(page, 'CUSTOMER_INFO_PROVIDED', { summary: 'Customer sent the label photo' });
    await expectCurrent(page, 'investigation.reviewing');

    // The decision is typed, then someone changes the case in another tab before it is sent.
    await page.locator('button[data-event="DECIDE_PARTIAL_REFUND"]').click();
    await page.locator('[data-field="amountMinor"]').fill('40.10');
    await page.locator('[data-field="reason"]').fill('One of two items missing');
    const versionBefore = Number(await page.getByTestId('case-version').textContent());
    const otherTab = await browser.context.newPage();
    await otherTab.goto(`${base}/admin/cases/${caseId}`);
    await otherTab.getByTestId('assign-me').click();
    await otherTab.getByTestId('case-assignee').filter({ hasText: 'li.na' }).waitFor();
    await otherTab.close();

    await page.getByTestId('action-submit').click();
    expect(await page.locator('.ant-modal:visible').textContent()).toContain('CN¥40.10');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('conflict').waitFor();
    expect(await page.getByTestId('conflict').textContent()).toContain('This case changed while you were working on it');
    // Nothing was decided, and the typed decision is still there.
    expect(await t.sql(`select 1 from case_events where case_id = $1 and type = 'DECIDE_PARTIAL_REFUND'`, [caseId])).toHaveLength(0);
    expect(await page.locator('[data-field="amountMinor"]').inputValue()).toBe('40.10');
    expect(await page.locator('[data-field="reason"]').inputValue()).toBe('One of two items missing');

    await page.getByRole('button', { name: 'Reload the case' }).click();
    await page.locator(`[data-testid="case-version"]`, { hasText: String(versionBefore + 1) }).waitFor();
    expect(await page.locator('[data-field="amountMinor"]').inputValue()).toBe('40.10');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('confirm-ok').click();
    // The worker pays the refund through the (simulated) gateway and the case resolves.
    await expectCurrent(page, 'resolved');
    const refunds = await t.sql<{ amount_minor: string; status: string }>(`select amount_minor, status from refunds where case_id = $1`, [caseId]);
    expect(refunds).toEqual([{ amount_minor: '4010', status: 'succeeded' }]);

    // Timeline: every step with who, from → to and payload; an internal note joins it.
    await page.getByTestId('note-input').fill('Customer called again, told them about the refund');
    await page.getByTestId('note-add').click();
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Customer called again, told them about the refund').waitFor();
    await timeline.locator('[data-type="REFUND_SUCCEEDED"]').waitFor();
    const types = await attributesOf(timeline.locator('[data-testid="timeline-entry"]'), 'data-type');
    expect(types).toEqual(
      expect.arrayContaining([
        'xstate.init',
        'FORWARD_TO_MERCHANT',
        'MERCHANT_CONTEST',
        'REQUEST_CUSTOMER_INFO',
        'CUSTOMER_INFO_PROVIDED',
        'case.assigned',
        'DECIDE_PARTIAL_REFUND',
        'REFUND_SUCCEEDED',
        'case.note_added',
      ]),
    );
    const decision = timeline.locator('[data-type="DECIDE_PARTIAL_REFUND"]');
    expect(await decision.textContent()).toContain('Investigation · Reviewing → Refunding · Refund pending');
    expect(await decision.textContent()).toContain('Amount: CN¥40.10');
    expect(await decision.textContent()).toContain('by li.na');
    await page.screenshot({ path: artifactPath('admin-case.png'), fullPage: true });

    // Language: the same page in Chinese, with the choice kept across a reload.
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByTestId('case-state').filter({ hasText: '已裁决' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '工单队列' }).count()).toBe(1);
    expect(await page.getByTestId('case-amount').textContent()).toBe('¥128.00');
    await page.reload();
    await page.getByTestId('case-state').filter({ hasText: '已裁决' }).waitFor();
    await page.screenshot({ path: artifactPath('admin-case-zh.png'), fullPage: true });
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByTestId('case-state').filter({ hasText: 'Resolved' }).waitFor();

    // The queue: the case is now mine, with its amount and an SLA badge.
    await page.getByRole('menuitem', { name: 'Queue' }).click();
    const row = page.locator(`tr[data-row-key="${caseId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('CN¥128.00');
    expect(await row.locator('[data-testid="sla-badge"]').getAttribute('data-sla')).toBe('ok');
    await page.screenshot({ path: artifactPath('admin-queue.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 150_000); // the whole life of a dispute through the UI, both languages: about 35 s on a quiet machine

  it("shows the customer's contact masked and in full only after Show, which the timeline records", async () => {
    const customer = { id: 'u_browser_contact', name: '王小明', phone: '+8613812345678', email: 'wang.browser@example.com' };
    const id = (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ subject: 'Contact reveal', customer }))
        .expect(201)
    ).body.id;
    const page = await browser.context.newPage();
    await page.goto(`${base}/admin/cases/${id}`);
    await page.getByTestId('customer-contact').waitFor();
    expect(await page.getByTestId('contact-phone').textContent()).toBe('+86138****5678');
    expect(await page.getByTestId('contact-email').textContent()).toBe('w***@example.com');
    expect(await page.content()).not.toContain('wang.browser@example.com');
    await page.getByTestId('contact-reveal').click();
    await page.getByTestId('contact-email').getByText('wang.browser@example.com').waitFor();
    expect(await page.getByTestId('contact-phone').textContent()).toContain('+8613812345678');
    await page.locator('[data-testid="timeline-entry"][data-type="customer_contact.revealed"]').waitFor();
    await page.screenshot({ path: artifactPath('admin-contact-revealed.png'), fullPage: true });
    await page.close();
  });

  it('moves through the queue with j/k/Enter and bulk-assigns with a result per row', async () => {
    const subjects = ['Bulk A', 'Bulk B', 'Bulk C'];
    const ids: string[] = [];
    for (const subject of subjects) {
      ids.push(
        (
          await t.http
            .post('/v1/cases')
            .set('Authorization', t.auth)
            .send(disputeBody({ subject, priority: 'high' }))
            .expect(201)
        ).body.id,
      );
    }
    const page = await browser.context.newPage();
    await page.goto(`${base}/admin/`);
    await page.getByTestId('queue-tabs').waitFor();
    await page.getByRole('tab', { name: 'Unassigned' }).click();
    await page.getByTestId('queue-search').locator('input').fill('Bulk');
    await page.getByTestId('queue-search').locator('input').press('Enter');
    // The unassigned tab already lists these three among others, and the search renders as a transition:
    // wait for the search's URL and then for the other rows to go (a search that filtered nothing times out here).
    await page.waitForURL(/[?&]q=Bulk(&|$)/);
    await waitFor('the search to leave only its three rows', async () => (await page.locator('tbody tr[data-row-key]').count()) === 3);
    for (const id of ids) await page.locator(`tr[data-row-key="${id}"]`).waitFor();
    const activeSubject = () => page.locator('tr[data-active="true"] td a').textContent();
    expect(await page.locator('tbody tr[data-row-key]').count()).toBe(3);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const first = await activeSubject();
    await page.keyboard.press('j');
    const second = await activeSubject();
    expect(second).not.toBe(first);
    await page.keyboard.press('k');
    expect(await activeSubject()).toBe(first);

    // Someone else changes one case after the queue was loaded: that row must fail, alone.
    await t.http.post(`/v1/cases/${ids[1]}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await page.locator('thead .ant-checkbox-input').check();
    await page.getByTestId('bulk-assign-me').click();
    await page.getByTestId('bulk-summary').waitFor();
    expect(await page.getByTestId('bulk-summary').textContent()).toBe('2 done, 1 failed');
    expect(await page.locator(`tr[data-row-key="${ids[1]}"] [data-testid="row-result"]`).getAttribute('data-result')).toBe('error');
    expect(await page.locator(`tr[data-row-key="${ids[1]}"] [data-testid="row-result"]`).textContent()).toBe('This case changed, reload it. What you typed is kept.');
    for (const id of [ids[0], ids[2]]) {
      expect(await page.locator(`tr[data-row-key="${id}"] [data-testid="row-result"]`).getAttribute('data-result')).toBe('ok');
    }
    const assigned = await t.sql<{ id: string }>(`select id from cases where assignee_id = $1 and id = any($2::uuid[]) order by id`, [agent.id, ids]);
    expect(assigned.map((r) => r.id)).toEqual([ids[0], ids[2]].sort());

    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/cases\//);
    expect(await page.getByTestId('case-subject').textContent()).toBe(first);
    await page.close();
  });

  it('shows supervisors queue depths and keeps agents out of them', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/admin/`);
    await page.getByTestId('queue-tabs').waitFor();
    expect(await page.getByRole('menuitem', { name: 'Supervisor' }).count()).toBe(0);
    await page.goto(`${base}/admin/supervisor`);
    await page.getByText('Only supervisors and admins see queue depths.').waitFor();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/admin\/login$/);

    await t.login('chen@browser.test', 'supervisor');
    await logIn(page, 'chen@browser.test');
    await page.getByRole('menuitem', { name: 'Supervisor' }).click();
    await page.getByTestId('supervisor-page').getByText('By kind and state').waitFor();
    const [{ n }] = await t.sql<{ n: string }>(`select count(*) as n from cases where status = 'active'`);
    await page.locator('.ant-statistic', { hasText: 'Open cases' }).getByText(n, { exact: true }).waitFor();
    // SLA breach counts (GET /v1/sla/breaches) per policy and per agent; this run has none yet.
    await page.getByTestId('breaches-by-policy').getByText('No SLA breaches.').waitFor();
    await page.getByTestId('breaches-by-agent').getByText('No SLA breaches.').waitFor();
    // The job-queue dashboard link opens Bull Board in a new tab, with the same session cookie.
    const link = page.getByTestId('queue-dashboard-link');
    expect(await link.getAttribute('href')).toBe('/admin/queues');
    expect(await link.getAttribute('target')).toBe('_blank');
    const [board] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await board.waitForLoadState('domcontentloaded');
    expect(board.url()).toBe(`${base}/admin/queues`);
    const queues = await board.request.get(`${base}/admin/queues/api/queues`);
    expect(queues.status()).toBe(200);
    expect(((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort()).toEqual(['deadlines', 'effects', 'notifications', 'webhooks']);
    await board.close();
    await page.close();
  });

  it('lets a supervisor redrive a deadline the job queue gave up on, from the list of work that failed', async () => {
    const merchant = await t.createMerchant(`m_failed_${randomBytes(3).toString('hex')}`);
    const subject = `Failed window ${randomBytes(3).toString('hex')}`;
    const opened = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ subject, merchantId: merchant.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${opened.body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    const [window] = await t.sql<{ id: string }>(`select id from deadlines where case_id = $1 and status = 'pending' and kind = 'machine'`, [opened.body.id]);
    // As BullMQ's failed handler gives up on a deadline job (out of attempts).
    await RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(FireDeadline).giveUp(window!.id));

    // Whoever an earlier test left logged in, this one is a supervisor of its own.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await t.login('wu@browser.test', 'supervisor');
    await logIn(page, 'wu@browser.test');
    await page.goto(`${base}/admin/supervisor`);
    const row = page.getByTestId('failed-work').locator('tr', { hasText: subject });
    await row.getByText(/^Merchant response due \(/).waitFor();
    await row.getByTestId(`redrive-${opened.body.id}`).click();
    await page.getByText('Sent back: 1. Settled as stale (the case has moved on): 0.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect((await t.sql<{ status: string }>(`select status from deadlines where id = $1`, [window!.id]))[0]!.status).toBe('pending');
    await page.close();
  });

  it("follows the system's reduced-motion setting as it changes, without losing what is being typed", async () => {
    const own = await launchBrowser('en-US');
    const page = await own.context.newPage();
    try {
      // This person starts with motion on (launchBrowser asks for reduced motion).
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await logIn(page, 'li.na@browser.test');
      // rc-motion marks a popup while it animates in with `…-appear-start`/`-active` (or `-enter-…`)
      // classes: keep every one of the dropdowns' (`ant-slide-…`) the page shows. (`…-prepare` comes
      // either way: the popup is measured before it is placed.) A class can come and go between two
      // of the observer's calls, so each change's old value is kept as well as the class now.
      await page.evaluate(() => {
        const browserGlobal = globalThis as unknown as {
          motionClasses: string[];
          MutationObserver: new (callback: (records: Array<{ target: { className?: unknown }; oldValue: string | null }>) => void) => {
            observe(node: unknown, options: object): void;
          };
          document: { body: unknown };
        };
        const keepMotionClasses = (className: unknown) => {
          const classes = typeof className === 'string' ? className.split(/\s+/) : [];
          browserGlobal.motionClasses.push(...classes.filter((name) => /^ant-slide-.*-(appear|enter)-(start|active)$/.test(name)));
        };
        browserGlobal.motionClasses = [];
        new browserGlobal.MutationObserver((records) => {
          for (const { target, oldValue } of records) {
            keepMotionClasses(oldValue);
            keepMotionClasses(target.className);
          }
        }).observe(browserGlobal.document.body, { subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
      });
      const motionClasses = () => page.evaluate(() => (globalThis as unknown as { motionClasses: string[] }).motionClasses);
      const forgetMotionClasses = () => page.evaluate(() => void ((globalThis as unknown as { motionClasses: string[] }).motionClasses = []));
      // Escape only once the popup has settled: pressed while it is still being measured (a busy
      // machine), it would close before any animation could start, with motion on or off alike.
      const openAndCloseDropdown = async () => {
        await page.getByTestId('filter-priority').click();
        await page.locator('.ant-select-dropdown:visible').waitFor();
        await page.waitForFunction(() => {
          const { document } = globalThis as unknown as {
            document: { querySelectorAll(selector: string): Iterable<{ className: string; getClientRects(): { length: number } }> };
          };
          return [...document.querySelectorAll('.ant-select-dropdown')].some(
            (popup) => popup.getClientRects().length > 0 && !/\bant-slide-[\w-]*-(appear|enter)\b/.test(popup.className),
          );
        });
        await page.keyboard.press('Escape');
        await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      };
      const search = page.getByTestId('queue-search').locator('input');

      // The popup animated in: it was marked `-start`, then `-active` a frame or two later.
      await openAndCloseDropdown();
      expect(await motionClasses()).toEqual(expect.arrayContaining(['ant-slide-up-appear-start', 'ant-slide-up-appear-active']));

      // A search half typed (not sent: the field's own state), then the person turns motion off. The
      // same page stops animating, and nothing was remounted: the text is still there.
      await search.fill('half typed');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await forgetMotionClasses();
      await openAndCloseDropdown();
      expect(await motionClasses()).toEqual([]);
      expect(await search.inputValue()).toBe('half typed');

      // And back on, still live.
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await page.getByTestId('filter-priority').click();
      await waitFor('the dropdown to animate in again', async () => (await motionClasses()).length > 0);
      expect(await search.inputValue()).toBe('half typed');
    } finally {
      await own.close();
    }
  });

  it('sends a visitor without a session to the login page and shows a wrong password in words', async () => {
    const context = await launchBrowser('zh-CN');
    try {
      const page = await context.context.newPage();
      await page.goto(`${base}/admin/cases/00000000-0000-4000-8000-000000000000`);
      await page.waitForURL(/\/admin\/login$/);
      // The browser asks for Chinese, so the UI starts in Chinese.
      await page.getByText('登录工单台').waitFor();
      await page.getByTestId('login-email').fill('li.na@browser.test');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      expect(await page.getByTestId('login-error').textContent()).toBe('邮箱或密码错误。');
      await page.getByTestId('login-password').fill(TEST_PASSWORD);
      await page.getByTestId('login-submit').click();
      // Back to the page asked for; an unknown case is explained, not shown as a raw error.
      await page.getByText('工单不存在（请检查链接）或已被删除。').waitFor();
      // No token is readable by scripts: the session lives in the httpOnly cookie only.
      expect(await page.evaluate('document.cookie')).not.toContain('sid=');
      expect(await page.evaluate('JSON.stringify(window.localStorage)')).not.toMatch(/token|sid/i);
    } finally {
      await context.close();
    }
  });

  for (const scenario of [
    { suffix: 'en', locale: 'en-US', menu: 'Approvals', action: 'Full refund · CN¥800.00' },
    { suffix: 'zh', locale: 'zh-CN', menu: '待审批', action: '全额退款 · ¥800.00' },
  ]) {
    it(`${scenario.suffix}: a supervisor approves an agent's proposal from the approvals page, after one more look`, async () => {
      // An agent (limit ¥500) proposes refunding ¥800: it waits for a second person.
      const { body: opened } = await t.http
        .post('/v1/cases')
        .set('Authorization', agent.auth)
        .send(disputeBody({ amount: { amountMinor: 80_000, currency: 'CNY' } }))
        .expect(201);
      let version = opened.version as number;
      for (const [type, payload] of [
        ['FORWARD_TO_MERCHANT', undefined],
        ['MERCHANT_CONTEST', { summary: 'Delivered' }],
        ['PROPOSE_FULL_REFUND', { reason: `No proof of delivery (${scenario.suffix})` }],
      ] as const) {
        version = (await t.http.post(`/v1/cases/${opened.id}/events`).set('Authorization', agent.auth).send({ type, payload, expectedVersion: version }).expect(200)).body.version;
      }
      const approverEmail = `approver.${scenario.suffix}@browser.test`;
      await t.login(approverEmail, 'supervisor');
      const own = await launchBrowser(scenario.locale);
      try {
        const page = await own.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, approverEmail);
        await page.getByRole('menuitem', { name: scenario.menu }).click();
        await page.waitForURL(/\/admin\/approvals$/);
        const row = page.locator(`tr[data-row-key="${opened.id}"]`);
        await row.waitFor();
        expect(await row.getByTestId('approval-action').textContent()).toBe(scenario.action);
        await row.getByText('li.na').waitFor();
        // What the API answered the page, for the failure message if the case does not move on.
        const answers: string[] = [];
        page.on('response', (response) => {
          if (response.request().method() === 'POST' && response.url().endsWith(`/v1/cases/${opened.id}/events`)) {
            void response.text().then((text) => answers.push(`${response.status()} ${text.slice(0, 300)}`));
          }
        });
        await row.getByTestId('approve').click();
        await page.getByTestId('approve-confirm').click();
        await waitFor(
          'the approval to move the case on',
          async () => {
            const [current] = await t.sql<{ state: string }>('select state from cases where id = $1', [opened.id]);
            if (current!.state !== 'awaitingApproval') return true;
            throw new Error(`still awaiting approval; the page's requests were answered: ${answers.join(' | ') || 'none sent yet'}`);
          },
          30_000,
        );
        await row.waitFor({ state: 'detached' });
        await page.screenshot({ path: artifactPath(`admin-approvals-${scenario.suffix}.png`), fullPage: true });
        const timeline = (await t.http.get(`/v1/cases/${opened.id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: { id: string } }>;
        expect(timeline.filter((e) => e.type.endsWith('_PROPOSAL') || e.type.startsWith('PROPOSE_')).map((e) => [e.type, e.actor.id === agent.id ? 'agent' : 'approver'])).toEqual([
          ['PROPOSE_FULL_REFUND', 'agent'],
          ['APPROVE_PROPOSAL', 'approver'],
        ]);
        expect(pageErrors).toEqual([]);
      } finally {
        await own.close();
      }
    }, 120_000);
  }
});
