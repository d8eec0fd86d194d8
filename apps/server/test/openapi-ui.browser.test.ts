// The OpenAPI page works in a real browser under the security headers: Debian's Chromium loads
// /docs as a signed-in engineer, the UI renders every route, and no CSP violation or script error
// is reported. Real server, Postgres and Redis; nothing is mocked.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 30_000);

it('renders every route for an engineer, with no CSP violation', { timeout: 60_000 }, async () => {
  const [name, value] = (await server.signIn('engineer')).split('=');
  const context = await browser.newContext();
  await context.addCookies([
    { name: name!, value: value!, domain: new URL(server.baseUrl).hostname, path: '/' },
  ]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${server.baseUrl}/docs`);
  await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
  const paths = await page.locator('.opblock-summary-path').allInnerTexts();
  // Every path of the OpenAPI document is rendered (the document itself is tested elsewhere).
  const spec = (await (
    await fetch(`${server.baseUrl}/docs/json`, { headers: { cookie: `${name}=${value}` } })
  ).json()) as { paths: Record<string, unknown> };
  expect(Object.keys(spec.paths)).toEqual(
    expect.arrayContaining(['/api/health', '/api/session', '/api/flash-jobs', '/api/audit-events']),
  );
  expect(new Set(paths)).toEqual(new Set(Object.keys(spec.paths)));
  expect(problems).toEqual([]);
});
