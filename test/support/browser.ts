import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser as ChromiumBrowser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
/** Debian's Chromium; test tools never download browsers of their own. CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The browser tests run against a production build of the admin UI made for this run in a
 * private folder: always current, and immune to anyone running `npm run build` (which empties
 * dist/) while the tests run. One build serves every browser test file of a run (they may run in
 * parallel workers): the first to come builds it under a lock, the others wait for it; the run's
 * global teardown removes it. Outside a Jest run (no TEST_RUN_ID) each call builds its own.
 */
export function buildAdminForTests(): { dir: string; remove(): void } {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) {
    const dir = mkdtempSync(join(tmpdir(), 'admin-ui-build-'));
    buildAdminInto(dir);
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const dir = adminBuildDirOf(runId);
  const lock = `${dir}.lock`;
  for (;;) {
    if (existsSync(join(dir, 'index.html'))) return { dir, remove: () => undefined };
    try {
      mkdirSync(lock); // atomic: exactly one worker builds
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250); // another worker is building
      continue;
    }
    try {
      if (!existsSync(join(dir, 'index.html'))) buildAdminInto(dir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Where a run's shared admin build lives (the global teardown removes it). */
export function adminBuildDirOf(runId: string): string {
  return join(tmpdir(), `admin-ui-build-${runId}`);
}

function buildAdminInto(dir: string): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(ROOT, 'apps', 'admin', 'vite.config.mts'),
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    // Jest runs with NODE_ENV=test, and a set NODE_ENV decides which React Vite bundles: without
    // this the tests drove React's development build, twice the bundle's work per page.
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the admin build in ${dir} has no index.html`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A fresh browser context (its own cookies, storage and cache, like a new profile) in headless
 * Chromium, English unless told otherwise. The system asks for reduced motion, so the UI runs
 * without antd's animations (admin-ui.e2e-spec checks both ways): an animation is frames the
 * machine must draw and a wait before Playwright finds an element stable enough to click, several
 * times per step on a shared two-core machine.
 *
 * One Chromium serves every context of a test file: starting one (a browser, a GPU and a network
 * process, and the startup window a persistent profile opens) cost seconds of a busy machine per
 * test, where a context costs a fraction of one. It is closed after the file's tests.
 */
export async function launchBrowser(locale = 'en-US'): Promise<Browser> {
  const context = await (
    await sharedChromium()
  ).newContext({
    locale,
    reducedMotion: 'reduce',
    viewport: { width: 1440, height: 1000 },
  });
  context.setDefaultTimeout(15_000);
  return { context, close: () => context.close() };
}

let chromiumOfThisFile: Promise<ChromiumBrowser> | undefined;

function sharedChromium(): Promise<ChromiumBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does this`);
  }
  if (!chromiumOfThisFile) {
    const launching = chromium
      .launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      })
      .then(
        (launched) => {
          // A Chromium that crashed is not handed out again: the file's next test starts another.
          launched.on('disconnected', () => {
            if (chromiumOfThisFile === launching) chromiumOfThisFile = undefined;
          });
          return launched;
        },
        (error: unknown) => {
          chromiumOfThisFile = undefined; // a failed start is tried again by the next test
          throw error;
        },
      );
    chromiumOfThisFile = launching;
  }
  return chromiumOfThisFile;
}

// Jest gives every test file its own copy of this module: a hook declared here runs after the
// importing file's tests (and after its own afterAll hooks, which close their contexts first).
// The run's global teardown imports this module too, outside any test file: no hooks there.
if (typeof afterAll === 'function') {
  afterAll(async () => {
    const launched = chromiumOfThisFile;
    chromiumOfThisFile = undefined;
    await (await launched?.catch(() => undefined))?.close();
  });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** One attribute of every element a locator matches, in document order. */
export async function attributesOf(locator: Locator, name: string): Promise<Array<string | null>> {
  // One snapshot of the matching elements. Counting them and then asking each by index raced a
  // re-render: a row gone in between made `nth(i).getAttribute` wait out the whole default timeout
  // (45 s), longer than the caller's own wait for the rows it expects.
  return locator.evaluateAll(
    (elements: unknown[], attribute: string) => elements.map((element) => (element as { getAttribute(key: string): string | null }).getAttribute(attribute)),
    name,
  );
}

/** What a page went through, for a failure's message: its uncaught errors and the API calls that were refused. */
export interface PageWatch {
  errors: string[];
  refusedCalls: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], refusedCalls: [] };
  page.on('pageerror', (error) => watch.errors.push(error.message));
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/v1/') || response.status() < 400) return;
    const call = `${response.request().method()} ${url.pathname} → ${response.status()}`;
    // Noted at once (a refusal just before a wait times out still shows), its body added when read.
    const index = watch.refusedCalls.push(call) - 1;
    void response.text().then(
      (body) => (watch.refusedCalls[index] = `${call} ${body.slice(0, 300)}`),
      () => undefined,
    );
  });
  return watch;
}

/**
 * Waits as `wait` does; when it fails, the error also says what the page went through (a wait that
 * times out otherwise only names what never showed, not why: a refused call, a crash).
 */
export async function explainingWait(page: Page, watch: PageWatch, wait: () => Promise<unknown>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    const alerts = await page
      .locator('.ant-alert-error, .ant-message-error')
      .allTextContents()
      .catch(() => ['(the page could not be read)']);
    const facts = [
      `url: ${page.url()}`,
      `error alerts: ${JSON.stringify(alerts)}`,
      `refused API calls: ${JSON.stringify(watch.refusedCalls)}`,
      `page errors: ${JSON.stringify(watch.errors)}`,
    ];
    await page.screenshot({ path: artifactPath(`failed-wait-${Date.now()}.png`), fullPage: true }).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${facts.join('\n')}`);
  }
}
