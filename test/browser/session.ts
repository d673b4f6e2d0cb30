import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type TestServer } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
/** Browser tests run where Debian's chromium is installed; CI must have it. */
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI)
  throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM}`);

export interface BrowserSession {
  /** The server on a fresh SQLite database, with admin@example.com / admin-password-1. */
  s: TestServer;
  /** The app's address, http://127.0.0.1:<port>. */
  base: string;
  browser: Browser;
  page: Page;
}

/**
 * Starts a server on 127.0.0.1 and Chromium with one 1280x800 page for the tests of the calling
 * `describe`, saves a screenshot of every failed test in test-results/, and stops both after.
 * The returned object is filled in by `beforeAll`.
 */
export function browserSession(): BrowserSession {
  const session = {} as BrowserSession;
  beforeAll(async () => {
    session.s = (await startServer('sqlite'))!;
    session.base = await session.s.app.listen({ host: '127.0.0.1', port: 0 });
    session.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    session.page = await context.newPage();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && session.page) {
      mkdirSync('test-results', { recursive: true });
      await session.page.screenshot({
        path: `test-results/${ctx.task.name.replace(/\W+/g, '-')}.png`,
        fullPage: true,
      });
    }
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.s?.close();
  });
  return session;
}

/** Signs the test administrator in through the sign-in page and waits for the sidebar. */
export async function signIn(page: Page, base: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('E-mail').fill('admin@example.com');
  await page.locator('input[type=password]').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Objects' }).waitFor();
}
