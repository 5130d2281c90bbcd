// @ts-check
// The construction-permit workflow in a real browser against the real server:
// an operator applies for a tower (drawn on the map, with a PDF attached) and
// sees the pre-checks; the ward's reviewer takes an application from the
// inbox to a granted permit and opens its print view; the operator is
// notified. Also the public statistics, the applications map layer and a
// stale action (409). Each test files its own applications through the API;
// screenshots go to test-artifacts/permits-*.png.
//
// Run: `npm test` (every file), or `node --test permits.test.mjs` after building.

import assert from 'node:assert/strict';
import { artifactPath, browserTest, mapAt, mapIdle, signIn } from './harness.mjs';
import { CHANH_LO, apiAs, nearby, newMember, newUser, unique } from './fixtures.mjs';

/**
 * Files and submits a tower application of the member's operator in Chánh Lộ, through the API.
 * @param {Awaited<ReturnType<typeof apiAs>>} api
 */
async function submittedApplication(api) {
  const title = `Trạm BTS Chánh Lộ – ${unique()}`;
  const draft = await api.post('/api/v1/permits', {
    works_type: 'tower',
    title,
    description: 'Cột đơn thân 30 m trên đất thuê, phục vụ 4G/5G.',
    geometry: { type: 'Point', coordinates: nearby(CHANH_LO, 200) },
    planned_start: '2027-01-04',
    planned_end: '2027-03-31',
    tower: { tower_class: 'A2b', height_m: 30, placement: 'ground' },
  });
  const submitted = await api.post(`/api/v1/permits/${draft.id}/actions/submit`, {});
  return { id: draft.id, reference: submitted.reference ?? draft.reference, title };
}

/**
 * Takes a submitted application to a granted permit, as the reviewer.
 * @param {Awaited<ReturnType<typeof apiAs>>} reviewer
 * @param {number} id
 */
async function grant(reviewer, id) {
  for (const [action, body] of [
    ['begin_check', {}],
    ['accept', {}],
    ['grant', { conditions: 'Treo biển chủ sở hữu theo QCVN 33:2019.' }],
  ]) {
    await reviewer.post(`/api/v1/permits/${id}/actions/${action}`, body);
  }
}

/**
 * Waits until the page shows the application in `state`.
 * @param {import('playwright-core').Page} page
 * @param {string} state
 */
async function stateIs(page, state) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=permit-state]')?.getAttribute('data-state') === s, state, { timeout: 20_000 });
}

/**
 * Clicks an action button and confirms its dialog after `fill` filled it in.
 * @param {import('playwright-core').Page} page
 * @param {string} action
 */
async function act(page, action, fill = async () => undefined) {
  await page.click(`[data-testid=action-${action}]`);
  const dialog = page.locator(`[data-testid=action-dialog][data-action=${action}]`);
  await dialog.waitFor({ state: 'visible' });
  await fill();
  await dialog.locator('[data-testid=dialog-confirm]').click();
  await dialog.waitFor({ state: 'detached' });
}

browserTest('the public sees the statistics per ward without signing in', {}, async ({ page, server, shot }) => {
  await page.goto(`${server.url}/thong-ke-cap-phep`, { waitUntil: 'domcontentloaded' });
  // Since 1/7/2025 Chánh Lộ is part of Cẩm Thành (21025), whose People's Committee decides permits.
  const row = page.locator('[data-testid=stats-row][data-ward="21025"]');
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.match((await row.textContent()) ?? '', /Cẩm Thành/);
  // The demo has one granted and one refused application in Cẩm Thành, and a median time.
  assert.ok(Number(cells[1]) >= 1 && Number(cells[2]) >= 1, `granted and refused counted: ${cells.join(' | ')}`);
  assert.match(cells[3] ?? '', /\d+ ngày/);
  assert.equal((await page.textContent('[data-testid=nav-permits]'))?.trim(), 'Cấp phép');
  await shot('permits-00-stats');
});

browserTest('an operator files a tower application drawn on the map, attaches a PDF, submits and sees the pre-checks', { timeout: 240_000 }, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const title = `Trạm BTS Chánh Lộ – thử nghiệm ${unique()}`;
  await signIn(page, member);
  await page.goto(`${server.url}/permits`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=permit-table], [data-testid=permit-empty]').first().waitFor();
  await shot('permits-01-operator-list');
  await page.click('[data-testid=permit-new]');
  await page.locator('[data-testid=permit-form]').waitFor();
  await page.waitForFunction(() => !!window.__hatangMap);
  await page.evaluate((c) => window.__hatangMap?.jumpTo({ center: /** @type {[number, number]} */ (c), zoom: 17 }), nearby(CHANH_LO, 150));
  await mapIdle(page);

  // Saving with nothing filled in: the problems show by their fields.
  await page.fill('[data-testid=permit-title]', '');
  await page.click('[data-testid=permit-save]');
  await page.locator('[data-testid=permit-invalid]').waitFor();
  assert.equal(await page.locator('[data-testid=error-title]').isVisible(), true, 'the title is required');
  assert.equal(await page.locator('[data-testid=error-geometry]').isVisible(), true, 'the site must be drawn');

  // Draw the tower's site: one click on the map.
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => document.querySelector('[data-testid=permit-draw-hint]')?.textContent?.includes('Đã vẽ'));
  const drawnAt = await page.evaluate(({ x, y }) => window.__hatangMap?.unproject([x, y]).toArray(), { x: at.x - box.x, y: at.y - box.y });

  await page.selectOption('[data-testid=permit-works-type]', 'tower');
  await page.fill('[data-testid=permit-title]', title);
  await page.fill('[data-testid=permit-description]', 'Cột đơn thân 30 m trên đất thuê, phục vụ 4G/5G.');
  await page.fill('[data-testid=permit-planned-start]', '04/01/2027');
  await page.fill('[data-testid=permit-planned-end]', '31/03/2027');
  await page.selectOption('[data-testid=permit-tower-class]', 'A2b');
  await page.fill('[data-testid=permit-tower-height]', '30,5');
  await page.selectOption('[data-testid=permit-tower-placement]', 'ground');
  await page.selectOption('[data-testid=permit-tower-structure]', 'monopole');
  await page.fill('[data-testid=permit-asset-code]', unique(`${member.operator.code}-T`));
  await shot('permits-02-new-application');
  await page.click('[data-testid=permit-save]');
  await page.locator('[data-testid=permit-step-documents]').waitFor();
  const note = (await page.textContent('[data-testid=permit-draft-note]')) ?? '';
  const reference = note.match(/HS-\d{4}-\d{6}/)?.[0];
  assert.ok(reference, `the draft has a reference: ${note}`);
  const id = Number(page.url().match(/\/permits\/(\d+)\/edit/)?.[1]);
  assert.ok(id > 0, `the address names the draft: ${page.url()}`);

  // A file whose name does not match its content is refused, with the server's reason.
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  await page.setInputFiles('[data-testid=attachment-input]', { name: 'mat-bang.png', mimeType: 'image/png', buffer: pdf });
  const refused = page.locator('[data-testid=upload-error]');
  await refused.waitFor();
  assert.match((await refused.textContent()) ?? '', /mat-bang\.png.*PDF/);
  // The real PDF goes in.
  await page.setInputFiles('[data-testid=attachment-input]', { name: 'ban-ve-mat-bang.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.locator('[data-testid=attachment-link]', { hasText: 'ban-ve-mat-bang.pdf' }).waitFor();

  await page.click('[data-testid=permit-submit]');
  const dialog = page.locator('[data-testid=action-dialog][data-action=submit]');
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('[data-testid=dialog-confirm]').click();
  await page.waitForURL(`${server.url}/permits/${id}`);
  await stateIs(page, 'submitted');
  assert.equal((await page.textContent('[data-testid=permit-reference]'))?.trim(), reference);

  // The pre-checks: the sharing check, with its outcome and the rule it cites.
  const sharing = page.locator('[data-testid=finding][data-check=sharing]');
  await sharing.waitFor();
  assert.match((await sharing.locator('[data-testid=finding-outcome]').textContent()) ?? '', /Lưu ý|Vướng quy định|Đạt/);
  assert.match((await sharing.locator('[data-testid=finding-message]').textContent()) ?? '', /200 m/);
  assert.match((await sharing.locator('[data-testid=finding-citation]').textContent()) ?? '', /^Căn cứ: .{10,}/);
  assert.ok((await page.locator('[data-testid=finding][data-check=exemption]').count()) === 1, 'the exemption check is listed');
  // The site and the 200 m sharing ring are drawn on the map, the ring around the drawn point.
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permit-site-ring'] }).length ?? 0) > 0, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permit-site-point'] }).length ?? 0) === 1, undefined, { timeout: 30_000 });
  const application = await api.get(`/api/v1/permits/${id}`);
  assert.ok(drawnAt);
  const [lon, lat] = application.geometry.coordinates;
  assert.ok(Math.abs(lon - drawnAt[0]) < 1e-5 && Math.abs(lat - drawnAt[1]) < 1e-5, 'the site is where it was drawn');
  assert.equal(application.tower.height_m, 30.5, 'the Vietnamese decimal comma is read');
  assert.equal(application.proposed_assets[0].kind, 'tower', 'the tower to register is proposed');
  assert.equal(application.attachments.length, 1, 'one attachment, the refused one was not kept');
  // The clock: the completeness check is due, with its date.
  assert.match((await page.textContent('[data-testid=completeness-due]')) ?? '', /^\d{2}\/\d{2}\/\d{4}$/);
  await mapIdle(page);
  await shot('permits-03-application-findings');
  await sharing.scrollIntoViewIfNeeded();
  await shot('permits-03b-findings-list');
});

browserTest('the reviewer finds an application in the inbox, checks, accepts and grants it; the print view shows the number', { timeout: 240_000 }, async ({ page, context, server, shot }) => {
  const member = await newMember();
  const filed = await submittedApplication(await apiAs(member));
  const reviewer = await newUser({ role: 'reviewer', scope: ['21025'] });
  await signIn(page, reviewer);
  await page.goto(`${server.url}/permits`, { waitUntil: 'domcontentloaded' });
  const row = page.locator(`[data-testid=permit-row][data-reference="${filed.reference}"]`);
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /Đã nộp/);
  assert.match((await row.textContent()) ?? '', /Còn \d+ ngày làm việc/);
  await shot('permits-04-reviewer-inbox');
  await row.locator('[data-testid=permit-link]').click();
  await page.waitForURL(`${server.url}/permits/${filed.id}`);
  await stateIs(page, 'submitted');

  // Someone acts meanwhile (another tab): the page's action is stale and the server says why.
  const asReviewer = await apiAs(reviewer);
  await asReviewer.post(`/api/v1/permits/${filed.id}/actions/begin_check`, {});
  await page.click('[data-testid=action-begin_check]');
  await page.locator('[data-testid=action-dialog] [data-testid=dialog-confirm]').click();
  const conflict = page.locator('[data-testid=dialog-conflict]');
  await conflict.waitFor();
  assert.match((await conflict.textContent()) ?? '', /completeness_check/);
  await conflict.locator('button').click();
  await stateIs(page, 'completeness_check');

  // A refusal needs a written reason: without one the dialog says so and nothing is sent.
  await act(page, 'accept');
  await stateIs(page, 'under_review');
  await page.click('[data-testid=action-refuse]');
  await page.locator('[data-testid=action-dialog] [data-testid=dialog-confirm]').click();
  await page.locator('[data-testid=dialog-error-reason]').waitFor({ state: 'visible' });
  await page.click('[data-testid=dialog-cancel]');
  await stateIs(page, 'under_review');

  await act(page, 'grant', async () => {
    await page.fill('[data-testid=dialog-conditions]', 'Sơn cột màu xanh lá; treo biển chủ sở hữu theo QCVN 33:2019.');
  });
  await stateIs(page, 'granted');
  const number = page.locator('[data-testid=permit-number]');
  await number.waitFor();
  const permitNumber = ((await number.textContent()) ?? '').match(/\d+\/\d{4}\/GPXD-21025/)?.[0];
  assert.ok(permitNumber, `a permit number: ${await number.textContent()}`);
  assert.match((await page.textContent('[data-testid=permit-conditions]')) ?? '', /QCVN 33:2019/);
  assert.equal(await page.locator('[data-testid=action-lapse]').count(), 0, 'a fresh permit is not offered to lapse');
  const print = page.locator('[data-testid=permit-print]');
  assert.equal(await print.getAttribute('href'), `/api/v1/permits/${filed.id}/permit.html`);
  assert.match((await page.getAttribute('[data-testid=permit-verify]', 'href')) ?? '', /^\/verify\?number=.+&code=[0-9A-F]{12}$/);
  await mapIdle(page);
  await shot('permits-05-granted');

  // The print view opens in a new tab and shows the number.
  const [printView] = await Promise.all([context.waitForEvent('page'), print.click()]);
  await printView.waitForLoadState('domcontentloaded');
  const printed = (await printView.textContent('body')) ?? '';
  assert.ok(printed.includes(permitNumber), `the print view shows ${permitNumber}`);
  await printView.screenshot({ path: artifactPath('permits-06-print-view.png') });
  await printView.close();
});

browserTest('the operator is notified of the grant and reads it, in Vietnamese and in English', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const filed = await submittedApplication(await apiAs(member));
  await grant(await apiAs(await newUser({ role: 'reviewer', scope: ['21025'] })), filed.id);
  await signIn(page, member);
  await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
  const count = page.locator('[data-testid=bell-count]');
  await count.waitFor({ state: 'visible' });
  assert.ok(Number(await count.textContent()) >= 1, 'unread notifications are counted');
  await page.click('[data-testid=bell]');
  const granted = page.locator('[data-testid=notification]', { hasText: filed.reference }).filter({ hasText: 'Đã cấp phép' });
  await granted.first().waitFor();
  assert.match((await granted.first().textContent()) ?? '', /Đang thẩm định → Đã cấp phép/);
  await shot('permits-07-notifications');
  // In English, the same notification in English.
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.click('[data-testid=bell]');
  await page.locator('[data-testid=notification]', { hasText: `Application ${filed.reference}` }).first().waitFor();
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  await page.click('[data-testid=bell]');
  await granted.first().locator('[data-testid=notification-open]').click();
  await page.waitForURL(`${server.url}/permits/${filed.id}`);
  await stateIs(page, 'granted');
  await page.click('[data-testid=bell]');
  await page.click('[data-testid=notifications-read-all]');
  await count.waitFor({ state: 'hidden' });
});

browserTest("the applications layer draws the operator's applications by state, with a legend", {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const filed = await submittedApplication(await apiAs(member));
  await grant(await apiAs(await newUser({ role: 'reviewer', scope: ['21025'] })), filed.id);
  await signIn(page, member);
  await page.goto(mapAt(CHANH_LO, 15), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await mapIdle(page);
  await page.check('[data-testid=layer-permits]');
  await page.locator('[data-testid=permits-legend]').waitFor();
  assert.match((await page.textContent('[data-testid=permits-legend]')) ?? '', /Đã cấp phép/);
  await page.waitForFunction(
    (ref) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permits-point', 'permits-line', 'permits-area'] }) ?? []).some((f) => f.properties.reference === ref && f.properties.state === 'granted'),
    filed.reference,
    { timeout: 30_000 },
  );
  await mapIdle(page);
  await shot('permits-08-applications-layer');
});
