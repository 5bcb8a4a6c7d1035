// Screenshots of the demo portal for docs/screenshots: `node scripts/portal-screenshots.mjs URL LOGFILE [EMAIL]`
// against a running `npm start` whose output goes to LOGFILE (the sign-in code is read from the log,
// where the demo's outbox prints it). EMAIL defaults to the customer the start banner names.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base = 'http://127.0.0.1:4000', log = '/dev/null', given] = process.argv.slice(2);
const email = given ?? /try it as (\S+)/.exec(readFileSync(log, 'utf8'))?.[1];
if (!email) throw new Error('no customer: pass EMAIL or a log with the start banner');
const out = join(process.cwd(), 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'candor-shots-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Amsterdam',
});
const page = ctx.pages()[0] ?? await ctx.newPage();
try {
  await page.goto(`${base}/portal?w=fibrelink`);
  await page.getByLabel('Email or mobile number').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await new Promise((r) => setTimeout(r, 300));
  const codes = [...readFileSync(log, 'utf8').matchAll(/sign-in code is (\d{6})/g)];
  await page.getByLabel('6-digit code').fill(codes.at(-1)[1]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('home-bill').getByText(/Last bill/).waitFor();
  await page.getByTestId('home-usage').getByText(/GB/).first().waitFor();
  await page.screenshot({ path: join(out, 'portal-home.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(out, 'portal-home-mobile.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('link', { name: 'Bills' }).click();
  await page.getByTestId('bill-why').first().waitFor();
  await page.screenshot({ path: join(out, 'portal-bill.png'), fullPage: true });
  await page.getByRole('link', { name: 'Fix a problem' }).click();
  await page.getByRole('button', { name: 'My internet is down' }).click();
  await page.getByTestId('diagnosis-verdict').waitFor();
  await page.screenshot({ path: join(out, 'portal-diagnosis.png'), fullPage: true });
  console.log(`screenshots of ${email}'s portal in ${out}`);
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
