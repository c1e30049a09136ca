import { artifactPath, buildAdminForTests, launchBrowser, type Browser } from '../support/browser';
import { decodablePng, drawablePdf } from '../support/evidence-files';
import { disputeBody, startTestApp, TEST_PASSWORD, type TestApp, type TestMerchant } from '../support/test-app';

/**
 * Issue 5, case page: "evidence from both sides with previews for images and PDFs". A merchant
 * stages a real PNG and a real PDF through the merchant API; an agent, logged in through the form
 * in Chromium (so only the httpOnly session cookie authorises it), sees both files with the
 * merchant as their side, the image decoded from the authorised download route, and the PDF
 * served by that route as application/pdf and drawn by pdf.js into canvases of the page.
 *
 * The PDF preview is sandboxed: a PDF whose opening runs JavaScript (change the page's title,
 * call fetch, alert, submit a form) and whose page is one big link previews as a picture and
 * nothing more: no script runs, no request goes out, a click follows nothing, and the admin's
 * strict Content-Security-Policy is never violated.
 */
describe('admin UI: evidence previews in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let merchant: TestMerchant;
  let build: ReturnType<typeof buildAdminForTests>;
  const image = decodablePng(48, 32);
  const receipt = drawablePdf({ pages: 2 });

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
    const opened = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id, subject: 'Evidence preview' }))
      .expect(201);
    const caseId = opened.body.id as string;
    await t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);

    // The merchant stages both files (a draft: not submitted yet, still visible to agents).
    const upload = () => t.http.post(`/v1/merchant/disputes/${caseId}/evidence/files`).set('Authorization', merchant.auth);
    await upload().field('category', 'shipping_documentation').attach('file', image, { filename: 'parcel-label.png', contentType: 'image/png' }).expect(200);
    const staged = await upload().field('category', 'receipt').attach('file', receipt, { filename: 'receipt.pdf', contentType: 'application/pdf' }).expect(200);
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
    expect(Buffer.from(fetched.bytes).equals(receipt)).toBe(true);
    const withCookies = await page.request.get(`${base}${pdfHref}`);
    expect(withCookies.status()).toBe(200);
    expect(withCookies.headers()['content-type']).toMatch(/^application\/pdf(;|$)/);
    // Opened directly, the file is saved, never sniffed, and sandboxed should anything render it.
    expect(withCookies.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(withCookies.headers()['x-content-type-options']).toBe('nosniff');
    expect(withCookies.headers()['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect((await fetch(`${base}${pdfHref}`)).status).toBe(401);
    expect(await pngItem.getByRole('link', { name: 'Download' }).getAttribute('href')).toBe(contentPath(png.id));

    // The PDF preview: pdf.js draws both pages into canvases of the page (no frame, no plugin).
    await pdfItem.getByRole('button', { name: 'Preview' }).click();
    const pdfModal = page.locator('.ant-modal:visible', { hasText: 'receipt.pdf' });
    const pdfPreview = pdfModal.getByTestId('pdf-preview');
    await pdfModal.locator('[data-testid="pdf-preview"][data-rendered="2"]').waitFor();
    expect(await pdfPreview.getAttribute('data-pages')).toBe('2');
    expect(await pdfPreview.textContent()).toContain('Pages: 2');
    expect(await pdfModal.locator('canvas').count()).toBe(2);
    expect(await pdfModal.locator('iframe, embed, object').count()).toBe(0);
    for (const pageNumber of [1, 2]) {
      // Each page's blue square on its white paper: a real drawing, not an empty canvas.
      const pixels = await paintedPixels(pdfModal.locator(`canvas[data-page="${pageNumber}"]`));
      expect(pixels.blue).toBeGreaterThan(pixels.total / 3);
      expect(pixels.white).toBeGreaterThan(pixels.total / 10);
    }
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

  it('previews a PDF that carries JavaScript and a link as a picture only: nothing runs, nothing is requested or followed, no CSP violation', async () => {
    const opened = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: merchant.id, subject: 'Hostile PDF' }))
      .expect(201);
    const caseId = opened.body.id as string;
    await t.http.post(`/v1/cases/${caseId}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    // Each thing the file tries leaves a mark a test can see: a title, a request to a marked path, a dialog, a navigation.
    const hostile = drawablePdf({
      openActionJs:
        "document.title = 'pdf-script-ran'; try { fetch('/pdf-script-fetch') } catch (e) {} app.alert('pdf-script-alert'); this.submitForm('/pdf-script-submit'); app.launchURL('/pdf-script-launch', true);",
      linkTo: `${base}/pdf-link-followed`,
    });
    await t.http
      .post(`/v1/merchant/disputes/${caseId}/evidence/files`)
      .set('Authorization', merchant.auth)
      .field('category', 'receipt')
      .attach('file', hostile, { filename: 'invoice.pdf', contentType: 'application/pdf' })
      .expect(200);

    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    const cspViolations: string[] = [];
    const popups: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('popup', (popup) => popups.push(popup.url()));
    page.on('worker', (worker) => worker.on('console', (message) => /Content Security Policy|Refused to/i.test(message.text()) && cspViolations.push(message.text())));
    // The document's own report of any blocked load or eval, in case the console says nothing.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      (globalThis as unknown as { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void }).addEventListener(
        'securitypolicyviolation',
        (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });

    await page.goto(`${base}/admin/login`);
    await page.getByTestId('login-email').fill('wang.fang@browser.test');
    await page.getByTestId('login-password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('queue-tabs').waitFor();
    await page.goto(`${base}/admin/cases/${caseId}`);
    const caseUrl = page.url();
    const title = await page.title();

    const item = page.getByTestId('evidence').locator('.ant-list-item', { hasText: 'invoice.pdf' });
    await item.getByRole('button', { name: 'Preview' }).click();
    const modal = page.locator('.ant-modal:visible', { hasText: 'invoice.pdf' });
    await modal.locator('[data-testid="pdf-preview"][data-rendered="1"]').waitFor();
    const canvas = modal.locator('canvas[data-page="1"]');
    const pixels = await paintedPixels(canvas);
    expect(pixels.blue).toBeGreaterThan(pixels.total / 3);
    expect(await modal.locator('iframe, embed, object').count()).toBe(0);

    // The whole page is a link in the file: a click on the preview follows nothing.
    await canvas.click();
    await canvas.click({ position: { x: 10, y: 10 } });
    // A round trip to the server after everything above: whatever the file could have sent would have been sent by now.
    await page.evaluate(() => fetch('/v1/auth/me', { credentials: 'same-origin' }).then((response) => response.status));

    expect(await page.title()).toBe(title);
    expect(page.url()).toBe(caseUrl);
    expect(requests.filter((url) => /pdf-(script|link)/.test(url))).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(popups).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    // pdf.js's worker came from the admin bundle (this origin), not a blob: or another site.
    expect(requests.filter((url) => /pdf\.worker/.test(url)).every((url) => url.startsWith(`${base}/admin/assets/`))).toBe(true);
    expect(requests.some((url) => /pdf\.worker/.test(url))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: artifactPath('admin-evidence-hostile-pdf.png'), fullPage: true });
    await page.close();
  });
});

/**
 * How many of a canvas's pixels are blue (the test PDFs' square), how many white (the paper), of
 * how many. The root tsconfig has no DOM lib: the few canvas members read are typed by hand.
 */
async function paintedPixels(canvas: import('playwright-core').Locator): Promise<{ blue: number; white: number; total: number }> {
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  return canvas.evaluate((element) => {
    const drawn = element as unknown as Canvas;
    const { data } = drawn.getContext('2d').getImageData(0, 0, drawn.width, drawn.height);
    let blue = 0;
    let white = 0;
    for (let index = 0; index < data.length; index += 4) {
      const [r, g, b] = [data[index]!, data[index + 1]!, data[index + 2]!];
      if (b > 200 && r < 60 && g > 90 && g < 150) blue++;
      else if (r > 245 && g > 245 && b > 245) white++;
    }
    return { blue, white, total: data.length / 4 };
  });
}
