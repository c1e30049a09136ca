import type { Page } from 'playwright-core';
import { DEFAULT_BUSINESS_CALENDAR, type BusinessCalendar } from '@app/domain';
import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** The 2027 schedule as an iCalendar file would publish it: all-day periods, 补班 days by their summary. */
const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//browser-test//holidays//EN',
  'X-WR-CALNAME:2027 放假安排',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270206',
  'DTEND;VALUE=DATE:20270213',
  'SUMMARY:春节',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270214',
  'SUMMARY:春节 补班',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/**
 * The configuration pages in Debian's Chromium against the real API, in English and in Chinese:
 * an admin edits an SLA policy, previews what the change does to an open case (its deadline
 * moves earlier), and only then saves it; an admin imports a year's holiday schedule from an
 * iCalendar file onto a calendar (a malformed file first, which changes nothing), and the banner
 * about the unconfirmed year goes away.
 */
describe('admin UI: SLA policies and business calendars', () => {
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
    { suffix: 'en', browserLocale: 'en-US', channel: 'email', menu: { policies: 'SLA policies', calendars: 'Calendars' }, earlier: 'Earlier', badJson: 'This is not valid JSON.' },
    { suffix: 'zh', browserLocale: 'zh-CN', channel: 'weibo', menu: { policies: 'SLA 策略', calendars: '工作日历' }, earlier: '提前', badJson: '不是有效的 JSON。' },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.suffix}: an admin previews a stricter policy against an open case, then saves it`, async () => {
      const policyId = `what-if-${scenario.suffix}`;
      const policy = {
        name: `What-if ${scenario.suffix}`,
        position: 5,
        match: { kinds: ['inquiry'], channels: [scenario.channel] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 600, mode: 'calendar' } },
        reminders: [],
      };
      await t.http.put(`/v1/sla/policies/${policyId}`).set('Authorization', t.auth).send(policy).expect(200);
      const opened = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'inquiry', channel: scenario.channel, subject: `what if ${scenario.suffix}`, customer: { id: `u_${scenario.suffix}` } })
        .expect(201);
      const browser: Browser = await launchBrowser(scenario.browserLocale);
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, 'admin@test.local');
        await page.getByRole('menuitem', { name: scenario.menu.policies }).click();
        await page.waitForURL(/\/admin\/sla-policies$/);
        const row = page.locator(`tr[data-row-key="${policyId}"]`);
        await row.waitFor();
        await row.getByTestId('policy-edit').click();
        const modal = page.locator('.ant-modal:visible');
        await modal.getByTestId('policy-form-resolution-minutes').waitFor();

        // Nothing to save before a preview; a match that is not JSON is caught in the form.
        expect(await modal.getByTestId('policy-save').isDisabled()).toBe(true);
        await modal.getByTestId('policy-form-match').fill('{"kinds": [');
        await modal.getByTestId('policy-preview').click();
        await modal.getByText(scenario.badJson).waitFor();
        await modal.getByTestId('policy-form-match').fill(JSON.stringify(policy.match));

        // Ten hours become one: the open case would be due earlier, not breached yet.
        await modal.getByTestId('policy-form-resolution-minutes').fill('60');
        await modal.getByTestId('policy-preview').click();
        const whatIf = modal.getByTestId('what-if');
        await whatIf.waitFor();
        await modal.locator('[data-testid="what-if-earlier"] .ant-statistic-content-value', { hasText: '1' }).waitFor();
        expect(await whatIf.getByTestId('what-if-effect').getAttribute('data-effect')).toBe('earlier');
        expect(await whatIf.getByTestId('what-if-effect').textContent()).toBe(scenario.earlier);
        expect(await whatIf.getByTestId('what-if-would-breach').count()).toBe(0);
        expect(await whatIf.locator(`a[href$="/cases/${opened.body.id}"]`).count()).toBe(1);

        // A further edit makes the preview stale: save waits for a new one.
        await modal.getByTestId('policy-form-resolution-minutes').fill('90');
        await modal.getByTestId('what-if-stale').waitFor();
        expect(await modal.getByTestId('policy-save').isDisabled()).toBe(true);
        await modal.getByTestId('policy-preview').click();
        await modal.locator('[data-testid="what-if"][data-stale="false"]').waitFor();
        // The preview changed nothing.
        const [unchanged] = await t.sql<{ targets: { resolution: { minutes: number } } }>(`select targets from sla_policies where id = $1`, [policyId]);
        expect(unchanged!.targets.resolution.minutes).toBe(600);
        await page.screenshot({ path: artifactPath(`admin-sla-what-if-${scenario.suffix}.png`), fullPage: true });

        await modal.getByTestId('policy-save').click();
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        const [saved] = await t.sql<{ targets: { resolution: { minutes: number; mode: string } } }>(`select targets from sla_policies where id = $1`, [policyId]);
        expect(saved!.targets).toEqual({ resolution: { minutes: 90, mode: 'calendar' } });
        await row.getByTestId('policy-targets').locator('[data-target="resolution"]', { hasText: '1' }).waitFor();
        const audit = await t.sql<{ action: string }>(`select action from admin_audit_log where target_type = 'sla_policy' and target_id = $1 order by id`, [policyId]);
        expect(audit.map((entry) => entry.action)).toEqual(['sla_policy.created', 'sla_policy.updated']);
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);

    it(`${scenario.suffix}: an admin imports a year's schedule from an iCalendar file and the banner goes`, async () => {
      const calendarId = `import-${scenario.suffix}`;
      const name = `Import ${scenario.suffix}`;
      const { id: _id, ...shipped } = DEFAULT_BUSINESS_CALENDAR;
      await t.http
        .put(`/v1/sla/calendars/${calendarId}`)
        .set('Authorization', t.auth)
        .send({ ...shipped, name })
        .expect(200);
      const stored = async () => (await t.sql<{ definition: BusinessCalendar }>(`select definition from business_calendars where id = $1`, [calendarId]))[0]!.definition;
      const before = await stored();
      const browser: Browser = await launchBrowser(scenario.browserLocale);
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await logIn(page, 'admin@test.local');
        await page.getByRole('menuitem', { name: scenario.menu.calendars }).click();
        await page.waitForURL(/\/admin\/calendars$/);
        // 2027 is provisional in the shipped data: this calendar is named in a banner.
        await page.locator(`[data-testid="schedule-banner"][data-calendar="${calendarId}"]`).waitFor();
        await pickOption(page, page.getByTestId('calendars-page'), 'calendar-select', name);
        await pickOption(page, page.getByTestId('calendars-page'), 'year-select', '2027');
        await page.locator('[data-testid="year-view"][data-year="2027"]').waitFor();
        expect(await page.getByTestId('year-status').getAttribute('data-status')).toBe('provisional');
        expect(await page.getByTestId('day-2027-02-10').getAttribute('data-kind')).toBe('work');

        // A file that is not iCalendar is refused, and nothing changes.
        await page.getByTestId('schedule-import').click();
        const modal = page.locator('.ant-modal:visible');
        await modal.getByTestId('schedule-import-year').fill('2027');
        await modal.getByTestId('schedule-import-file').setInputFiles({ name: 'broken.ics', mimeType: 'text/calendar', buffer: Buffer.from('BEGIN:VCALENDAR\r\nnonsense\r\n') });
        await modal.getByTestId('schedule-import-submit').click();
        await modal.getByTestId('schedule-import-error').waitFor();
        expect(await stored()).toEqual(before);

        await modal.getByTestId('schedule-import-file').setInputFiles({ name: '2027.ics', mimeType: 'text/calendar', buffer: Buffer.from(ICS_2027) });
        await modal.getByTestId('schedule-import-submit').click();
        await page.locator('.ant-modal').waitFor({ state: 'hidden' });
        await page.locator('[data-testid="year-status"][data-status="confirmed"]').waitFor();
        expect(await page.getByTestId('year-source').textContent()).toBe('2027 放假安排');
        expect(await page.getByTestId('day-2027-02-10').getAttribute('data-kind')).toBe('holiday');
        expect(await page.getByTestId('day-2027-02-14').getAttribute('data-kind')).toBe('makeUp');
        // The shipped provisional 2027 dates are gone: the file is the whole year now.
        expect(await page.getByTestId('day-2027-10-01').getAttribute('data-kind')).toBe('work');
        await waitFor('the banner to go', async () => (await page.locator(`[data-testid="schedule-banner"][data-calendar="${calendarId}"]`).count()) === 0, 10_000);
        expect(await page.locator('[data-testid="schedule-banner"][data-calendar="prc-default"]').count()).toBe(1);
        await page.screenshot({ path: artifactPath(`admin-calendar-import-${scenario.suffix}.png`), fullPage: true });

        const after = await stored();
        expect(after.schedules).toContainEqual({ year: 2027, status: 'confirmed', source: '2027 放假安排' });
        expect(after.makeUpWorkdays.filter((day) => day.date.startsWith('2027-'))).toEqual([{ date: '2027-02-14', name: '春节 补班' }]);
        expect(after.holidays.filter((day) => day.date.startsWith('2026-'))).toEqual(before.holidays.filter((day) => day.date.startsWith('2026-')));
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 120_000);
  }

  it('shows supervisors the pages read-only, and agents neither', async () => {
    await t.login('config.supervisor@browser.test', 'supervisor');
    await t.login('config.agent@browser.test', 'agent');
    const browser: Browser = await launchBrowser('en-US');
    try {
      const page = await browser.context.newPage();
      await logIn(page, 'config.supervisor@browser.test');
      await page.getByRole('menuitem', { name: 'SLA policies' }).click();
      await page.getByTestId('sla-read-only').waitFor();
      expect(await page.getByTestId('policy-add').count()).toBe(0);
      await page.getByRole('menuitem', { name: 'Calendars' }).click();
      await page.getByTestId('calendars-read-only').waitFor();
      expect(await page.getByTestId('schedule-import').count()).toBe(0);
      expect(await page.getByRole('menuitem', { name: 'Merchants' }).count()).toBe(0);
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/admin\/login$/);

      await logIn(page, 'config.agent@browser.test');
      expect(await page.getByRole('menuitem', { name: 'SLA policies' }).count()).toBe(0);
      await page.goto(`${base}/admin/calendars`);
      await page.getByText('Only supervisors and admins see the business calendars.').waitFor();
    } finally {
      await browser.close();
    }
  }, 120_000);
});
