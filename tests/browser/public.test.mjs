// @ts-check
// What a resident sees, not signed in, on the demo at 1440×900 (issue 12,
// "Public"): the search asks only what the public may read and shows what it
// found even when one question fails; the registry, the legend, the map's
// overlays, the undergrounding dashboard and its table offer only what is
// public; popups name the asset; the asset page says when it was registered.
// Every request each test's screens make is recorded: none may be refused.
// Each test opens its screens itself and only reads the demo.
//
// Run: `npm test` (every file), or `node --test public.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, mapIdle } from './harness.mjs';

/**
 * Records the requests to the API or the tiles that the page's screens make and the server
 * refuses (401, 403), as "status path"; the test ends by checking there are none.
 * @param {import('playwright-core').Page} page
 */
function refusals(page) {
  /** @type {string[]} */
  const refused = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    // `GET /api/v1/auth/me` answers 401 to say nobody is signed in: the question, not a refusal.
    if (url.pathname === '/api/v1/auth/me') return;
    if ((url.pathname.startsWith('/api/') || url.pathname.startsWith('/tiles')) && [401, 403].includes(response.status())) {
      refused.push(`${response.status()} ${url.pathname}${url.search}`);
    }
  });
  return refused;
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function noErrorsOnScreen(page, where) {
  assert.equal(await page.locator('.notice-error, [data-testid=login-needed], [data-testid=access-login], [data-testid=access-denied]').count(), 0, `${where}: an error or a login notice on screen`);
  assert.equal(await page.locator('.toast-error').count(), 0, `${where}: an error toast`);
}

/** @param {import('playwright-core').Page} page */
async function openMap(page) {
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
}

browserTest('the search finds a public tower, a ward and a street, asking only what the public may read', {}, async ({ page, shot }) => {
  const refused = refusals(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
  const asked = [];
  const listen = (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/') && url.searchParams.has('q')) asked.push(url.pathname);
  };
  page.on('request', listen);
  await page.fill('[data-testid=search]', 'T008');
  const results = page.locator('[data-testid=search-results]');
  await results.locator('.search-item').first().waitFor();
  const text = (await results.textContent()) ?? '';
  assert.match(text, /VNPT-QNI-T008/);
  assert.match(text, /Trạm BTS Chánh Lộ 01/, 'the result names the tower');
  assert.doesNotMatch(text, /đăng nhập/i);
  page.off('request', listen);
  assert.deepEqual([...new Set(asked)].sort(), ['/api/v1/streets', '/api/v1/towers', '/api/v1/wards'], 'only what the public may read is asked');

  // Cẩm Thành, the ward of 1/7/2025 (Chánh Lộ ended then and is no longer offered).
  await page.fill('[data-testid=search]', 'Cẩm Th');
  await results.locator('.search-group', { hasText: 'Phường, xã' }).waitFor();
  // Without diacritics, as people type on a phone.
  await page.fill('[data-testid=search]', 'tran hung dao');
  await results.locator('.search-item', { hasText: 'Trần Hưng Đạo' }).first().waitFor();
  assert.match((await results.textContent()) ?? '', /Đường phố/);
  await shot('public-search');
  // The street, not the ward of the same name listed above it.
  await results.locator('.search-group:text-is("Đường phố") ~ .search-item', { hasText: 'Trần Hưng Đạo' }).first().click();
  // The street is fetched, then highlighted where the map flies to it.
  await page.waitForFunction(() => (window.__hatangMap?.querySourceFeatures('highlight').length ?? 0) > 0, undefined, { timeout: 30_000 });
  await mapIdle(page);
  await noErrorsOnScreen(page, 'search');
  assert.deepEqual(refused, [], 'nothing the screens asked for was refused');
});

// page.route fakes the streets' answer: without the service worker, which would send its own requests past it.
browserTest('one question of the search failing leaves the others\' answers, and says which failed', { serviceWorkers: 'block' }, async ({ page, shot }) => {
  const refused = refusals(page);
  await openMap(page);
  await page.route('**/api/v1/streets?*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down","details":[]}}' }));
  await page.fill('[data-testid=search]', '');
  await page.fill('[data-testid=search]', 'T008');
  const results = page.locator('[data-testid=search-results]');
  await results.locator('[data-testid=search-partial]').waitFor();
  assert.match((await results.textContent()) ?? '', /VNPT-QNI-T008/, 'the towers found are still listed');
  assert.match((await results.locator('[data-testid=search-partial]').textContent()) ?? '', /Đường phố/);
  await shot('public-search-partial');
  await page.unroute('**/api/v1/streets?*');
  await page.keyboard.press('Escape');
  assert.deepEqual(refused, [], 'nothing the screens asked for was refused');
});

browserTest('the legend offers only public layers, and a popup names the tower', {}, async ({ page, shot }) => {
  const refused = refusals(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await mapIdle(page);
  for (const hidden of ['poles', 'cables-overhead', 'ducts', 'manholes', 'cabinets', 'trenches', 'ug-projects', 'ug-works']) {
    assert.equal(await page.locator(`[data-testid=layer-${hidden}]`).count(), 0, `the public is offered the ${hidden} layer`);
  }
  for (const shown of ['towers', 'streets', 'wards']) await page.locator(`[data-testid=layer-${shown}]`).waitFor();
  assert.equal(await page.locator('[data-testid=colour-sharing]').count(), 0, 'no colouring by sharing the public cannot see');
  assert.equal(await page.locator('[data-testid=filter-shared]').count(), 0);
  // Signing in to edit is offered; nothing is listed that needs a login to be seen.
  assert.doesNotMatch((await page.textContent('.side-panel')) ?? '', /Đăng nhập để (xem|dùng)/);

  // Click the tower T008 (zoomed in on it) and read its popup.
  const tower = await page.evaluate(async () => (await (await fetch('/api/v1/towers?q=T008')).json()).features[0]);
  await page.evaluate((c) => window.__hatangMap?.jumpTo({ center: c, zoom: 17 }), tower.geometry.coordinates);
  await mapIdle(page);
  const at = await page.evaluate((c) => window.__hatangMap?.project(c), tower.geometry.coordinates);
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(at && box);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  const popup = page.locator('[data-testid=asset-popup]');
  await popup.waitFor();
  assert.match((await popup.locator('.popup-title').textContent()) ?? '', /VNPT-QNI-T008/);
  assert.equal((await popup.locator('[data-testid=popup-name]').textContent())?.trim(), 'Trạm BTS Chánh Lộ 01');
  await shot('public-popup');
  await noErrorsOnScreen(page, 'map');
  assert.deepEqual(refused, [], 'nothing the screens asked for was refused');
});

browserTest('"Danh sách tài sản" opens on the towers, and the asset page says when it was registered', {}, async ({ page, shot }) => {
  const refused = refusals(page);
  await openMap(page);
  await page.click('[data-testid=nav-registry]');
  await page.waitForURL(/\/registry\/towers$/);
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
  const tabs = await page.locator('.registry-head .tab').allTextContents();
  assert.deepEqual(tabs, ['Cột ăng ten (BTS)'], 'only the kind the public may list');
  await shot('public-registry');
  await noErrorsOnScreen(page, 'registry');

  // An old bookmark of another kind opens the towers, not an error.
  await page.goto('/registry/poles', { waitUntil: 'domcontentloaded' });
  await page.waitForURL(/\/registry\/towers$/);
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();

  await page.locator('[data-testid=registry-code]').first().click();
  const record = page.locator('[data-testid=asset-record]');
  await record.waitFor();
  const line = (await record.textContent()) ?? '';
  assert.match(line, /Ngày tạo: \d\d\/\d\d\/\d{4} \d\d:\d\d/, line);
  assert.match(line, /Cập nhật lần cuối: \d\d\/\d\d\/\d{4} \d\d:\d\d/, line);
  assert.match(line, /phiên bản \d+/, line);
  assert.doesNotMatch(line, /—/);
  await shot('public-asset');
  await noErrorsOnScreen(page, 'asset page');
  assert.deepEqual(refused, [], 'nothing the screens asked for was refused');
});

browserTest('the public dashboard\'s "Xem trên bản đồ" and "Bảng số liệu" show the flagged streets', {}, async ({ page, shot }) => {
  const refused = refusals(page);
  await page.goto('/ngam-hoa', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=dashboard-title]').waitFor();
  await page.locator('.figure').first().waitFor();
  const tabs = await page.locator('.section-tabs .tab').allTextContents();
  assert.equal(tabs.length, 2, `the public has the dashboard and its table: ${tabs.join(', ')}`);
  const wards = await page.locator('[data-testid=dashboard-ward] option').allTextContents();
  assert.ok(wards.length >= 1 && wards.every((w) => /Cẩm Thành/.test(w)), `only wards that publish: ${wards.join(', ')}`);
  await noErrorsOnScreen(page, 'dashboard');

  await page.click('[data-testid=dashboard-map]');
  await page.waitForURL(/overlay=ug-flags/);
  await page.waitForFunction(() => (window.__hatangMap?.querySourceFeatures('ug-flags').length ?? 0) > 0, undefined, { timeout: 45_000 });
  await mapIdle(page);
  assert.ok(await page.locator('[data-testid=layer-ug-flags]').isChecked());
  await shot('public-flags-map');
  await noErrorsOnScreen(page, 'flags on the map');

  await page.goto('/ngam-hoa', { waitUntil: 'domcontentloaded' });
  await page.locator('.page-actions a', { hasText: 'Bảng số liệu' }).click();
  await page.locator('[data-testid=table-flags] tbody tr').first().waitFor();
  assert.equal(await page.locator('[data-testid^=table-tab-]').count(), 1, 'only the flags table is offered');
  assert.doesNotMatch((await page.locator('[data-testid=table-flags] thead').textContent()) ?? '', /doanh nghiệp/i);
  await shot('public-tables');
  await noErrorsOnScreen(page, 'tables');
  assert.deepEqual(refused, [], 'nothing the screens asked for was refused');
});
