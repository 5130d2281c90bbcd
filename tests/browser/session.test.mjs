// @ts-check
// Who is signed in decides what the app offers. When the server cannot say
// (`GET /api/v1/auth/me` fails with a 5xx or the network), the app must not
// guess: it shows the error with a way to try again, and never the editing
// screens. Nobody signed in (a 401) is the public: the map, no editing.

import assert from 'node:assert/strict';
import { browserTest, mapIdle, signIn } from './harness.mjs';
import { newMember } from './fixtures.mjs';

const ME = '**/api/v1/auth/me';
// The answers of /auth/me are faked with page.route, which the service worker's requests bypass.
const NO_WORKER = /** @type {const} */ ({ serviceWorkers: 'block' });

/**
 * Checks that the page shows the start error and nothing one could edit with.
 * @param {import('playwright-core').Page} page
 */
async function showsOnlyTheError(page) {
  const failed = page.locator('[data-testid=start-failed]');
  await failed.waitFor();
  assert.match((await failed.textContent()) ?? '', /Không mở được ứng dụng/);
  assert.equal(await failed.locator('button', { hasText: 'Thử lại' }).count(), 1, 'a way to try again');
  for (const testId of ['add-asset', 'map', 'registry-table', 'permit-new', 'edit-save', 'field-code']) {
    assert.equal(await page.locator(`[data-testid=${testId}]`).count(), 0, `no ${testId} while the session is unknown`);
  }
  assert.equal(await page.locator('[data-testid=user-menu]').count(), 0, 'nobody is shown as signed in');
}

browserTest('a server error on /auth/me shows an error with retry, never the editing screens', NO_WORKER, async ({ page, server, shot }) => {
  const member = await newMember();
  await signIn(page, member);
  let failing = true;
  await page.route(ME, (route) => (failing ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal_error","message":"internal error"}}' }) : route.continue()));

  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await showsOnlyTheError(page);
  assert.match((await page.textContent('[data-testid=start-failed]')) ?? '', /Máy chủ gặp sự cố/, 'the error says what happened');
  await shot('session-01-me-500');

  // An address of an editing screen shows the same error, not the screen.
  await page.goto(server.url + '/permits/new', { waitUntil: 'domcontentloaded' });
  await showsOnlyTheError(page);

  // The server recovers: "try again" opens the app as the member, who may edit.
  failing = false;
  await page.click('[data-testid=start-failed] button');
  await page.locator('[data-testid=user-name]').waitFor();
  assert.match((await page.textContent('[data-testid=user-name]')) ?? '', new RegExp(member.operator.short_name));
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=add-asset]').waitFor();
});

browserTest('a network error on /auth/me shows an error with retry', NO_WORKER, async ({ page, server }) => {
  const member = await newMember();
  await signIn(page, member);
  await page.route(ME, (route) => route.abort('connectionrefused'));
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await showsOnlyTheError(page);
  assert.match((await page.textContent('[data-testid=start-failed]')) ?? '', /Không kết nối được/);
  // Still down: trying again shows the error again.
  await page.click('[data-testid=start-failed] button');
  await showsOnlyTheError(page);
  await page.unroute(ME);
  await page.click('[data-testid=start-failed] button');
  await page.locator('[data-testid=add-asset]').waitFor();
});

browserTest('nobody signed in (a 401) is the public: the map and a way to sign in, no editing', NO_WORKER, async ({ page, server }) => {
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=login-to-edit]').waitFor();
  assert.equal(await page.locator('[data-testid=add-asset]').count(), 0);
  assert.equal(await page.locator('[data-testid=login-link]').count(), 1);
  await mapIdle(page);
});
