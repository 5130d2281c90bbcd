// @ts-check
// The map, the asset editor, the registry and the asset page in a real
// browser (Debian's Chromium, headless) against the real server and its
// embedded PostGIS with the demo ward. The map is checked through MapLibre's
// own rendered features (window.__hatangMap), not only the DOM. Each test
// makes its own operator and assets; screenshots go to test-artifacts/app-*.png.
//
// Run: `npm test` (every file), or `node --test app.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, mapAt, mapIdle, pagePoint, renderedFeatures, signIn } from './harness.mjs';
import { CHANH_LO, apiAs, newMember, newPole, nearby, unique } from './fixtures.mjs';

/** Style layers that hold single assets (see web/src/map/layers). */
const ASSET_LAYERS = ['towers', 'poles', 'manholes', 'cabinets', 'ducts', 'trenches', 'cables-overhead', 'cables-underground'];

/**
 * Opens the map at `centre` and `zoom` (the ward's centre at 17 by default) and waits until it is drawn.
 * @param {import('playwright-core').Page} page
 */
async function openMap(page, centre = CHANH_LO, zoom = 17) {
  await page.goto(mapAt(centre, zoom), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await mapIdle(page);
}

browserTest('an operator signs in through the login screen; a wrong password is refused in words', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  // Not signed in: no editing, a way to sign in instead.
  await page.locator('[data-testid=login-to-edit]').waitFor();
  assert.equal(await page.locator('[data-testid=add-asset]').count(), 0);
  await page.click('[data-testid=login-to-edit]');
  await page.locator('[data-testid=login-username]').waitFor();
  await page.fill('[data-testid=login-username]', member.username);
  await page.fill('[data-testid=login-password]', 'not the password');
  await page.click('[data-testid=login-submit]');
  await page.locator('.login-form .notice-error').waitFor();
  assert.match((await page.textContent('.login-form .notice-error')) ?? '', /không đúng/);
  await page.fill('[data-testid=login-password]', member.password);
  await shot('app-00-login');
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor();
  assert.match((await page.textContent('[data-testid=user-name]')) ?? '', new RegExp(member.operator.short_name));
  await page.locator('[data-testid=add-asset]').waitFor();
});

browserTest('the map draws the demo ward\'s assets from the tiles, in Vietnamese, with VN-2000 coordinates', {}, async ({ page, server, shot }) => {
  await signIn(page, await newMember());
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
  await page.waitForFunction(
    (layers) => {
      const map = window.__hatangMap;
      const present = layers.filter((id) => map?.getLayer(id));
      return !!map && present.length > 0 && map.queryRenderedFeatures({ layers: present }).length > 50;
    },
    ASSET_LAYERS,
    { timeout: 45_000 },
  );
  const features = await renderedFeatures(page, ASSET_LAYERS);
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
  await shot('app-01-map');
});

browserTest('the operator filter draws only that operator\'s assets, and clearing it brings the others back', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const own = [await newPole(api, { operator: member.operator.code, at: nearby(CHANH_LO, 30) }), await newPole(api, { operator: member.operator.code, at: nearby(CHANH_LO, 30) })];
  await signIn(page, member);
  // Close enough that every pole is drawn on its own (no clusters).
  await openMap(page, CHANH_LO, 18);
  const before = await renderedFeatures(page, ASSET_LAYERS);
  assert.ok(before.some((f) => f.operator !== member.operator.code && !f.cluster), 'other operators are drawn before filtering');
  await page.selectOption('[data-testid=filter-operator]', member.operator.code);
  await page.waitForFunction(
    ([layers, code]) => {
      const map = window.__hatangMap;
      const present = /** @type {string[]} */ (layers).filter((id) => map?.getLayer(id));
      const features = map?.queryRenderedFeatures({ layers: present }) ?? [];
      return features.length > 0 && features.every((f) => f.properties.operator === code);
    },
    [ASSET_LAYERS, member.operator.code],
    { timeout: 30_000 },
  );
  await mapIdle(page);
  const after = await renderedFeatures(page, ASSET_LAYERS);
  assert.deepEqual([...new Set(after.map((f) => f.operator))], [member.operator.code]);
  assert.deepEqual(new Set(after.map((f) => f.code)), new Set(own.map((p) => p.properties.code)), 'exactly the operator\'s two poles');
  await shot('app-02-map-filtered');
  await page.click('[data-testid=filter-clear]');
  await page.waitForFunction(
    ([layers, code]) => {
      const map = window.__hatangMap;
      const present = /** @type {string[]} */ (layers).filter((id) => map?.getLayer(id));
      return (map?.queryRenderedFeatures({ layers: present }) ?? []).some((f) => f.properties.operator !== code);
    },
    [ASSET_LAYERS, member.operator.code],
    { timeout: 30_000 },
  );
});

browserTest('clicking an asset opens a popup with its attributes and a link to its page', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const at = nearby(CHANH_LO, 40);
  const pole = await newPole(api, { operator: member.operator.code, at, properties: { name: 'Cột thử trước chợ' } });
  await signIn(page, member);
  await openMap(page, at, 19);
  await page.waitForFunction((code) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'], filter: ['==', ['get', 'code'], code] }).length ?? 0) > 0, pole.properties.code, { timeout: 30_000 });
  const point = await pagePoint(page, at);
  await page.mouse.click(point.x, point.y);
  const popup = page.locator('[data-testid=asset-popup]');
  await popup.waitFor({ state: 'visible' });
  const text = (await popup.textContent()) ?? '';
  assert.match(text, /Cột treo cáp/);
  assert.ok(text.includes(pole.properties.code), `the popup names the pole: ${text}`);
  assert.match(text, /Mở trang tài sản/);
  assert.equal(await popup.locator(`a[href="/assets/${pole.id}"]`).count(), 1);
  await shot('app-03-map-popup');
});

browserTest('the form of each kind offers that kind\'s own values, from the OpenAPI description', {}, async ({ page, server }) => {
  await signIn(page, await newMember());
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=add-asset]');
  await page.click('[data-testid=add-cables]');
  await page.locator('[data-testid=field-role]').waitFor();
  const options = async (/** @type {string} */ field) =>
    (await page.locator(`[data-testid=field-${field}] option`).evaluateAll((os) => os.map((o) => o.getAttribute('value')))).filter(Boolean);
  assert.deepEqual(await options('role'), ['trunk', 'subscriber'], 'a cable is trunk or subscriber');
  assert.deepEqual(await options('placement'), ['overhead', 'underground']);
  assert.deepEqual(await options('medium'), ['fibre', 'copper', 'coax']);
  assert.match((await page.textContent('[data-testid=field-role]')) ?? '', /Cáp trục/);
  await page.click('[data-testid=edit-cancel]');
  await page.locator('[data-testid=add-asset]').waitFor();
});

browserTest('a location the server refuses is marked on the map with its problem', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  await signIn(page, member);
  // Bangkok: outside Vietnam, which the server refuses.
  await openMap(page, [100.5, 13.75], 16);
  await page.click('[data-testid=add-asset]');
  await page.click('[data-testid=add-poles]');
  await page.locator('[data-testid=draw-hint]').waitFor();
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('[data-testid=field-code]').waitFor();
  await page.fill('[data-testid=field-code]', unique('NGOAI-'));
  await page.selectOption('[data-testid=field-operator]', member.operator.code);
  await page.selectOption('[data-testid=field-material]', 'steel');
  await page.fill('[data-testid=field-height_m]', '9');
  await page.click('[data-testid=edit-save]');
  const problem = page.locator('[data-testid=geometry-problem]');
  await problem.waitFor({ state: 'visible' });
  assert.match((await problem.textContent()) ?? '', /Vị trí trên bản đồ chưa hợp lệ/);
  // The refused point is outlined on the map.
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['problem-point'] }).length ?? 0) === 1, undefined, { timeout: 10_000 });
  await shot('app-05b-edit-geometry-problem');
  await page.click('[data-testid=edit-cancel]');
});

browserTest('an operator draws a new pole, fixes a refused value and saves; the pole appears in the tiles', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const code = unique(`${member.operator.code}-P`);
  await signIn(page, member);
  await openMap(page, nearby(CHANH_LO, 100), 18);
  await page.click('[data-testid=add-asset]');
  await page.click('[data-testid=add-poles]');
  await page.locator('[data-testid=draw-hint]').waitFor();
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  const at = { x: box.x + box.width * 0.5 + 23, y: box.y + box.height * 0.5 + 17 };
  await page.mouse.click(at.x, at.y);
  await page.locator('[data-testid=field-code]').waitFor();
  const drawnAt = await page.evaluate(({ x, y }) => window.__hatangMap?.unproject([x, y]).toArray(), { x: at.x - box.x, y: at.y - box.y });
  await page.fill('[data-testid=field-code]', code);
  await page.fill('[data-testid=field-name]', 'Cột mới – đường Phan Bội Châu');
  // A member registers for their own operator only.
  assert.deepEqual((await page.locator('[data-testid=field-operator] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).filter(Boolean), [member.operator.code]);
  await page.selectOption('[data-testid=field-operator]', member.operator.code);
  await page.selectOption('[data-testid=field-material]', 'concrete');
  // A height the server refuses: the problem shows next to the field.
  await page.fill('[data-testid=field-height_m]', '999');
  await shot('app-04-edit-new-pole');
  await page.click('[data-testid=edit-save]');
  const heightError = page.locator('[data-testid=error-height_m]');
  await heightError.waitFor({ state: 'visible' });
  assert.ok(((await heightError.textContent()) ?? '').length > 0);
  await shot('app-05-edit-validation');
  // Vietnamese decimal comma.
  await page.fill('[data-testid=field-height_m]', '8,5');
  await page.click('[data-testid=edit-save]');
  await page.locator('.toast-success').waitFor({ state: 'visible' });
  assert.equal(await page.locator('[data-testid=editor]').count(), 0, 'the editor closes after saving');

  const saved = await api.get(`/api/v1/poles?q=${encodeURIComponent(code)}`);
  assert.equal(saved.features.length, 1, 'the API has the pole');
  const pole = saved.features[0];
  assert.equal(pole.properties.height_m, 8.5);
  assert.equal(pole.properties.name, 'Cột mới – đường Phan Bội Châu', 'text round-trips with its diacritics');
  assert.ok(drawnAt);
  assert.ok(Math.abs(pole.geometry.coordinates[0] - drawnAt[0]) < 1e-5 && Math.abs(pole.geometry.coordinates[1] - drawnAt[1]) < 1e-5, 'saved where it was drawn');

  // The tile layer shows it once the tiles are asked for again.
  await page.waitForFunction(
    (code) => {
      const map = window.__hatangMap;
      return !!map && !!map.getLayer('poles') && map.queryRenderedFeatures({ layers: ['poles'], filter: ['==', ['get', 'code'], code] }).length === 1;
    },
    code,
    { timeout: 30_000 },
  );
  await mapIdle(page);
  await shot('app-06-new-pole-on-map');
});

browserTest('an operator draws a cable route, then reshapes it by dragging a vertex', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  await signIn(page, member);
  await openMap(page, nearby(CHANH_LO, 100), 17);
  await page.click('[data-testid=add-asset]');
  await page.click('[data-testid=add-cables]');
  await page.locator('[data-testid=draw-hint]').waitFor();
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  const at = (/** @type {number} */ fx, /** @type {number} */ fy) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  const route = [at(0.35, 0.62), at(0.5, 0.57), at(0.65, 0.64)];
  for (const p of route) await page.mouse.click(p.x, p.y);
  await page.mouse.click(route[2].x, route[2].y); // the last point again ends the line
  await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
  const code = unique(`${member.operator.code}-C`);
  await page.fill('[data-testid=field-code]', code);
  await page.selectOption('[data-testid=field-operator]', member.operator.code);
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
  const created = (await api.get(`/api/v1/cables?q=${encodeURIComponent(code)}`)).features[0];
  assert.equal(created.geometry.type, 'LineString');
  assert.equal(created.geometry.coordinates.length, 3);

  // Reshape: drag the middle vertex 60 px down.
  await page.goto(`${server.url}/?edit=cables:${created.id}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=field-code]').waitFor();
  await page.waitForFunction(() => !!window.__hatangMap && !window.__hatangMap.isMoving());
  await mapIdle(page);
  const middle = await pagePoint(page, created.geometry.coordinates[1]);
  await page.mouse.move(middle.x, middle.y);
  await page.mouse.down();
  await page.mouse.move(middle.x, middle.y + 60, { steps: 8 });
  await page.mouse.up();
  await page.click('[data-testid=edit-save]');
  await page.locator('[data-testid=editor]').waitFor({ state: 'detached' });
  const reshaped = await api.get(`/api/v1/cables/${created.id}`);
  assert.equal(reshaped.geometry.coordinates.length, 3);
  assert.ok(reshaped.geometry.coordinates[1][1] < created.geometry.coordinates[1][1] - 1e-5, 'the middle vertex moved south');
  assert.deepEqual(reshaped.geometry.coordinates[0], created.geometry.coordinates[0], 'the ends stayed');
  await shot('app-06b-cable-reshaped');
});

browserTest('the registry lists and sorts the assets in the map extent and finds one by its code', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code, at: nearby(CHANH_LO, 30) });
  await signIn(page, member);
  await openMap(page, CHANH_LO, 17);
  await page.click('[data-testid=nav-registry]');
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
  assert.match((await page.textContent('[data-testid=registry-status]')) ?? '', /Đã tải \d+ tài sản/);
  await page.click('[data-testid=sort-height_m]');
  await shot('app-07-registry-poles');
  await page.fill('[data-testid=registry-search]', pole.properties.code);
  await page.waitForFunction(
    (code) => {
      const rows = document.querySelectorAll('[data-testid=registry-table] tbody tr');
      return rows.length === 1 && (rows[0]?.textContent ?? '').includes(code);
    },
    pole.properties.code,
  );
});

browserTest('the asset page shows the attributes, the tenants with their dates, and the history', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const tenant = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code, properties: { capacity: 4 } });
  await api.post(`/api/v1/assets/${pole.id}/tenancies`, { tenant: tenant.operator.code, since: '2026-03-15', capacity_used: 1, contract_ref: 'HĐ-01/2026' });
  await signIn(page, member);
  await page.goto(`${server.url}/assets/${pole.id}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=history] tbody tr').first().waitFor();
  assert.equal((await page.textContent('[data-testid=asset-code]'))?.trim(), pole.properties.code);
  assert.match((await page.textContent('.attributes')) ?? '', /8,5 m/);
  assert.match((await page.textContent('[data-testid=history]')) ?? '', /Tạo mới/);
  const tenants = (await page.textContent('[data-testid=tenants]')) ?? '';
  assert.ok(tenants.includes(tenant.operator.short_name), `the tenant is listed: ${tenants}`);
  assert.match(tenants, /15\/03\/2026/, 'dates are dd/MM/yyyy');
  await shot('app-08-asset-page', { fullPage: true });
});

browserTest('a stale edit is refused and the person is told what changed', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code });
  await signIn(page, member);
  await page.goto(`${server.url}/?edit=poles:${pole.id}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=field-height_m]').waitFor();
  // Meanwhile someone else changes the height.
  const current = await api.call('GET', `/api/v1/poles/${pole.id}`);
  const other = await api.call('PATCH', `/api/v1/poles/${pole.id}`, {
    headers: { 'If-Match': current.etag ?? '' },
    contentType: 'application/merge-patch+json',
    body: { properties: { height_m: 10 } },
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
  await shot('app-09-edit-conflict');
  const after = await api.get(`/api/v1/poles/${pole.id}`);
  assert.equal(after.properties.note, null, 'the stale change was not saved');
  await page.click('[data-testid=edit-cancel]');
});

browserTest('decommissioning a pole from its page takes it off the map', {}, async ({ page, server }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code });
  await signIn(page, member);
  await page.goto(`${server.url}/assets/${pole.id}`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=asset-decommission]');
  await page.fill('[data-testid=decommission-reason]', 'Cột đã được thay bằng tuyến cống bể ngầm');
  await page.click('[data-testid=decommission-confirm]');
  await page.locator('.toast-success').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('[data-testid=asset-status]')?.textContent?.includes('Đã ngừng sử dụng'));
  await page.locator('[data-testid=history] >> text=Ngừng sử dụng').first().waitFor();
  // The map no longer draws it.
  await page.goto(`${server.url}/?asset=${pole.id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await page.waitForFunction(() => (window.__hatangMap?.getZoom() ?? 0) >= 16, undefined, { timeout: 30_000 });
  await mapIdle(page);
  const drawn = await renderedFeatures(page, ['poles'], ['==', ['get', 'code'], pole.properties.code]);
  assert.equal(drawn.length, 0, 'a decommissioned pole is not drawn');
  assert.ok((await renderedFeatures(page, ['poles'])).length > 0, 'the other poles still are');
});

browserTest('the language toggle switches the interface to English and back, and is remembered', {}, async ({ page, server, shot }) => {
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=nav-map]').waitFor();
  assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Bản đồ');
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Map');
  assert.equal((await page.textContent('[data-testid=nav-registry]'))?.trim(), 'Registry');
  // The public's legend lists the layers it may see: the towers.
  assert.match((await page.textContent('.side-panel')) ?? '', /Antenna towers/);
  assert.doesNotMatch((await page.textContent('.side-panel')) ?? '', /Cột|Trạm/, 'no Vietnamese left in the panel');
  await mapIdle(page);
  await shot('app-10-map-english');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=nav-map]').waitFor();
  assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Map', 'the choice survives a reload');
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  assert.equal((await page.textContent('[data-testid=nav-map]'))?.trim(), 'Bản đồ');
});

browserTest('the map screen is usable on a tablet', { viewport: 'tablet' }, async ({ page, server, shot }) => {
  await openMap(page, CHANH_LO, 16);
  assert.ok((await renderedFeatures(page, ASSET_LAYERS)).length > 0, 'the map draws on a tablet too');
  await shot('app-11-map-tablet');
});
