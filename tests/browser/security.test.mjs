// @ts-check
// The web app under Hatang's Content-Security-Policy (issue 13): the map with
// MapLibre's workers, the registry and the sign-in page run in Chromium without
// a single CSP violation, and every response carries the security headers.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { artifactPath, buildAll, launchBrowser, startServer } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;

const watchdog = setTimeout(async () => {
  console.error('security browser test: longer than 8 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 8 * 60_000);
watchdog.unref();

before(async () => {
  buildAll();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the map, the registry and the login page run under the CSP with no violation', async () => {
  const page = await browser.context.newPage();
  /** @type {string[]} */
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      // @ts-ignore
      (window.__cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const response = await page.goto(`${server.url}/`, { waitUntil: 'load' });
  assert.ok(response);
  const headers = response.headers();
  assert.match(headers['content-security-policy'] ?? '', /script-src 'self'/);
  assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.ok(headers['referrer-policy']);
  // MapLibre draws (its workers started from blob: URLs) and loads its tiles.
  await page.waitForFunction(
    () => {
      // @ts-ignore
      const map = window.__hatangMap;
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );
  await page.screenshot({ path: artifactPath('csp-map.png') });
  for (const path of ['/registry/towers', '/login', '/thong-ke-cap-phep']) {
    await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
    await page.waitForTimeout(1500);
  }
  // @ts-ignore
  const events = await page.evaluate(() => window.__cspViolations ?? []);
  assert.deepEqual([...violations, ...events], [], 'no CSP violations');
  await page.close();
});

test('API responses and errors carry nosniff and the CSP too', async () => {
  for (const path of ['/api/v1/towers', '/api/v1/towers/abc', '/health', '/tiles']) {
    const response = await fetch(`${server.url}${path}`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
  }
});
