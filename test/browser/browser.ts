import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(process.cwd(), 'test-results');

/** Builds dist/web when src/web changed since the last build (cheap when it did not). */
export function buildWebIfStale(): void {
  const r = spawnSync(process.execPath, ['scripts/build-web.mjs'].concat(existsSync('dist/web/index.html') ? ['--if-stale'] : []), { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync('dist/web/index.html')) throw new Error('the web app did not build (node scripts/build-web.mjs)');
}

export type Browser = { context: BrowserContext; page: Page; close(): Promise<void> };

/** Headless Debian chromium with a throwaway profile (never `npx playwright install`). */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM) || !statSync(CHROMIUM).isFile()) throw new Error(`chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'candor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Signs a test workspace's staff member in through the sign-in page (newWorkspace's `pw-<role>` passwords) and waits for the inbox. */
export async function signInStaff(page: Page, base: string, slug: string, role: 'agent' | 'supervisor' | 'admin'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(`${role}@${slug}.test`);
  await page.getByLabel('Password').fill(`pw-${role}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/agent`);
}
