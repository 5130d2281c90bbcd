// @ts-check
// The web app in a real browser (Debian's Chromium, headless) against the
// real server and its embedded PostGIS with the demo ward. The map is checked
// through MapLibre's own rendered features (window.__hatangMap), not only the
// DOM. Screenshots of the main screens go to test-artifacts/.
//
// Run: make test (after the Rust tests), or `npm test` here after building.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { artifactPath, buildAll, launchBrowser, resetArtifacts, startServer } from './harness.mjs';

/** Style layers that hold single assets (see web/src/map/layers). */
const ASSET_LAYERS = ['towers', 'poles', 'manholes', 'cabinets', 'ducts', 'trenches', 'cables-overhead', 'cables-underground'];

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
/** Uncaught errors in the page fail the test that caused them. */
const pageErrors = [];
/** Whether the server has user accounts (issue 4); without them the API is open. */
let accounts = false;
/** The demo operator member of VNPT, who draws the new pole (when there are accounts). */
let vnpt = { username: '', password: '' };

// Whatever happens, the run ends: a hung browser or server must not hang CI.
const watchdog = setTimeout(async () => {
  console.error('browser tests: the whole run took longer than 15 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 15 * 60_000);
watchdog.unref();

/** Waits until the map has drawn every tile it wants and stands still. */
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

/**
 * Features MapLibre has drawn on the given style layers (optionally filtered).
 * @param {string[]} layers
 * @param {unknown} [filter]
 */
async function rendered(layers, filter) {
  return page.evaluate(
    ({ layers, filter }) => {
      const map = window.__hatangMap;
      if (!map) return [];
      const present = layers.filter((id) => map.getLayer(id));
      if (present.length === 0) return [];
      const options = filter ? { layers: present, filter } : { layers: present };
      return map.queryRenderedFeatures(options).map((f) => ({
        id: f.properties.id,
        code: f.properties.code,
        operator: f.properties.operator,
        kind: f.properties.kind,
        cluster: f.properties.cluster === true,
        layer: f.layer.id,
        coordinates: f.geometry.type === 'Point' ? f.geometry.coordinates : null,
      }));
    },
    { layers, filter },
  );
}

async function checkNoPageErrors() {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
}

/** Headers that let a write through: none on an open server, else a VNPT session (cookie and CSRF token). */
async function writeHeaders() {
  if (!accounts) return {};
  const login = await fetch(server.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: vnpt.username, password: vnpt.password }),
  });
  assert.equal(login.status, 200, 'the VNPT demo login works');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf_token } = await login.json();
  return { Cookie: cookie, 'X-CSRF-Token': csrf_token };
}

/** @type {Record<string, string> | null} */
let sessionHeaders = null;

/** The API as the VNPT member sees it (or as anyone, on an open server). */
async function apiJson(path, init = {}) {
  sessionHeaders ??= await writeHeaders();
  const response = await fetch(server.url + path, { ...init, headers: { ...sessionHeaders, ...(init.headers ?? {}) } });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : null };
}

describe('web app', { timeout: 12 * 60_000 }, () => {
  before(async () => {
    buildAll();
    resetArtifacts();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    accounts = (await fetch(server.url + '/api/v1/auth/me')).status !== 404;
    const member = server.logins.find((l) => l.role === 'operator_member' && l.username.startsWith('vnpt'));
    if (member) vnpt = member;
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[browser console] ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an operator signs in and sees who is signed in', { timeout: 90_000 }, async () => {
    // A missing route fails the test (issue 12): it does not skip itself.
    assert.ok(accounts, 'GET /api/v1/auth/me answers (404 means the accounts routes are missing)');
    assert.ok(vnpt.username, `the banner lists a VNPT demo login:\n${server.log()}`);
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    // Not signed in: no editing, a way to sign in instead.
    await page.locator('[data-testid=login-to-edit]').waitFor();
    assert.equal(await page.locator('[data-testid=add-asset]').count(), 0);
    await page.click('[data-testid=login-to-edit]');
    await page.locator('[data-testid=login-username]').waitFor();
    await page.fill('[data-testid=login-username]', vnpt.username);
    await page.fill('[data-testid=login-password]', 'not the password');
    await page.click('[data-testid=login-submit]');
    await page.locator('.login-form .notice-error').waitFor();
    assert.match((await page.textContent('.login-form .notice-error')) ?? '', /không đúng/);
    await page.fill('[data-testid=login-password]', vnpt.password);
    await page.screenshot({ path: artifactPath('00-login.png') });
    await page.click('[data-testid=login-submit]');
    await page.locator('[data-testid=user-name]').waitFor();
    assert.match((await page.textContent('[data-testid=user-name]')) ?? '', /VNPT/);
    await page.locator('[data-testid=add-asset]').waitFor();
    await checkNoPageErrors();
  });

  test('the map loads and draws asset features from the tiles', { timeout: 120_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
    await mapIdle();
    await page.waitForFunction(
      (layers) => {
        const map = window.__hatangMap;
        const present = layers.filter((id) => map?.getLayer(id));
        return !!map && present.length > 0 && map.queryRenderedFeatures({ layers: present }).length > 50;
      },
      ASSET_LAYERS,
      { timeout: 45_000 },
    );
    const features = await rendered(ASSET_LAYERS);
    const kinds = new Set(features.map((f) => f.kind));
    for (const kind of ['pole', 'tower', 'cable']) assert.ok(kinds.has(kind), `no ${kind} drawn; drew ${[...kinds].join(', ')}`);
    const operators = new Set(features.map((f) => f.operator));
    assert.ok(operators.size >= 3, `expected assets of several operators, got ${[...operators].join(', ')}`);
    // The interface is in Vietnamese by default, with the diacritics intact.
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Bản đồ');
    assert.match((await page.textContent('.side-panel')) ?? '', /Cột treo cáp/);
    // The cursor readout shows WGS84 and the province's VN-2000 TM-3 (X northing, Y easting).
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const vn2000 = await page.locator('[data-testid=coords-vn2000]').textContent();
    assert.match(vn2000 ?? '', /X \(hướng Bắc\) 1\.6\d\d\.\d{3},\d\d m/);
    assert.match(vn2000 ?? '', /Y \(hướng Đông\) 5\d\d\.\d{3},\d\d m/);
    assert.match((await page.textContent('.coords')) ?? '', /108°00′ \(Quảng Ngãi\)/);
    // The conversion agrees with PostGIS: ST_Transform(POINT(108.8052 15.1128), 5898),
    // EPSG:5898 being VN-2000 / TM-3 108°, gives E 586352.866, N 1671575.477.
    const converted = await page.evaluate(() => window.__hatangToVn2000?.(108.8052, 15.1128, 108));
    assert.ok(converted);
    assert.ok(Math.abs(converted.x - 1671575.477) < 0.01 && Math.abs(converted.y - 586352.866) < 0.01, JSON.stringify(converted));
    await page.screenshot({ path: artifactPath('01-map.png') });
    await checkNoPageErrors();
  });

  test('a filter hides the features that do not match', { timeout: 90_000 }, async () => {
    const before = await rendered(ASSET_LAYERS);
    assert.ok(before.some((f) => f.operator !== 'VIETTEL' && !f.cluster), 'other operators drawn before filtering');
    await page.selectOption('[data-testid=filter-operator]', 'VIETTEL');
    await page.waitForFunction(
      (layers) => {
        const map = window.__hatangMap;
        const present = layers.filter((id) => map?.getLayer(id));
        const features = map?.queryRenderedFeatures({ layers: present }) ?? [];
        return features.length > 0 && features.every((f) => f.properties.operator === 'VIETTEL');
      },
      ASSET_LAYERS,
      { timeout: 30_000 },
    );
    await mapIdle();
    const after = await rendered(ASSET_LAYERS);
    assert.ok(after.length > 0, 'Viettel assets still drawn');
    assert.ok(after.length < before.length, `fewer features after filtering (${after.length} < ${before.length})`);
    assert.deepEqual([...new Set(after.map((f) => f.operator))], ['VIETTEL']);
    await page.screenshot({ path: artifactPath('02-map-filtered-viettel.png') });
    await page.click('[data-testid=filter-clear]');
    await page.waitForFunction(
      (layers) => {
        const map = window.__hatangMap;
        const present = layers.filter((id) => map?.getLayer(id));
        return (map?.queryRenderedFeatures({ layers: present }) ?? []).some((f) => f.properties.operator !== 'VIETTEL');
      },
      ASSET_LAYERS,
      { timeout: 30_000 },
    );
    await checkNoPageErrors();
  });

  test('clicking an asset opens a popup with its attributes and a link to its page', { timeout: 90_000 }, async () => {
    await mapIdle();
    const towers = (await rendered(['towers'])).filter((f) => !f.cluster && f.coordinates);
    assert.ok(towers.length > 0, 'a tower is drawn');
    const tower = towers[0];
    const point = await page.evaluate((c) => window.__hatangMap?.project(c), tower.coordinates);
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(point && box);
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const popup = page.locator('[data-testid=asset-popup]');
    await popup.waitFor({ state: 'visible' });
    const text = (await popup.textContent()) ?? '';
    assert.match(text, /Cột ăng ten/);
    assert.ok(text.includes(String(towers.find((t) => text.includes(String(t.code)))?.code ?? tower.code)), `popup names the tower: ${text}`);
    assert.match(text, /Mở trang tài sản/);
    await page.screenshot({ path: artifactPath('03-map-popup.png') });
    await checkNoPageErrors();
  });

  test('the form of each kind offers that kind\'s own values, from the OpenAPI description', { timeout: 60_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=add-asset]').waitFor();
    await page.click('[data-testid=add-asset]');
    await page.click('[data-testid=add-cables]');
    await page.locator('[data-testid=field-role]').waitFor();
    const options = async (field) =>
      (await page.locator(`[data-testid=field-${field}] option`).evaluateAll((os) => os.map((o) => o.getAttribute('value')))).filter(Boolean);
    assert.deepEqual(await options('role'), ['trunk', 'subscriber'], 'a cable is trunk or subscriber');
    assert.deepEqual(await options('placement'), ['overhead', 'underground']);
    assert.deepEqual(await options('medium'), ['fibre', 'copper', 'coax']);
    assert.match((await page.textContent('[data-testid=field-role]')) ?? '', /Cáp trục/);
    await page.click('[data-testid=edit-cancel]');
    await page.locator('[data-testid=add-asset]').waitFor();
    await checkNoPageErrors();
  });

  test('a location the server refuses is marked on the map with its problem', { timeout: 60_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await mapIdle();
    // Bangkok: outside Vietnam, which the server refuses.
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [100.5, 13.75], zoom: 16 }));
    await page.click('[data-testid=add-asset]');
    await page.click('[data-testid=add-poles]');
    await page.locator('[data-testid=draw-hint]').waitFor();
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('[data-testid=field-code]').waitFor();
    await page.fill('[data-testid=field-code]', 'VNPT-TEST-NGOAI');
    await page.selectOption('[data-testid=field-operator]', 'VNPT');
    await page.selectOption('[data-testid=field-material]', 'steel');
    await page.fill('[data-testid=field-height_m]', '9');
    await page.click('[data-testid=edit-save]');
    const problem = page.locator('[data-testid=geometry-problem]');
    await problem.waitFor({ state: 'visible' });
    assert.match((await problem.textContent()) ?? '', /Vị trí trên bản đồ chưa hợp lệ/);
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['problem-point'] }).length ?? 0) === 1, undefined, {
      timeout: 10_000,
    }); // the refused point is outlined on the map
    await page.screenshot({ path: artifactPath('05b-edit-geometry-problem.png') });
    await page.click('[data-testid=edit-cancel]');
    await checkNoPageErrors();
  });

  let newPoleId = 0;
  const newCode = `VNPT-CL-P${String(Date.now()).slice(-5)}`;

  test('an operator draws a new pole, fixes a refused value and saves; the pole appears in the tiles', { timeout: 180_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await mapIdle();
    // Zoom in where every pole is drawn singly (no clusters), near the ward's centre.
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8052, 15.1128], zoom: 17 }));
    await mapIdle();
    await page.click('[data-testid=add-asset]');
    await page.click('[data-testid=add-poles]');
    await page.locator('[data-testid=draw-hint]').waitFor();
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    const at = { x: box.x + box.width * 0.5 + 23, y: box.y + box.height * 0.5 + 17 };
    await page.mouse.click(at.x, at.y);
    await page.locator('[data-testid=field-code]').waitFor();
    const drawnAt = await page.evaluate(({ x, y }) => window.__hatangMap?.unproject([x, y]).toArray(), {
      x: at.x - box.x,
      y: at.y - box.y,
    });
    await page.fill('[data-testid=field-code]', newCode);
    await page.fill('[data-testid=field-name]', 'Cột mới – đường Phan Bội Châu');
    await page.selectOption('[data-testid=field-operator]', 'VNPT');
    await page.selectOption('[data-testid=field-material]', 'concrete');
    // A height the server refuses: the problem shows next to the field.
    await page.fill('[data-testid=field-height_m]', '999');
    await page.screenshot({ path: artifactPath('04-edit-new-pole.png') });
    await page.click('[data-testid=edit-save]');
    const heightError = page.locator('[data-testid=error-height_m]');
    await heightError.waitFor({ state: 'visible' });
    assert.ok(((await heightError.textContent()) ?? '').length > 0);
    await page.screenshot({ path: artifactPath('05-edit-validation.png') });
    // Vietnamese decimal comma.
    await page.fill('[data-testid=field-height_m]', '8,5');
    await page.click('[data-testid=edit-save]');
    await page.locator('.toast-success').waitFor({ state: 'visible' });
    assert.equal(await page.locator('[data-testid=editor]').count(), 0, 'the editor closes after saving');

    const saved = await apiJson(`/api/v1/poles?q=${encodeURIComponent(newCode)}`);
    assert.equal(saved.body.features.length, 1, 'the API has the pole');
    const pole = saved.body.features[0];
    newPoleId = pole.id;
    assert.equal(pole.properties.height_m, 8.5);
    assert.equal(pole.properties.name, 'Cột mới – đường Phan Bội Châu', 'text round-trips with its diacritics');
    assert.ok(drawnAt);
    assert.ok(Math.abs(pole.geometry.coordinates[0] - drawnAt[0]) < 1e-5 && Math.abs(pole.geometry.coordinates[1] - drawnAt[1]) < 1e-5, 'saved where it was drawn');

    // The tile layer shows it once the tiles are asked for again.
    await page.waitForFunction(
      (code) => {
        const map = window.__hatangMap;
        return !!map && map.getLayer('poles') && map.queryRenderedFeatures({ layers: ['poles'], filter: ['==', ['get', 'code'], code] }).length === 1;
      },
      newCode,
      { timeout: 30_000 },
    );
    await mapIdle();
    await page.screenshot({ path: artifactPath('06-new-pole-on-map.png') });
    await checkNoPageErrors();
  });

  test('an operator draws a cable route, then reshapes it by dragging a vertex', { timeout: 120_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await mapIdle();
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8052, 15.1128], zoom: 17 }));
    await mapIdle();
    await page.click('[data-testid=add-asset]');
    await page.click('[data-testid=add-cables]');
    await page.locator('[data-testid=draw-hint]').waitFor();
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    const at = (fx, fy) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
    const route = [at(0.35, 0.62), at(0.5, 0.57), at(0.65, 0.64)];
    for (const p of route) await page.mouse.click(p.x, p.y);
    await page.mouse.click(route[2].x, route[2].y); // the last point again ends the line
    await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
    const code = `VNPT-QNI-C${String(Date.now()).slice(-4)}`;
    await page.fill('[data-testid=field-code]', code);
    await page.selectOption('[data-testid=field-operator]', 'VNPT');
    await page.selectOption('[data-testid=field-placement]', 'overhead');
    await page.selectOption('[data-testid=field-medium]', 'fibre');
    await page.selectOption('[data-testid=field-role]', 'subscriber');
    await page.fill('[data-testid=field-core_count]', '24');
    await page.click('[data-testid=edit-save]');
    await page.locator('.toast-success').first().waitFor({ state: 'visible' });
    await page.waitForFunction(
      (code) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['cables-overhead'], filter: ['==', ['get', 'code'], code] }).length ?? 0) > 0,
      code,
      { timeout: 30_000 },
    );
    const created = (await apiJson(`/api/v1/cables?q=${encodeURIComponent(code)}`)).body.features[0];
    assert.equal(created.geometry.type, 'LineString');
    assert.equal(created.geometry.coordinates.length, 3);

    // Reshape: drag the middle vertex 60 px down.
    await page.goto(`${server.url}/?edit=cables:${created.id}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=field-code]').waitFor();
    await page.waitForFunction(() => !!window.__hatangMap && !window.__hatangMap.isMoving());
    await mapIdle();
    const middle = await page.evaluate((c) => window.__hatangMap?.project(c), created.geometry.coordinates[1]);
    assert.ok(middle);
    const mapBox = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(mapBox);
    await page.mouse.move(mapBox.x + middle.x, mapBox.y + middle.y);
    await page.mouse.down();
    await page.mouse.move(mapBox.x + middle.x, mapBox.y + middle.y + 60, { steps: 8 });
    await page.mouse.up();
    await page.click('[data-testid=edit-save]');
    await page.locator('[data-testid=editor]').waitFor({ state: 'detached' });
    const reshaped = (await apiJson(`/api/v1/cables/${created.id}`)).body;
    assert.equal(reshaped.geometry.coordinates.length, 3);
    assert.ok(reshaped.geometry.coordinates[1][1] < created.geometry.coordinates[1][1] - 1e-5, 'the middle vertex moved south');
    assert.deepEqual(reshaped.geometry.coordinates[0], created.geometry.coordinates[0], 'the ends stayed');
    await page.screenshot({ path: artifactPath('06b-cable-reshaped.png') });
    await checkNoPageErrors();
  });

  test('the registry lists assets in the map extent and the asset page shows attributes, tenants and history', { timeout: 120_000 }, async () => {
    await page.click('[data-testid=nav-registry]');
    await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
    const status = (await page.textContent('[data-testid=registry-status]')) ?? '';
    assert.match(status, /Đã tải \d+ tài sản/);
    await page.click('[data-testid=sort-height_m]');
    await page.screenshot({ path: artifactPath('07-registry-poles.png') });
    // Searching by code finds the new pole in the map extent.
    await page.fill('[data-testid=registry-search]', newCode);
    await page.waitForFunction(
      (code) => {
        const rows = document.querySelectorAll('[data-testid=registry-table] tbody tr');
        return rows.length === 1 && (rows[0]?.textContent ?? '').includes(code);
      },
      newCode,
    );

    await page.goto(`${server.url}/assets/${newPoleId}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=history] tbody tr').first().waitFor();
    assert.equal((await page.textContent('[data-testid=asset-code]'))?.trim(), newCode);
    assert.match((await page.textContent('[data-testid=history]')) ?? '', /Tạo mới/);
    assert.match((await page.textContent('.attributes')) ?? '', /8,5 m/);

    // A pole of VNPT's with tenants shows them (and, to its owner, its history).
    const shared = await apiJson('/api/v1/poles?shared=true&operator=VNPT&limit=1');
    await page.goto(`${server.url}/assets/${shared.body.features[0].id}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=tenants] tbody tr').first().waitFor();
    await page.locator('[data-testid=history] tbody tr').first().waitFor();
    assert.match((await page.textContent('[data-testid=tenants]')) ?? '', /\d{2}\/\d{2}\/\d{4}/, 'dates are dd/MM/yyyy');
    await page.screenshot({ path: artifactPath('08-asset-page.png'), fullPage: true });
    await checkNoPageErrors();
  });

  test('a stale edit is refused and the person is told what changed and by whom', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/?edit=poles:${newPoleId}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=field-height_m]').waitFor();
    // Meanwhile someone else changes the height.
    const current = await apiJson(`/api/v1/poles/${newPoleId}`);
    const other = await apiJson(`/api/v1/poles/${newPoleId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': current.etag ?? '' },
      body: JSON.stringify({ properties: { height_m: 10 } }),
    });
    assert.equal(other.status, 200);
    await page.fill('[data-testid=field-note]', 'Đã kiểm tra tại hiện trường');
    await page.click('[data-testid=edit-save]');
    const conflict = page.locator('[data-testid=edit-conflict]');
    await conflict.waitFor({ state: 'visible' });
    const text = (await conflict.textContent()) ?? '';
    assert.match(text, /Chiều cao \(m\)/);
    assert.match(text, /8,5|8\.5/);
    assert.match(text, /10/);
    await page.screenshot({ path: artifactPath('09-edit-conflict.png') });
    const after = await apiJson(`/api/v1/poles/${newPoleId}`);
    assert.equal(after.body.properties.note, null, 'the stale change was not saved');
    await page.click('[data-testid=edit-cancel]');
    await checkNoPageErrors();
  });

  test('decommissioning the pole from its page takes it off the map', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/assets/${newPoleId}`, { waitUntil: 'domcontentloaded' });
    await page.click('[data-testid=asset-decommission]');
    await page.fill('[data-testid=decommission-reason]', 'Cột đã được thay bằng tuyến cống bể ngầm');
    await page.click('[data-testid=decommission-confirm]');
    await page.locator('.toast-success').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('[data-testid=asset-status]')?.textContent?.includes('Đã ngừng sử dụng'));
    await page.locator('[data-testid=history] >> text=Ngừng sử dụng').first().waitFor();
    // The map no longer draws it.
    await page.goto(`${server.url}/?asset=${newPoleId}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await page.waitForFunction(() => (window.__hatangMap?.getZoom() ?? 0) >= 16, undefined, { timeout: 30_000 });
    await mapIdle();
    const drawn = await rendered(['poles'], ['==', ['get', 'code'], newCode]);
    assert.equal(drawn.length, 0, 'a decommissioned pole is not drawn');
    assert.ok((await rendered(['poles'])).length > 0, 'the other poles still are');
    await checkNoPageErrors();
  });

  test('the language toggle switches the interface to English and back, and is remembered', { timeout: 90_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=nav-map]').waitFor();
    assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Bản đồ');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Map');
    assert.equal((await page.textContent('[data-testid=nav-registry]'))?.trim(), 'Registry');
    assert.match((await page.textContent('.side-panel')) ?? '', /Poles/);
    await mapIdle();
    await page.screenshot({ path: artifactPath('10-map-english.png') });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=nav-map]').waitFor();
    assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Map', 'the choice survives a reload');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Bản đồ');
    await checkNoPageErrors();
  });

  test('the map screen is usable on a tablet', { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await mapIdle();
    const features = await rendered(ASSET_LAYERS);
    assert.ok(features.length > 0, 'the map draws on a tablet too');
    await page.screenshot({ path: artifactPath('11-map-tablet.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await checkNoPageErrors();
  });
});
