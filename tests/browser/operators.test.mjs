// @ts-check
// What an operator meets first (issue 12, "Operators"), at 1440×900 on the
// demo: sharing declared, changed and ended on the asset page with the API's
// rules; lease terms shown only to those entitled (no "{value} đ"); a cable's
// poles shown and picked by code and name; an import with Vietnamese values
// mapped to codes and "Xem trên bản đồ" zooming to its rows; the registry map
// drawing the table's kind; an export in Vietnamese with several kinds.
// Each test has an operator and member of its own (newMember), with its own
// poles, cable and tenants; the demo's assets are only read.
//
// Run: `npm test` (every file), or `node --test operators.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, fitTo, mapIdle, pagePoint, signIn } from './harness.mjs';
import { apiAs, nearby, newMember, newOperator, newPole, unique } from './fixtures.mjs';

/**
 * A pole of the member's operator with room for three tenants, named as a corner pole.
 * @param {Awaited<ReturnType<typeof apiAs>>} api
 * @param {string} operator
 */
function cornerPole(api, operator) {
  return newPole(api, { operator, properties: { name: 'Cột góc Phan Bội Châu', capacity: 3 } });
}

browserTest('declares a tenant, is stopped by the rules, changes and ends the tenancy', {}, async ({ page, shot }) => {
  // The member's pole, and two other operators to rent it (made before the page loads its operators).
  const member = await newMember();
  const pole = await cornerPole(await apiAs(member), member.operator.code);
  const tenant = await newOperator();
  const other = await newOperator();
  await signIn(page, member);
  await page.goto(`/assets/${pole.id}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=no-tenants]').waitFor();
  await page.click('[data-testid=tenancy-add]');
  const dialog = page.locator('[data-testid=tenancy-dialog]');
  await dialog.waitFor();
  await page.selectOption('[data-testid=tenancy-tenant]', tenant.code);
  await page.fill('[data-testid=tenancy-capacity_used]', '2');
  await page.fill('[data-testid=tenancy-contract_ref]', `HĐ-2026/${member.operator.code}-${tenant.code}-014`);
  await page.fill('[data-testid=tenancy-monthly_fee_vnd]', '1500000');
  await shot('operator-tenancy-form');
  await page.click('[data-testid=tenancy-save]');
  await dialog.waitFor({ state: 'detached' });
  const row = page.locator(`[data-testid=tenancy-row][data-tenant=${tenant.code}]`);
  await row.waitFor();
  assert.equal((await row.locator('[data-testid=tenancy-monthly_fee_vnd]').textContent())?.trim(), '1.500.000 đ');

  // A second tenant asking for more slots than are free: the API's rule, under its field.
  await page.click('[data-testid=tenancy-add]');
  await dialog.waitFor();
  await page.selectOption('[data-testid=tenancy-tenant]', other.code);
  await page.fill('[data-testid=tenancy-capacity_used]', '2');
  await page.click('[data-testid=tenancy-save]');
  await page.locator('[data-testid=error-capacity_used]:not([hidden])').waitFor();
  assert.match((await page.textContent('[data-testid=error-capacity_used]')) ?? '', /1/);
  await shot('operator-tenancy-refused');
  await page.click('[data-testid=tenancy-dialog] .dialog-close');

  // Change the capacity, then end the tenancy today.
  await row.locator('[data-testid=tenancy-edit]').click();
  await dialog.waitFor();
  await page.fill('[data-testid=tenancy-capacity_used]', '1');
  await page.click('[data-testid=tenancy-save]');
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction((code) => document.querySelector(`[data-testid=tenancy-row][data-tenant=${code}] td:nth-child(4)`)?.textContent?.trim() === '1', tenant.code);
  await row.locator('[data-testid=tenancy-end]').click();
  await page.locator('[data-testid=tenancy-end-dialog]').waitFor();
  await page.click('[data-testid=tenancy-end-confirm]');
  await page.locator('[data-testid=tenancy-end-dialog]').waitFor({ state: 'detached' });
  const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
  await page.waitForFunction(([code, day]) => document.querySelector(`[data-testid=tenancy-row][data-tenant=${code}] td:nth-child(3)`)?.textContent?.trim() === day, [tenant.code, today]);
  await shot('operator-tenancy-ended');
});

browserTest('an operator outside the lease sees that its terms are not for them, not "{value} đ"', {}, async ({ page, shot }) => {
  // The owner's pole, let to a tenant with a fee (through the API); a third operator's member looks.
  const owner = await newMember();
  const api = await apiAs(owner);
  const pole = await cornerPole(api, owner.operator.code);
  const tenant = await newOperator();
  await api.post(`/api/v1/assets/${pole.id}/tenancies`, { tenant: tenant.code, since: '2026-01-01', capacity_used: 1, contract_ref: 'HĐ-2026/014', monthly_fee_vnd: 1_500_000 });
  await signIn(page, await newMember());
  await page.goto(`/assets/${pole.id}`, { waitUntil: 'domcontentloaded' });
  const fee = page.locator(`[data-testid=tenancy-row][data-tenant=${tenant.code}] [data-testid=tenancy-monthly_fee_vnd]`);
  await fee.waitFor();
  assert.equal((await fee.textContent())?.trim(), 'Không được xem');
  assert.doesNotMatch((await page.textContent('[data-testid=tenancy-panel]')) ?? '', /\{value\}/);
  assert.equal(await page.locator('[data-testid=tenancy-add]').count(), 0, 'only the owner declares tenancies');
});

browserTest("a cable's poles are shown and picked by code and name", {}, async ({ page, shot }) => {
  // The member's overhead cable on two of its poles, and a third pole to add by its code.
  const member = await newMember();
  const api = await apiAs(member);
  const code = member.operator.code;
  const a = nearby(undefined, 60);
  const b = [a[0] + 0.0004, a[1] + 0.0002];
  const supports = [await newPole(api, { operator: code, at: a }), await newPole(api, { operator: code, at: b })];
  const corner = await cornerPole(api, code);
  // And a fourth, beside the cable, to pick by clicking it on the map.
  const beside = await newPole(api, { operator: code, at: [a[0] + 0.0002, a[1] - 0.0003] });
  const cable = await api.post('/api/v1/cables', {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: [a, b] },
    properties: { code: unique(`${code}-C`), operator: code, status: 'operational', placement: 'overhead', medium: 'fibre', role: 'subscriber', carried_by: supports.map((p) => p.id) },
  });
  const first = supports[0];
  await signIn(page, member);
  await page.goto(`/assets/${cable.id}`, { waitUntil: 'domcontentloaded' });
  const refs = page.locator('[data-testid=refs-carried_by]');
  await refs.waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=refs-carried_by]')?.textContent?.includes('…'));
  const shown = (await refs.textContent()) ?? '';
  assert.ok(shown.includes(first.properties.code), `the supports are named by code: ${shown}`);
  assert.doesNotMatch(shown, /#\d+/);

  // In the editor: chips by code, a pole added by searching its code, another by clicking it on the map.
  await page.goto(`/?edit=cables:${cable.id}`, { waitUntil: 'domcontentloaded' });
  const chosen = page.locator('[data-testid=field-carried_by-chosen]');
  await chosen.waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=field-carried_by-chosen]')?.textContent?.includes('…'));
  assert.ok(((await chosen.textContent()) ?? '').includes(first.properties.code));
  const before = await chosen.locator('.picker-chip').count();
  await page.fill('[data-testid=field-carried_by-search]', corner.properties.code);
  await page.locator('[data-testid=field-carried_by-results] .search-item').first().click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=field-carried_by-chosen] .picker-chip').length === n + 1, before);
  assert.ok(((await chosen.textContent()) ?? '').includes(`${corner.properties.code} · Cột góc Phan Bội Châu`), 'the pole found is shown by code and name');
  await shot('operator-cable-poles');

  await page.click('[data-testid=field-carried_by-map]');
  // The cable and the pole beside it in view (away from the map's edges and its overlays).
  await fitTo(page, [a, b, beside.geometry.coordinates], 18);
  await mapIdle(page);
  await page.waitForFunction(
    (code) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'] }) ?? []).some((f) => f.properties.cluster !== true && f.properties.code === code),
    beside.properties.code,
  );
  const target = await pagePoint(page, beside.geometry.coordinates);
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction((code) => document.querySelector('[data-testid=field-carried_by-chosen]')?.textContent?.includes(code), beside.properties.code);
  await page.click('[data-testid=field-carried_by-map]');
  await page.click('[data-testid=edit-cancel]');
});

browserTest('an import maps "Bê tông", "Thép", "Cột bê tông ly tâm" to codes and shows its rows on the map', {}, async ({ page, shot }) => {
  const member = await newMember();
  const prefix = unique('VM');
  await signIn(page, member);
  const csv = [
    'Mã cột,Tên cột,Kinh độ,Vĩ độ,Chiều cao,Vật liệu',
    `${prefix}-1,Cột đầu hẻm 12,108.8101,15.1201,8,Bê tông`,
    `${prefix}-2,Cột cuối hẻm 12,108.8104,15.1204,9,Thép`,
    `${prefix}-3,Cột chợ,108.8107,15.1207,8,Cột bê tông ly tâm`,
    `${prefix}-4,Cột sân trường,108.8110,15.1210,8,Đá ong`,
  ].join('\n');
  await page.goto(`/import?kind=poles`, { waitUntil: 'domcontentloaded' });
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
  await shot('operator-import-values', { fullPage: true });
  await page.selectOption('[data-testid="value-material-Đá ong"]', 'other');
  await page.waitForFunction(() => document.querySelector('[data-testid=import-values]') && !document.querySelector('[data-testid=import-values-open]'));
  await page.click('[data-testid=import-commit]');
  await page.locator('[data-testid=import-done]').waitFor({ timeout: 90_000 });
  assert.equal((await page.textContent('[data-testid=import-created]'))?.trim(), '4');
  const href = (await page.getAttribute('[data-testid=import-to-map]', 'href')) ?? '';
  assert.match(href, /^\/\?bbox=108\.81/);
  await page.click('[data-testid=import-to-map]');
  await mapIdle(page);
  const view = await page.evaluate(() => {
    const b = window.__hatangMap?.getBounds();
    return b ? [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] : null;
  });
  assert.ok(view && view[0] <= 108.8101 && view[2] >= 108.811 && view[1] <= 15.1201 && view[3] >= 15.121, `the map shows the rows: ${view}`);
  assert.ok(view[2] - view[0] < 0.02, `and is zoomed to them: ${view}`);
  await page.waitForFunction((prefix) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'] }) ?? []).some((f) => String(f.properties.code).startsWith(`${prefix}-`)), prefix, { timeout: 45_000 });
  await shot('operator-import-on-map');
  const imported = await (await apiAs(member)).get(`/api/v1/poles?q=${prefix}-&limit=10`);
  const materials = Object.fromEntries(imported.features.map((/** @type {any} */ f) => [f.properties.code, f.properties.material]));
  assert.deepEqual(materials, { [`${prefix}-1`]: 'concrete', [`${prefix}-2`]: 'steel', [`${prefix}-3`]: 'concrete', [`${prefix}-4`]: 'other' });
});

browserTest("the registry's map draws the table's kind, whatever the map's kind filter", {}, async ({ page, shot }) => {
  await signIn(page, await newMember());
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await mapIdle(page);
  await page.selectOption('[data-testid=filter-kind]', 'towers');
  await mapIdle(page);
  await page.click('[data-testid=nav-registry]');
  await page.waitForURL(/\/registry\/poles/);
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
  await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8031, 15.1131], zoom: 17 }));
  await mapIdle(page);
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'] }) ?? []).length > 0, undefined, { timeout: 45_000 });
  const drawn = await page.evaluate(() => {
    const map = window.__hatangMap;
    const layers = ['poles', 'towers'].filter((id) => map?.getLayer(id));
    return (map?.queryRenderedFeatures({ layers }) ?? []).map((f) => f.properties.kind);
  });
  assert.ok(drawn.includes('pole'), `the poles of the table are drawn: ${[...new Set(drawn)]}`);
  assert.ok(!drawn.includes('tower'), 'other kinds are not');
  await shot('operator-registry-kind');
});

browserTest('exports a workbook in Vietnamese with poles and cables on two sheets', {}, async ({ page, shot }) => {
  await signIn(page, await newMember());
  await page.goto(`/registry/poles`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
  await page.click('[data-testid=export-open]');
  await page.click('[data-testid=export-format-xlsx]');
  await page.check('[data-testid=export-also-cables]');
  await shot('operator-export');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/export?')),
    page.click('[data-testid=export-download]'),
  ]);
  assert.equal(response.status(), 200);
  assert.match(response.url(), /kinds=poles%2Ccables|kinds=poles,cables/);
  assert.match(response.headers()['content-disposition'] ?? '', /hatang-tai-san\.xlsx/);
  await page.locator('[data-testid=export-done]').waitFor();
});
