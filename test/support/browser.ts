import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator } from 'playwright-core';

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
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the admin build in ${dir} has no index.html`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a throwaway profile, English unless told otherwise. */
export async function launchBrowser(locale = 'en-US'): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does this`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'admin-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
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
