import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const ADMIN_DIST = join(ROOT, 'dist', 'admin');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
/** Debian's Chromium; test tools never download browsers of their own. CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Sources the admin bundle is built from: a change to any of them makes the build stale. */
const SOURCES = [join(ROOT, 'apps', 'admin'), join(ROOT, 'libs', 'domain', 'src', 'cases'), join(ROOT, 'libs', 'domain', 'src', 'machines', 'describe-machine.ts')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * The browser tests run against the real build (what `npm run build:admin` produces), built here
 * when it is missing or older than its sources, so `npm test` and a lone `jest` run both test
 * the current UI rather than a stale bundle.
 */
export function ensureAdminBuilt(): string {
  const index = join(ADMIN_DIST, 'index.html');
  const fresh = existsSync(index) && statSync(index).mtimeMs >= Math.max(...SOURCES.filter(existsSync).map(newestMtime));
  if (!fresh) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'apps', 'admin', 'vite.config.mts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  return ADMIN_DIST;
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
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
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
  const count = await locator.count();
  return Promise.all(Array.from({ length: count }, (_, index) => locator.nth(index).getAttribute(name)));
}
