// @ts-check
// The main journeys on a phone (390×844, touch): the map with its panel as a
// bottom sheet and an asset's details as a sheet, a search, the asset page,
// signing in and the folded menu, the permit inbox and an application drawn
// on the map, and the administration's accounts. Inspectors and crews use
// Hatang in the street. Screenshots go to test-artifacts/phone-*.png.

import assert from 'node:assert/strict';
import { browserTest, mapAt, mapIdle, pagePoint, signIn } from './harness.mjs';
import { CHANH_LO, apiAs, nearby, newMember, newPole, newUser, unique } from './fixtures.mjs';

/**
 * Whether an element is entirely inside the window.
 * @param {import('playwright-core').Locator} locator
 */
async function onScreen(locator) {
  // Sheets and dialogs slide in: the element has up to 5 s to come to rest on the screen.
  const deadline = Date.now() + 5_000;
  for (;;) {
    const box = await locator.boundingBox();
    const size = await locator.page().evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
    assert.ok(box, 'the element is shown');
    const inside = box.x >= -1 && box.y >= -1 && box.x + box.width <= size.width + 1 && box.y + box.height <= size.height + 1;
    if (inside || Date.now() > deadline) return inside;
    await locator.page().waitForTimeout(100);
  }
}

/**
 * Waits until the bottom sheet is down: closed, and (its slide over) no more than its handle
 * above the bottom of the screen, so that a tap lands on the map and not on the sliding form.
 * @param {import('playwright-core').Page} page
 */
async function sheetDown(page) {
  await page.waitForFunction(() => {
    const handle = document.querySelector('[data-testid=sheet-toggle]');
    const sheet = handle?.closest('.sheet');
    return handle?.getAttribute('aria-expanded') === 'false' && !!sheet && sheet.getBoundingClientRect().top >= window.innerHeight - 60;
  });
}

browserTest('on a phone the map fills the screen, its panel is a bottom sheet, and a tapped pole opens its details as a sheet', { viewport: 'phone' }, async ({ page, shot }) => {
  const member = await newMember();
  const at = nearby(CHANH_LO, 40);
  const pole = await newPole(await apiAs(member), { operator: member.operator.code, at, properties: { name: 'Cột trước chợ' } });
  await signIn(page, member);
  await page.goto(mapAt(at, 19), { waitUntil: 'domcontentloaded' });
  await mapIdle(page);
  // The map takes the screen below the header; the sheet is a strip at the bottom.
  const map = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(map && map.width >= 389 && map.height > 700, `the map fills the screen: ${JSON.stringify(map)}`);
  const handle = page.locator('[data-testid=sheet-toggle]');
  assert.equal(await handle.getAttribute('aria-expanded'), 'false');
  assert.ok(((await handle.boundingBox())?.height ?? 0) >= 44, "the handle is a touch target");
  await shot('phone-01-map');
  // Pulled up, the sheet holds the layers, the search and the button to add an asset.
  await handle.tap();
  await page.locator('[data-testid=add-asset]').waitFor();
  assert.equal(await onScreen(page.locator('[data-testid=add-asset]')), true);
  assert.equal(await page.locator('[data-testid=layer-poles]').isVisible(), true);
  await shot('phone-02-sheet-open');
  await handle.tap();
  await sheetDown(page);
  // A tap on the pole: its details as a sheet over the map, with the link to its page.
  await page.waitForFunction((code) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['poles'], filter: ['==', ['get', 'code'], code] }).length ?? 0) > 0, pole.properties.code);
  const point = await pagePoint(page, at);
  await page.touchscreen.tap(point.x, point.y);
  const popup = page.locator('[data-testid=asset-popup]');
  await popup.waitFor();
  assert.ok(((await popup.textContent()) ?? '').includes(pole.properties.code));
  assert.equal(await onScreen(popup), true, 'the details are entirely on the screen');
  const sheetBox = await page.locator('.maplibregl-popup-content').boundingBox();
  assert.ok(sheetBox && sheetBox.x <= 1 && sheetBox.width >= 388 && sheetBox.y + sheetBox.height >= 843, `the details are a sheet across the bottom: ${JSON.stringify(sheetBox)}`);
  await shot('phone-03-asset-details');
  await popup.locator(`a[href="/assets/${pole.id}"]`).tap();
  await page.locator('[data-testid=asset-code]').waitFor();
  assert.equal((await page.textContent('[data-testid=asset-code]'))?.trim(), pole.properties.code);
  assert.match((await page.textContent('.attributes')) ?? '', /8,5 m/);
  await page.locator('[data-testid=history] tbody tr').first().waitFor();
  await shot('phone-04-asset-page', { fullPage: true });
});

browserTest('on a phone a search finds an asset by its code and the sheet goes down to show it on the map', { viewport: 'phone' }, async ({ page, shot }) => {
  const member = await newMember();
  const at = nearby(CHANH_LO, 200);
  const pole = await newPole(await apiAs(member), { operator: member.operator.code, at });
  await signIn(page, member);
  await page.goto(mapAt(CHANH_LO, 15), { waitUntil: 'domcontentloaded' });
  await mapIdle(page);
  await page.locator('[data-testid=sheet-toggle]').tap();
  // Typing opens the keyboard: the field stays in sight.
  await page.locator('[data-testid=search]').tap();
  await page.locator('[data-testid=search]').fill(pole.properties.code);
  const result = page.locator('.search-item', { hasText: pole.properties.code });
  await result.waitFor();
  await shot('phone-05-search');
  await result.tap();
  await sheetDown(page);
  await page.waitForFunction(() => (window.__hatangMap?.getZoom() ?? 0) >= 17.5, undefined, { timeout: 30_000 });
  await mapIdle(page);
  const centre = await page.evaluate(() => window.__hatangMap?.getCenter().toArray());
  assert.ok(centre && Math.abs(centre[0] - at[0]) < 1e-3 && Math.abs(centre[1] - at[1]) < 1e-3, `the map shows the pole: ${centre}`);
  await shot('phone-06-search-found');
});

browserTest('on a phone one signs in, and the folded menu leads to the other screens', { viewport: 'phone' }, async ({ page, server, shot }) => {
  const member = await newMember();
  await page.goto('/login', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=login-username]').tap();
  await page.fill('[data-testid=login-username]', member.username);
  await page.fill('[data-testid=login-password]', member.password);
  await shot('phone-07-login');
  await page.locator('[data-testid=login-submit]').tap();
  await page.locator('[data-testid=user-menu]').waitFor();
  // The links are folded under the menu button.
  assert.equal(await page.locator('[data-testid=nav-registry]').isVisible(), false);
  await page.locator('[data-testid=nav-toggle]').tap();
  await page.locator('[data-testid=nav-registry]').waitFor({ state: 'visible' });
  const link = await page.locator('[data-testid=nav-registry]').boundingBox();
  assert.ok(link && link.height >= 44, `a menu link is a touch target: ${link?.height}`);
  await shot('phone-08-menu');
  await page.locator('[data-testid=nav-registry]').tap();
  await page.waitForURL(`${server.url}/registry/poles`);
  assert.equal(await page.locator('[data-testid=nav-registry]').isVisible(), false, 'the menu folds again');
  await page.locator('[data-testid=registry-table] tbody tr').first().waitFor();
  await shot('phone-09-registry', { fullPage: true });
  // The user menu: the account and signing out.
  await page.locator('[data-testid=user-menu]').tap();
  await page.locator('[data-testid=menu-account]').waitFor();
  assert.equal(await onScreen(page.locator('#user-menu-list')), true, 'the user menu is on the screen');
  await page.locator('[data-testid=menu-account]').tap();
  await page.locator('[data-testid=account-page]').waitFor();
});

browserTest('on a phone an operator reads the permit inbox as cards, opens an application, and draws and saves a new one', { viewport: 'phone', timeout: 300_000 }, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const filed = await api.post('/api/v1/permits', {
    works_type: 'tower',
    title: `Trạm BTS – ${unique()}`,
    geometry: { type: 'Point', coordinates: nearby(CHANH_LO, 200) },
    planned_start: '2027-01-04',
    planned_end: '2027-03-31',
    tower: { tower_class: 'A2b', height_m: 30, placement: 'ground' },
  });
  await api.post(`/api/v1/permits/${filed.id}/actions/submit`, {});
  await signIn(page, member);
  await page.goto('/permits', { waitUntil: 'domcontentloaded' });
  const row = page.locator(`[data-testid=permit-row][data-reference="${filed.reference}"]`);
  await row.waitFor();
  const card = await row.boundingBox();
  assert.ok(card && card.width <= 390, 'the application is a card as wide as the screen at most');
  await shot('phone-10-permit-inbox');
  await row.locator('[data-testid=permit-link]').tap();
  await page.waitForURL(`${server.url}/permits/${filed.id}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=permit-state]')?.getAttribute('data-state') === 'submitted');
  await mapIdle(page);
  await shot('phone-11-permit', { fullPage: true });

  // A new application: the form is a sheet over the map; down to draw, up to fill in.
  await page.goto('/permits/new', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=permit-form]').waitFor();
  await page.evaluate((c) => window.__hatangMap?.jumpTo({ center: /** @type {[number, number]} */ (c), zoom: 17 }), nearby(CHANH_LO, 150));
  await mapIdle(page);
  const handle = page.locator('[data-testid=sheet-toggle]');
  assert.equal(await handle.getAttribute('aria-expanded'), 'true', 'the form starts open');
  await shot('phone-12-permit-form');
  await handle.tap();
  await sheetDown(page);
  await page.touchscreen.tap(195, 350);
  await page.waitForFunction(() => document.querySelector('[data-testid=permit-draw-hint]')?.textContent?.includes('Đã vẽ'));
  await shot('phone-13-permit-drawn');
  // Filling a field opens the sheet again, and the field is in sight above the keyboard.
  await page.locator('[data-testid=permit-title]').focus();
  await page.waitForFunction(() => document.querySelector('[data-testid=sheet-toggle]')?.getAttribute('aria-expanded') === 'true');
  await page.fill('[data-testid=permit-title]', `Trạm BTS vẽ trên điện thoại – ${unique()}`);
  await page.fill('[data-testid=permit-planned-start]', '04/01/2027');
  await page.fill('[data-testid=permit-planned-end]', '31/03/2027');
  await page.selectOption('[data-testid=permit-tower-class]', 'A2b');
  await page.fill('[data-testid=permit-tower-height]', '30');
  await page.selectOption('[data-testid=permit-tower-placement]', 'ground');
  await page.fill('[data-testid=permit-asset-code]', unique(`${member.operator.code}-T`));
  assert.equal(await onScreen(page.locator('[data-testid=permit-save]')), true, 'the save button is on the screen');
  await page.locator('[data-testid=permit-save]').tap();
  await page.locator('[data-testid=permit-step-documents]').waitFor();
  assert.match((await page.textContent('[data-testid=permit-draft-note]')) ?? '', /HS-\d{4}-\d{6}/);
  await shot('phone-14-permit-saved');
});

browserTest("on a phone the admin reads the accounts as cards and makes one in a dialog that fits the screen", { viewport: 'phone' }, async ({ page, shot }) => {
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto('/admin/users', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=users-table] tbody tr').first().waitFor();
  await shot('phone-15-admin-users');
  await page.locator('[data-testid=user-new]').tap();
  const dialog = page.locator('[data-testid=user-dialog]');
  await dialog.waitFor();
  assert.equal(await onScreen(dialog), true, 'the dialog is on the screen');
  await page.fill('[data-testid=user-username]', unique('canbo.').toLowerCase());
  await page.fill('[data-testid=user-display-name]', 'Cán bộ đo đạc hiện trường');
  await page.selectOption('[data-testid=user-role]', 'reviewer');
  await page.fill('[data-testid=scope-input]', '51'); // the province: its wards may be reorganised, it stays
  await page.locator('[data-testid=scope-add]').tap();
  await shot('phone-16-admin-user-dialog');
  await page.locator('[data-testid=user-save]').tap();
  await page.locator('[data-testid=user-password-value]').waitFor();
  assert.equal(await onScreen(page.locator('[data-testid=password-dialog]')), true, 'the password dialog is on the screen');
  await shot('phone-17-admin-user-password');
});
