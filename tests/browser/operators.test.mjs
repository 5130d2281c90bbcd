// @ts-check
// What an operator meets first (issue 12, "Operators"), at 1440×900 on the
// demo: sharing declared, changed and ended on the asset page with the API's
// rules; lease terms shown only to those entitled (no "{value} đ"); a cable's
// poles shown and picked by code and name; an import with Vietnamese values
// mapped to codes and "Xem trên bản đồ" zooming to its rows; the registry map
// drawing the table's kind; an export in Vietnamese with several kinds.
//
// Run alone: cd tests/browser && node --test operators.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { artifactPath, buildAll, launchBrowser, startServer } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
const pageErrors = [];
/** @type {Record<string, string>} */
const passwords = {};

const watchdog = setTimeout(async () => {
  console.error('operator browser tests: longer than 12 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 12 * 60_000);
watchdog.unref();

async function mapIdle() {
  await page.waitForFunction(
    () => {
      const map = window.__hatangMap;
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    undefined,
    { timeout: 45_000, polling: 200 },
  );
}

async function signIn(username) {
  await page.context().clearCookies();
  await page.goto(`${server.url}/login`, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', passwords[username] ?? '');
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor({ timeout: 30_000 });
}

/** The API as `username` (a session of its own, outside the page). */
async function apiAs(username) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: passwords[username] }),
  });
  assert.equal(login.status, 200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token } = await login.json();
  return async (path, init = {}) => {
    const response = await fetch(server.url + path, {
      ...init,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

function checkNoPageErrors(where) {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `${where}: the page threw: ${errors.join('\n')}`);
}

describe('an operator', { timeout: 11 * 60_000 }, () => {
  /** A VNPT pole with room for tenants, made for this run. */
  let poleId = 0;

  before(async () => {
    buildAll();
    server = await startServer();
    for (const login of server.logins) passwords[login.username] = login.password;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const vnpt = await apiAs('vnpt.qng');
    const created = await vnpt('/api/v1/poles', {
      method: 'POST',
      headers: { 'Content-Type': 'application/geo+json' },
      body: JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [108.8031, 15.1131] },
        properties: { code: 'VNPT-CL-P9100', name: 'Cột góc Phan Bội Châu', operator: 'VNPT', material: 'concrete', height_m: 8.5, capacity: 3 },
      }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    poleId = created.body.id;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('declares a tenant, is stopped by the rules, changes and ends the tenancy', { timeout: 150_000 }, async () => {
    await signIn('vnpt.qng');
    await page.goto(`${server.url}/assets/${poleId}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=no-tenants]').waitFor();
    await page.click('[data-testid=tenancy-add]');
    const dialog = page.locator('[data-testid=tenancy-dialog]');
    await dialog.waitFor();
    await page.selectOption('[data-testid=tenancy-tenant]', 'FPT');
    await page.fill('[data-testid=tenancy-capacity_used]', '2');
    await page.fill('[data-testid=tenancy-contract_ref]', 'HĐ-2026/VNPT-FPT-014');
    await page.fill('[data-testid=tenancy-monthly_fee_vnd]', '1500000');
    await page.screenshot({ path: artifactPath('operator-tenancy-form.png') });
    await page.click('[data-testid=tenancy-save]');
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('[data-testid=tenancy-row][data-tenant=FPT]');
    await row.waitFor();
    assert.equal((await row.locator('[data-testid=tenancy-monthly_fee_vnd]').textContent())?.trim(), '1.500.000 đ');

    // A second tenant asking for more slots than are free: the API's rule, under its field.
    await page.click('[data-testid=tenancy-add]');
    await dialog.waitFor();
    await page.selectOption('[data-testid=tenancy-tenant]', 'VIETTEL');
    await page.fill('[data-testid=tenancy-capacity_used]', '2');
    await page.click('[data-testid=tenancy-save]');
    await page.locator('[data-testid=error-capacity_used]:not([hidden])').waitFor();
    assert.match((await page.textContent('[data-testid=error-capacity_used]')) ?? '', /1/);
    await page.screenshot({ path: artifactPath('operator-tenancy-refused.png') });
    await page.click('[data-testid=tenancy-dialog] .dialog-close');

    // Change the capacity, then end the tenancy today.
    await row.locator('[data-testid=tenancy-edit]').click();
    await dialog.waitFor();
    await page.fill('[data-testid=tenancy-capacity_used]', '1');
    await page.click('[data-testid=tenancy-save]');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-testid=tenancy-row][data-tenant=FPT] td:nth-child(4)')?.textContent?.trim() === '1');
    await page.locator('[data-testid=tenancy-row][data-tenant=FPT] [data-testid=tenancy-end]').click();
    await page.locator('[data-testid=tenancy-end-dialog]').waitFor();
    await page.click('[data-testid=tenancy-end-confirm]');
    await page.locator('[data-testid=tenancy-end-dialog]').waitFor({ state: 'detached' });
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
    await page.waitForFunction((day) => document.querySelector('[data-testid=tenancy-row][data-tenant=FPT] td:nth-child(3)')?.textContent?.trim() === day, today);
    await page.screenshot({ path: artifactPath('operator-tenancy-ended.png') });
    checkNoPageErrors('tenancies');
  });

  test('an operator outside the lease sees that its terms are not for them, not "{value} đ"', { timeout: 60_000 }, async () => {
    await signIn('viettel.qng');
    await page.goto(`${server.url}/assets/${poleId}`, { waitUntil: 'domcontentloaded' });
    const fee = page.locator('[data-testid=tenancy-row][data-tenant=FPT] [data-testid=tenancy-monthly_fee_vnd]');
    await fee.waitFor();
    assert.equal((await fee.textContent())?.trim(), 'Không được xem');
    assert.doesNotMatch((await page.textContent('[data-testid=tenancy-panel]')) ?? '', /\{value\}/);
    assert.equal(await page.locator('[data-testid=tenancy-add]').count(), 0, 'only the owner declares tenancies');
    checkNoPageErrors('lease terms');
  });

  test("a cable's poles are shown and picked by code and name", { timeout: 150_000 }, async () => {
    const vnpt = await apiAs('vnpt.qng');
    const cables = await vnpt('/api/v1/cables?operator=VNPT&limit=200');
    const cable = cables.body.features.find((f) => f.properties.placement === 'overhead' && (f.properties.carried_by ?? []).length >= 2);
    assert.ok(cable, 'the demo has a VNPT overhead cable on poles');
    const first = (await vnpt(`/api/v1/assets/${cable.properties.carried_by[0]}`)).body;
    await signIn('vnpt.qng');
    await page.goto(`${server.url}/assets/${cable.id}`, { waitUntil: 'domcontentloaded' });
    const refs = page.locator('[data-testid=refs-carried_by]');
    await refs.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=refs-carried_by]')?.textContent?.includes('…'));
    const shown = (await refs.textContent()) ?? '';
    assert.ok(shown.includes(first.properties.code), `the supports are named by code: ${shown}`);
    assert.doesNotMatch(shown, /#\d+/);

    // In the editor: chips by code, a pole added by searching its code, another by clicking it on the map.
    await page.goto(`${server.url}/?edit=cables:${cable.id}`, { waitUntil: 'domcontentloaded' });
    const chosen = page.locator('[data-testid=field-carried_by-chosen]');
    await chosen.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=field-carried_by-chosen]')?.textContent?.includes('…'));
    assert.ok(((await chosen.textContent()) ?? '').includes(first.properties.code));
    const before = await chosen.locator('.picker-chip').count();
    await page.fill('[data-testid=field-carried_by-search]', 'VNPT-CL-P9100');
    await page.locator('[data-testid=field-carried_by-results] .search-item').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=field-carried_by-chosen] .picker-chip').length === n + 1, before);
    assert.match((await chosen.textContent()) ?? '', /VNPT-CL-P9100 · Cột góc Phan Bội Châu/);
    await page.screenshot({ path: artifactPath('operator-cable-poles.png') });

    await page.click('[data-testid=field-carried_by-map]');
    await mapIdle();
    const target = await page.evaluate(() => {
      const map = window.__hatangMap;
      const pole = map?.queryRenderedFeatures({ layers: ['poles'] }).find((f) => f.properties.cluster !== true && f.properties.code !== 'VNPT-CL-P9100');
      if (!map || !pole || pole.geometry.type !== 'Point') return null;
      const at = map.project(/** @type {[number, number]} */ (pole.geometry.coordinates));
      return { x: at.x, y: at.y, code: pole.properties.code };
    });
    assert.ok(target, 'a pole is drawn to click');
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + target.x, box.y + target.y);
    await page.waitForFunction((code) => document.querySelector('[data-testid=field-carried_by-chosen]')?.textContent?.includes(code), target.code);
    await page.click('[data-testid=field-carried_by-map]');
    await page.click('[data-testid=edit-cancel]');
    checkNoPageErrors('cable supports');
  });

  test('an import maps "Bê tông", "Thép", "Cột bê tông ly tâm" to codes and shows its rows on the map', { timeout: 180_000 }, async () => {
    await signIn('vnpt.qng');
    const csv = [
      'Mã cột,Tên cột,Kinh độ,Vĩ độ,Chiều cao,Vật liệu',
      'VNPT-VM-1,Cột đầu hẻm 12,108.8101,15.1201,8,Bê tông',
      'VNPT-VM-2,Cột cuối hẻm 12,108.8104,15.1204,9,Thép',
      'VNPT-VM-3,Cột chợ,108.8107,15.1207,8,Cột bê tông ly tâm',
      'VNPT-VM-4,Cột sân trường,108.8110,15.1210,8,Đá ong',
    ].join('\n');
    await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=import-file]').waitFor({ state: 'attached' });
    await page.selectOption('[data-testid=import-kind]', 'poles');
    await page.setInputFiles('[data-testid=import-file]', { name: 'cot-hem-12.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-testid=import-upload]');
    await page.locator('[data-testid=import-values]').waitFor({ timeout: 60_000 });
    assert.equal(await page.inputValue('[data-testid="map-Tên cột"]'), 'name', '"Tên cột" is the name');
    assert.equal(await page.inputValue('[data-testid="value-material-Bê tông"]'), 'concrete');
    assert.equal(await page.inputValue('[data-testid="value-material-Thép"]'), 'steel');
    assert.equal(await page.inputValue('[data-testid="value-material-Cột bê tông ly tâm"]'), 'concrete');
    assert.equal(await page.inputValue('[data-testid="value-material-Đá ong"]'), '', 'a value with no likely code waits for a choice');
    await page.locator('[data-testid=import-values-open]').waitFor();
    await page.screenshot({ path: artifactPath('operator-import-values.png'), fullPage: true });
    await page.selectOption('[data-testid="value-material-Đá ong"]', 'other');
    await page.waitForFunction(() => document.querySelector('[data-testid=import-values]') && !document.querySelector('[data-testid=import-values-open]'));
    await page.click('[data-testid=import-commit]');
    await page.locator('[data-testid=import-done]').waitFor({ timeout: 90_000 });
    assert.equal((await page.textContent('[data-testid=import-created]'))?.trim(), '4');
    const href = (await page.getAttribute('[data-testid=import-to-map]', 'href')) ?? '';
    assert.match(href, /^\/\?bbox=108\.81/);
    await page.click('[data-testid=import-to-map]');
    await mapIdle();
    const view = await page.evaluate(() => {
      const b = window.__hatangMap?.getBounds();
      return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
    });
    assert.ok(view && view[0] <= 108.8101 && view[2] >= 108.811 && view[1] <= 15.1201 && view[3] >= 15.121, `the map shows the rows: ${view}`);
    assert.ok(view[2] - view[0] < 0.02, `and is zoomed to them: ${view}`);
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'] }) ?? []).some((f) => String(f.properties.code).startsWith('VNPT-VM-')), undefined, { timeout: 45_000 });
    await page.screenshot({ path: artifactPath('operator-import-on-map.png') });
    const vnpt = await apiAs('vnpt.qng');
    const imported = await vnpt('/api/v1/poles?q=VNPT-VM-&limit=10');
    const materials = Object.fromEntries(imported.body.features.map((f) => [f.properties.code, f.properties.material]));
    assert.deepEqual(materials, { 'VNPT-VM-1': 'concrete', 'VNPT-VM-2': 'steel', 'VNPT-VM-3': 'concrete', 'VNPT-VM-4': 'other' });
    checkNoPageErrors('import');
  });

  test("the registry's map draws the table's kind, whatever the map's kind filter", { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    await mapIdle();
    await page.selectOption('[data-testid=filter-kind]', 'towers');
    await mapIdle();
    await page.click('[data-testid=nav-registry]');
    await page.waitForURL(/\/registry\/poles/);
    await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8031, 15.1131], zoom: 17 }));
    await mapIdle();
    const drawn = await page.evaluate(() => {
      const map = window.__hatangMap;
      const layers = ['poles', 'towers'].filter((id) => map?.getLayer(id));
      return (map?.queryRenderedFeatures({ layers }) ?? []).map((f) => f.properties.kind);
    });
    assert.ok(drawn.includes('pole'), `the poles of the table are drawn: ${[...new Set(drawn)]}`);
    assert.ok(!drawn.includes('tower'), 'other kinds are not');
    await page.screenshot({ path: artifactPath('operator-registry-kind.png') });
    await page.click('[data-testid=nav-map]');
    await page.selectOption('[data-testid=filter-kind]', '');
  });

  test('exports a workbook in Vietnamese with poles and cables on two sheets', { timeout: 90_000 }, async () => {
    await page.goto(`${server.url}/registry/poles`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
    await page.click('[data-testid=export-open]');
    await page.click('[data-testid=export-format-xlsx]');
    await page.check('[data-testid=export-also-cables]');
    await page.screenshot({ path: artifactPath('operator-export.png') });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/export?')),
      page.click('[data-testid=export-download]'),
    ]);
    assert.equal(response.status(), 200);
    assert.match(response.url(), /kinds=poles%2Ccables|kinds=poles,cables/);
    assert.match(response.headers()['content-disposition'] ?? '', /hatang-tai-san\.xlsx/);
    await page.locator('[data-testid=export-done]').waitFor();
    checkNoPageErrors('export');
  });
});
