// @ts-check
// The web app under Hatang's Content-Security-Policy (issue 13): the map with
// MapLibre's workers, the registry and the sign-in page run in Chromium without
// a single CSP violation, and every response carries the security headers.
// As the public, not signed in; nothing is changed.
//
// Run: `npm test` (every file), or `node --test security.test.mjs` after building.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserTest, hatang, mapIdle } from './harness.mjs';

browserTest('the map, the registry and the login page run under the CSP with no violation', { viewport: 'laptop' }, async ({ page, shot }) => {
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
  const response = await page.goto('/', { waitUntil: 'load' });
  assert.ok(response);
  const headers = response.headers();
  assert.match(headers['content-security-policy'] ?? '', /script-src 'self'/);
  assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.ok(headers['referrer-policy']);
  // MapLibre draws (its workers started from blob: URLs) and loads its tiles.
  await mapIdle(page);
  await shot('csp-map');
  /** @type {string[]} */
  let events = [];
  // Each page is read once it shows what it is for (its data loaded, so its requests made).
  for (const [path, shown] of [
    ['/registry/towers', '[data-testid=registry-table] tbody tr'],
    ['/login', '[data-testid=login-submit]'],
    ['/thong-ke-cap-phep', '[data-testid=stats-row]'],
  ]) {
    await page.goto(path, { waitUntil: 'load' });
    await page.locator(shown).first().waitFor();
    // A violation on one page is lost when the next loads: gather them page by page.
    // @ts-ignore
    events = [...events, ...(await page.evaluate(() => window.__cspViolations ?? []))];
  }
  assert.deepEqual([...violations, ...events], [], 'no CSP violations');
});

test('API responses and errors carry nosniff and the CSP too', async () => {
  const server = await hatang();
  for (const path of ['/api/v1/towers', '/api/v1/towers/abc', '/health', '/tiles']) {
    const response = await fetch(`${server.url}${path}`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
  }
});
