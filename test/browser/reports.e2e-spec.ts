import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { disputeBody, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';

/**
 * The reports page in Debian's Chromium against the real API, in English and in Chinese: a
 * supervisor opens it from the menu, sees the opened/closed chart and table, filters by channel,
 * and downloads the CSV (UTF-8 BOM, the same rows); an agent has no menu item and no page.
 */
describe('admin UI: reports', () => {
  let t: TestApp;
  let base: string;
  let build: ReturnType<typeof buildAdminForTests>;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

  beforeAll(async () => {
    build = buildAdminForTests();
    t = await startTestApp({}, { adminDir: build.dir });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    for (const channel of ['wechat', 'wechat', 'email']) await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ channel })).expect(201);
  }, 120_000);

  afterAll(async () => {
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

  const scenarios = [
    { suffix: 'en', browserLocale: 'en-US', menu: 'Reports', title: 'Opened and closed', wechat: 'WeChat', opened: 'Opened' },
    { suffix: 'zh', browserLocale: 'zh-CN', menu: '报表', title: '新建与关闭', wechat: '微信', opened: '新建' },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.suffix}: a supervisor sees the opened/closed chart, filters it by channel and exports it as CSV`, async () => {
      const email = `reports.${scenario.suffix}@browser.test`;
      await t.login(email, 'supervisor');
      const browser: Browser = await launchBrowser(scenario.browserLocale);
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, email);
        await page.getByRole('menuitem', { name: scenario.menu }).click();
        await page.waitForURL(/\/admin\/reports$/);
        const card = page.getByTestId('report-volume');
        await card.waitFor();
        expect(await card.locator('.ant-card-head-title').textContent()).toBe(scenario.title);
        // The chart is drawn: an SVG with both series' lines.
        await card.locator('[data-testid="report-chart"] .recharts-wrapper > svg.recharts-surface').waitFor();
        expect(await card.locator('.recharts-line').count()).toBe(2);
        const todayRow = card.locator(`[data-testid="report-table"] tr[data-row-key="${today}"]`);
        expect(await todayRow.locator('td').allTextContents()).toEqual([today, '3', '0']);

        await page.getByTestId('report-channel').click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: scenario.wechat }).first().click();
        await card.locator(`[data-testid="report-table"] tr[data-row-key="${today}"] td:nth-child(2)`, { hasText: /^2$/ }).waitFor();

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
        expect(download.suggestedFilename()).toMatch(/^volume-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
        const bytes = readFileSync((await download.path())!);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
        expect(lines[0]).toBe('period,opened,closed');
        expect(lines.at(-1)).toBe(`${today},2,0`);
        await page.screenshot({ path: artifactPath(`admin-reports-${scenario.suffix}.png`), fullPage: true });
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }

  it('shows agents neither the menu item nor the page', async () => {
    await t.login('reports.agent@browser.test', 'agent');
    const browser: Browser = await launchBrowser('en-US');
    try {
      const page = await browser.context.newPage();
      await logIn(page, 'reports.agent@browser.test');
      expect(await page.getByRole('menuitem', { name: 'Reports' }).count()).toBe(0);
      await page.goto(`${base}/admin/reports`);
      await page.getByText('Reports are for supervisors and admins.').waitFor();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
