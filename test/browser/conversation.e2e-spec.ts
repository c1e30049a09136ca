import type { Page } from 'playwright-core';
import { mintCustomerToken } from '@app/customers';
import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { disputeBody, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * The conversation panel and the inbox bell in Debian's Chromium against the real API: a
 * customer's reply raises the bell's count while the agent looks at the queue (polling, no
 * reload), the bell leads to the case, and the agent answers with a macro in the customer's
 * language. Once in English and once in Chinese.
 */
describe('admin UI: inbox bell and replying to the customer', () => {
  let t: TestApp;
  let base: string;
  let build: ReturnType<typeof buildAdminForTests>;
  let macroId: string;
  const CUSTOMER_SECRET = 'conversation-browser-customer-secret-0123456789';

  beforeAll(async () => {
    build = buildAdminForTests();
    t = await startTestApp({ CUSTOMER_TOKEN_SECRETS: CUSTOMER_SECRET }, { adminDir: build.dir });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const macro = await t.http
      .post('/v1/macros')
      .set('Authorization', t.auth)
      .send({
        translations: {
          'zh-CN': { title: '已收到申请', body: '{customerName}，您好：案件 {caseNumber} 已由 {agentName} 受理。' },
          en: { title: 'Request received', body: 'Dear {customerName}, case {caseNumber} is with {agentName}.' },
        },
      })
      .expect(201);
    macroId = macro.body.id;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    build?.remove();
  });

  /** The customer writes in the app: the wallet backend calls the customer API with the customer's token. */
  const customerWrites = (caseId: string, customerId: string, body: string, locale: 'zh-CN' | 'en') =>
    t.http
      .post(`/v1/customer/cases/${caseId}/messages`)
      .set('Authorization', `Bearer ${mintCustomerToken(CUSTOMER_SECRET, customerId)}`)
      .send({ body, locale })
      .expect(200);

  const logIn = async (page: Page, email: string) => {
    await page.goto(`${base}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('queue-tabs').waitFor();
  };

  const scenarios = [
    {
      browserLocale: 'en-US',
      customerLocale: 'en' as const,
      agentEmail: 'bell.en@browser.test',
      suffix: 'en',
      customerSays: 'Still no parcel. Any news?',
      entryTitle: 'The customer replied',
      macroTitle: 'Request received',
      greeting: 'Dear 王芳, case',
    },
    {
      browserLocale: 'zh-CN',
      customerLocale: 'zh-CN' as const,
      agentEmail: 'bell.zh@browser.test',
      suffix: 'zh',
      customerSays: '包裹还是没到，有进展吗？',
      entryTitle: '客户回复了',
      macroTitle: '已收到申请',
      greeting: '王芳，您好：案件',
    },
  ];

  it('an admin adds a canned reply in both languages on the macros page; an unknown placeholder is refused', async () => {
    await t.login('macro.admin@browser.test', 'admin');
    const browser: Browser = await launchBrowser('en-US');
    try {
      const page = await browser.context.newPage();
      await logIn(page, 'macro.admin@browser.test');
      await page.getByRole('menuitem', { name: 'Canned replies' }).click();
      await page.waitForURL(/\/admin\/macros$/);
      await page.getByTestId('macro-add').click();
      await page.getByTestId('macro-title-zh-CN').fill('退款已发出');
      await page.getByTestId('macro-body-zh-CN').fill('案件 {caseNumber} 的退款已发出。');
      await page.getByTestId('macro-title-en').fill('Refund sent');
      await page.getByTestId('macro-body-en').fill('The refund for case {caseNo} is on its way.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('.ant-modal .ant-alert-error').waitFor();
      expect(await t.sql(`select 1 from macros where translations->'en'->>'title' = 'Refund sent'`)).toEqual([]);
      await page.getByTestId('macro-body-en').fill('The refund for case {caseNumber} is on its way.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('macros').getByText('Refund sent').waitFor();
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await page.screenshot({ path: artifactPath('admin-macros-en.png') });
      const [stored] = await t.sql<{ translations: unknown }>(`select translations from macros where translations->'en'->>'title' = 'Refund sent'`);
      expect(stored!.translations).toEqual({
        'zh-CN': { title: '退款已发出', body: '案件 {caseNumber} 的退款已发出。' },
        en: { title: 'Refund sent', body: 'The refund for case {caseNumber} is on its way.' },
      });
    } finally {
      await browser.close();
    }
  }, 120_000);

  for (const scenario of scenarios) {
    it(`${scenario.suffix}: an inbound message raises the bell, the bell opens the case, the agent replies with a macro in the customer's language`, async () => {
      const agent = await t.login(scenario.agentEmail, 'agent');
      const customerId = `u_bell_${scenario.suffix}`;
      const opened = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send(disputeBody({ customer: { id: customerId, name: '王芳' } }))
        .expect(201);
      const caseId = opened.body.id as string;
      await t.http.post(`/v1/cases/${caseId}/assign`).set('Authorization', t.auth).send({ assigneeId: agent.id }).expect(200);
      const caseNumber = caseId.replace(/-/g, '').slice(0, 8).toUpperCase();

      const browser: Browser = await launchBrowser(scenario.browserLocale);
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, scenario.agentEmail);
        const bell = page.getByTestId('inbox-bell');
        await page.locator('[data-testid="inbox-bell"][data-unread="0"]').waitFor();

        // The customer writes while the agent is on the queue: the count goes up by polling, without a reload.
        await customerWrites(caseId, customerId, scenario.customerSays, scenario.customerLocale);
        await page.locator('[data-testid="inbox-bell"][data-unread="1"]').waitFor({ timeout: 35_000 });
        await page.screenshot({ path: artifactPath(`admin-inbox-bell-${scenario.suffix}.png`) });

        await bell.click();
        const entry = page.getByTestId('inbox-entry').filter({ hasText: scenario.entryTitle });
        await entry.waitFor();
        // The drawer slides in: screenshot it once it is all on screen.
        // Functions, not strings: the admin UI's Content-Security-Policy forbids eval, as it should.
        // (The test's tsconfig has no DOM types, hence the casts.)
        await page.waitForFunction(() => {
          const browser = globalThis as unknown as {
            document: { querySelector(s: string): { getBoundingClientRect(): { left: number; right: number } } | null };
            innerWidth: number;
          };
          const shown = browser.document.querySelector('[data-testid="inbox-entry"]')?.getBoundingClientRect();
          return shown !== undefined && shown.right <= browser.innerWidth && shown.left < browser.innerWidth - 300;
        });
        await page.screenshot({ path: artifactPath(`admin-inbox-drawer-${scenario.suffix}.png`) });
        await entry.click();
        await page.waitForURL(new RegExp(`/admin/cases/${caseId}$`));
        await page.locator('[data-testid="inbox-bell"][data-unread="0"]').waitFor();

        // The thread shows what the customer wrote; the reply goes out in the customer's language.
        const thread = page.getByTestId('conversation-thread');
        await thread.locator('[data-testid="conversation-message"][data-direction="inbound"]', { hasText: scenario.customerSays }).waitFor();
        expect(await page.getByTestId('reply-locale').textContent()).toBe(scenario.customerLocale === 'en' ? 'English' : '中文');

        await page.getByTestId('macro-picker').click();
        // Dispatched rather than clicked: on the long case page the reply box may sit over the open
        // dropdown's option for a moment (the page re-renders as it polls), which only hides it from the mouse.
        const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: scenario.macroTitle }).first();
        await option.waitFor();
        await option.dispatchEvent('click');
        const input = page.getByTestId('reply-input');
        await page.waitForFunction(
          (needle) =>
            (
              (globalThis as unknown as { document: { querySelector(s: string): { value?: string } | null } }).document.querySelector('[data-testid="reply-input"]')?.value ?? ''
            ).includes(needle),
          caseNumber,
        );
        const filled = await input.inputValue();
        expect(filled.startsWith(scenario.greeting)).toBe(true);
        expect(filled).toContain(scenario.agentEmail.split('@')[0]);
        await input.fill(`${filled} 🙂`);
        await page.getByTestId('reply-send').click();
        await thread.locator('[data-testid="conversation-message"][data-direction="outbound"]', { hasText: caseNumber }).waitFor();
        expect(await input.inputValue()).toBe('');
        await page.screenshot({ path: artifactPath(`admin-conversation-${scenario.suffix}.png`), fullPage: true });

        // What was stored: the reply in the customer's language, from the macro, with its notification in the outbox.
        const [stored] = await t.sql<{ body: string; locale: string; macro_id: string; author_id: string; topic: string }>(
          `select m.body, m.locale, m.macro_id, m.author_id, o.payload->>'topic' as topic
             from case_messages m join outbox o on o.id = m.outbox_id where m.case_id = $1 and m.direction = 'outbound'`,
          [caseId],
        );
        expect(stored).toEqual({ body: `${filled} 🙂`, locale: scenario.customerLocale, macro_id: macroId, author_id: agent.id, topic: 'conversation.agent_replied' });
        // Internal notes stay apart: the note box is still the timeline's, and nothing was noted.
        expect(await t.sql(`select 1 from case_events where case_id = $1 and type = 'case.note_added'`, [caseId])).toEqual([]);
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 150_000);
  }
});
