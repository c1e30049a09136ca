import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { decodablePng, PDF } from '../support/evidence-files';
import { disputeBody, startTestApp, TEST_PASSWORD, type TestApp, type TestMerchant } from '../support/test-app';

/**
 * Issue 5, case page: "evidence from both sides with previews for images and PDFs". A merchant
 * stages a real PNG and a real PDF through the merchant API; an agent, logged in through the form
 * in Chromium (so only the httpOnly session cookie authorises it), sees both files with the
 * merchant as their side, the image decoded from the authorised download route, and the PDF
 * served by that route as application/pdf.
 */
describe('admin UI: evidence previews in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let merchant: TestMerchant;
  let build: ReturnType<typeof buildAdminForTests>;
  const image = decodablePng(48, 32);

  beforeAll(async () => {
    build = buildAdminForTests();
    t = await startTestApp({}, { adminDir: build.dir });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    await t.login('wang.fang@browser.test', 'agent');
    merchant = await t.createMerchant();
    browser = await launchBrowser('en-US');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    build?.remove();
  });

  it('lists the merchant’s PNG and PDF, renders the image and serves the PDF to the session', async () => {
    // A dispute against the merchant, forwarded so the merchant may respond.
    const opened = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody({ merchantId: merchant.id, subject: 'Evidence preview' })).expect(201);
    const caseId = opened.body.id as string;
    await t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);

    // The merchant stages both files (a draft: not submitted yet, still visible to agents).
    const upload = () => t.http.post(`/v1/merchant/disputes/${caseId}/evidence/files`).set('Authorization', merchant.auth);
    await upload().field('category', 'shipping_documentation').attach('file', image, { filename: 'parcel-label.png', contentType: 'image/png' }).expect(200);
    const staged = await upload().field('category', 'receipt').attach('file', PDF, { filename: 'receipt.pdf', contentType: 'application/pdf' }).expect(200);
    const files = staged.body.draft.files as Array<{ id: string; filename: string; content_type: string }>;
    const png = files.find((file) => file.filename === 'parcel-label.png')!;
    const pdf = files.find((file) => file.filename === 'receipt.pdf')!;
    expect(png).toMatchObject({ content_type: 'image/png' });
    expect(pdf).toMatchObject({ content_type: 'application/pdf' });
    const contentPath = (fileId: string) => `/v1/cases/${caseId}/evidence/files/${fileId}/content`;

    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/admin/`);
    await page.waitForURL(/\/admin\/login$/);
    await page.getByTestId('login-email').fill('wang.fang@browser.test');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('queue-tabs').waitFor();
    await page.goto(`${base}/admin/cases/${caseId}`);

    // Both files are listed, each from the merchant's side.
    const evidence = page.getByTestId('evidence');
    const pngItem = evidence.locator('.ant-list-item', { hasText: 'parcel-label.png' });
    const pdfItem = evidence.locator('.ant-list-item', { hasText: 'receipt.pdf' });
    await pngItem.waitFor();
    await pdfItem.waitFor();
    expect(await evidence.getByTestId('evidence-empty').count()).toBe(0);
    expect(await evidence.textContent()).toContain('Draft (not yet submitted)');
    expect(await pngItem.textContent()).toContain('from merchant');
    expect(await pngItem.textContent()).toContain('shipping_documentation');
    expect(await pdfItem.textContent()).toContain('from merchant');
    expect(await pdfItem.textContent()).toContain('receipt');

    // The PDF's download link points at the authorised route, which answers the page's cookie
    // session with the PDF's bytes as application/pdf, and anyone without a session with 401.
    const pdfHref = await pdfItem.getByRole('link', { name: 'Download' }).getAttribute('href');
    expect(pdfHref).toBe(contentPath(pdf.id));
    const fetched = await page.evaluate(async (href) => {
      const response = await fetch(href, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type'), bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
    }, pdfHref!);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toMatch(/^application\/pdf(;|$)/);
    expect(Buffer.from(fetched.bytes).equals(PDF)).toBe(true);
    const withCookies = await page.request.get(`${base}${pdfHref}`);
    expect(withCookies.status()).toBe(200);
    expect(withCookies.headers()['content-type']).toMatch(/^application\/pdf(;|$)/);
    expect((await fetch(`${base}${pdfHref}`)).status).toBe(401);
    expect(await pngItem.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe(contentPath(png.id));

    // The PDF preview shows the fetched bytes in a frame.
    await pdfItem.getByRole('button', { name: 'Preview' }).click();
    const pdfModal = page.locator('.ant-modal:visible', { hasText: 'receipt.pdf' });
    await pdfModal.locator('iframe[title="pdf"]').waitFor();
    expect(await pdfModal.locator('iframe[title="pdf"]').getAttribute('src')).toMatch(/^blob:/);
    await pdfModal.locator('.ant-modal-close').click();
    await pdfModal.waitFor({ state: 'hidden' });

    // The image preview: the browser fetched the bytes from the authorised route with its cookie
    // and decoded them into a real image.
    const imageContent = page.waitForResponse((response) => response.url().endsWith(contentPath(png.id)));
    await pngItem.getByRole('button', { name: 'Preview' }).click();
    const served = await imageContent;
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toMatch(/^image\/png(;|$)/);
    const img = page.locator('.ant-modal:visible', { hasText: 'parcel-label.png' }).locator('img');
    await img.waitFor();
    // The root tsconfig has no DOM lib: the few <img> properties read, typed by hand.
    type Img = { complete: boolean; src: string; naturalWidth: number; naturalHeight: number };
    await page.waitForFunction((element) => (element as unknown as Img).complete, await img.elementHandle());
    const decoded = await img.evaluate((element) => {
      const loaded = element as unknown as Img;
      return { src: loaded.src, width: loaded.naturalWidth, height: loaded.naturalHeight };
    });
    expect(decoded.src).toMatch(/^blob:/);
    expect(decoded.width).toBeGreaterThan(0);
    expect(decoded).toMatchObject({ width: 48, height: 32 });

    await page.screenshot({ path: artifactPath('admin-evidence.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
