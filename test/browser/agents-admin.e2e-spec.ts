import type { Page } from 'playwright-core';
import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The agents page in Debian's Chromium against the real API: an admin creates an agent, changes
 * its role and deactivates it through the page (the agent's session ends at once), once in
 * English and once in Chinese; a supervisor sees the list read-only; an agent does not see it.
 */
describe('admin UI: managing agents', () => {
  let t: TestApp;
  let base: string;
  let build: ReturnType<typeof buildAdminForTests>;

  beforeAll(async () => {
    build = buildAdminForTests();
    t = await startTestApp({}, { adminDir: build.dir });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
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
  const pickOption = async (page: Page, scope: ReturnType<Page['locator']>, testId: string, label: string) => {
    await scope.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
  };

  const scenarios = [
    {
      suffix: 'en',
      browserLocale: 'en-US',
      menu: 'Agents',
      roles: { agent: 'Agent', supervisor: 'Supervisor' },
      active: 'Active',
      inactive: 'Deactivated',
      never: 'Never',
      totpOff: 'Off',
      name: 'Zhou Min',
    },
    {
      suffix: 'zh',
      browserLocale: 'zh-CN',
      menu: '客服账号',
      roles: { agent: '客服', supervisor: '主管' },
      active: '在用',
      inactive: '已停用',
      never: '从未登录',
      totpOff: '未开启',
      name: '周敏',
    },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.suffix}: an admin creates an agent, makes it a supervisor and deactivates it`, async () => {
      const adminEmail = `agents.admin.${scenario.suffix}@browser.test`;
      await t.login(adminEmail, 'admin');
      const newEmail = `new.hire.${scenario.suffix}@browser.test`;
      const newPassword = `initial-password-${scenario.suffix}-2026`;
      const browser: Browser = await launchBrowser(scenario.browserLocale);
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, adminEmail);
        await page.getByRole('menuitem', { name: scenario.menu }).click();
        await page.waitForURL(/\/admin\/agents$/);
        await page.getByTestId('agents-page').waitFor();

        // Create: name, email, role, initial password.
        await page.getByTestId('agent-add').click();
        await page.getByTestId('agent-form-name').fill(scenario.name);
        await page.getByTestId('agent-form-email').fill(newEmail);
        await pickOption(page, page.locator('.ant-modal'), 'agent-form-role', scenario.roles.agent);
        await page.getByTestId('agent-form-password').fill(newPassword);
        await page.getByTestId('agent-create-submit').click();
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        const [created] = await t.sql<{ id: string; role: string; display_name: string; active: boolean }>(`select id, role, display_name, active from agents where email = $1`, [
          newEmail,
        ]);
        expect(created).toMatchObject({ role: 'agent', display_name: scenario.name, active: true });
        const row = page.locator(`tr[data-row-key="${created!.id}"]`);
        await row.waitFor();
        expect(await row.getByTestId('agent-name').textContent()).toBe(scenario.name);
        expect(await row.getByTestId('agent-status').textContent()).toBe(scenario.active);
        expect(await row.getByTestId('agent-totp').textContent()).toBe(scenario.totpOff);
        expect(await row.getByTestId('agent-last-login').textContent()).toBe(scenario.never);

        // The new agent signs in (the initial password works), then is promoted.
        const session = `Bearer ${(await t.http.post('/v1/auth/login').send({ email: newEmail, password: newPassword }).expect(200)).body.token}`;
        await pickOption(page, row, 'agent-role', scenario.roles.supervisor);
        await waitFor(
          'the role change to be saved',
          async () => (await t.sql<{ role: string }>(`select role from agents where id = $1`, [created!.id]))[0]!.role === 'supervisor',
          10_000,
          100,
        );
        await row.getByTestId('agent-role').getByText(scenario.roles.supervisor).waitFor();
        // The promotion applies to the running session at once.
        await t.http.get('/v1/stats/queues').set('Authorization', session).expect(200);

        // Deactivate: confirmed first; the agent's session ends at once.
        await row.getByTestId('agent-deactivate').click();
        await page.getByTestId('confirm-deactivate').click();
        await row.locator('[data-testid="agent-status"][data-active="false"]').waitFor();
        expect(await row.getByTestId('agent-status').textContent()).toBe(scenario.inactive);
        await row.getByTestId('agent-reactivate').waitFor();
        const [after] = await t.sql<{ active: boolean }>(`select active from agents where id = $1`, [created!.id]);
        expect(after!.active).toBe(false);
        expect((await t.http.get('/v1/auth/me').set('Authorization', session).expect(401)).body.code).toBe('UNAUTHENTICATED');
        await page.screenshot({ path: artifactPath(`admin-agents-${scenario.suffix}.png`), fullPage: true });

        // Every step is in the audit log, by this admin.
        const audit = (await t.http.get(`/v1/admin/audit-log?targetType=agent&targetId=${created!.id}`).set('Authorization', t.auth).expect(200)).body.data as Array<{
          action: string;
          actorLabel: string;
        }>;
        expect(audit.map((entry) => [entry.action, entry.actorLabel])).toEqual([
          ['agent.deactivated', adminEmail],
          ['agent.role_changed', adminEmail],
          ['agent.created', adminEmail],
        ]);
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }

  it('shows supervisors the list read-only, and agents neither the menu item nor the page', async () => {
    await t.login('agents.supervisor@browser.test', 'supervisor');
    await t.login('agents.agent@browser.test', 'agent');
    const browser: Browser = await launchBrowser('en-US');
    try {
      const page = await browser.context.newPage();
      await logIn(page, 'agents.supervisor@browser.test');
      await page.getByRole('menuitem', { name: 'Agents' }).click();
      await page.getByTestId('agents-read-only').waitFor();
      await page.locator('tr[data-row-key]').first().waitFor();
      expect(await page.getByTestId('agent-add').count()).toBe(0);
      expect(await page.getByTestId('agent-deactivate').count()).toBe(0);
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/admin\/login$/);

      await logIn(page, 'agents.agent@browser.test');
      expect(await page.getByRole('menuitem', { name: 'Agents' }).count()).toBe(0);
      await page.goto(`${base}/admin/agents`);
      await page.getByText('Only supervisors and admins see the agents.').waitFor();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
