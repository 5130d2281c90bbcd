// @ts-check
// What ward staff meet (issue 12, "Ward staff"), at 1440×900 on the demo: a
// supplemented file goes back to its check without "Bắt đầu kiểm tra hồ sơ"
// again, and nobody is told of their own actions; the pre-check says plainly
// when a permit is needed and checks a declared A1 mast against the heights of
// Circular 15/2016; a civil work partly outside the ward is refused with where
// it lies, and a work is changed, cancelled and seen on its own small map.
// Each test has its own operator and member (newMember) and its own reviewer of
// Cẩm Thành (21025), the ward of 1/7/2025 that took over Chánh Lộ.
//
// Run: `npm test` (every file), or `node --test ward.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, mapIdle, pagePoint, signIn } from './harness.mjs';
import { CHANH_LO, apiAs, newMember, newUser } from './fixtures.mjs';

/**
 * Draws a line on the map through `points`, finished by a second click on the last.
 * @param {import('playwright-core').Page} page
 * @param {number[][]} points
 */
async function drawLine(page, points) {
  await page.evaluate((pts) => {
    const xs = pts.map((p) => p[0] ?? 0);
    const ys = pts.map((p) => p[1] ?? 0);
    window.__hatangMap?.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 140, maxZoom: 17, duration: 0 });
  }, points);
  await mapIdle(page);
  for (const point of points) {
    const p = await pagePoint(page, point);
    await page.mouse.click(p.x, p.y);
  }
  const last = await pagePoint(page, points[points.length - 1] ?? []);
  await page.mouse.click(last.x, last.y);
}

/**
 * A tower application of the member's operator in former Chánh Lộ (Cẩm Thành), submitted through the API.
 * @param {Awaited<ReturnType<typeof apiAs>>} operator
 * @param {Record<string, unknown>} tower
 * @param {string} title
 */
async function submittedApplication(operator, tower, title) {
  const created = await operator.post('/api/v1/permits', {
    works_type: 'tower',
    title,
    description: 'Cột ăng ten trên mái nhà dân, đường Phan Bội Châu.',
    geometry: { type: 'Point', coordinates: CHANH_LO },
    planned_start: '2027-02-01',
    planned_end: '2027-03-31',
    tower,
    proposed_assets: [],
  });
  await operator.post(`/api/v1/permits/${created.id}/actions/submit`, {});
  return /** @type {number} */ (created.id);
}

browserTest('a supplemented file is back in its check, and nobody is told of their own actions', {}, async ({ page, shot }) => {
  const member = await newMember();
  const vnpt = await apiAs(member);
  const staff = await newUser({ role: 'reviewer' });
  const reviewer = await apiAs(staff);
  const before = await reviewer.get('/api/v1/notifications');
  const id = await submittedApplication(vnpt, { tower_class: 'A2a', height_m: 15, host_building_height_m: 20, placement: 'rooftop' }, 'Trạm BTS mái nhà 17 Phan Bội Châu');

  await signIn(page, staff);
  await page.goto(`/permits/${id}`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=action-begin_check]');
  await page.click('[data-testid=dialog-confirm]');
  await page.locator('[data-testid=permit-state][data-state=completeness_check]').waitFor();
  await page.click('[data-testid=action-request_supplement]');
  await page.fill('[data-testid=dialog-reason]', 'Bổ sung bản vẽ kết cấu mái và văn bản đồng ý của chủ nhà.');
  await page.click('[data-testid=dialog-confirm]');
  await page.locator('[data-testid=permit-state][data-state=supplement_requested]').waitFor();

  const resubmitted = await vnpt.call('POST', `/api/v1/permits/${id}/actions/resubmit`, { body: {} });
  assert.equal(resubmitted.status, 200, JSON.stringify(resubmitted.body));
  assert.equal(resubmitted.body.state, 'completeness_check');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=permit-state][data-state=completeness_check]').waitFor();
  assert.equal(await page.locator('[data-testid=action-begin_check]').count(), 0, 'no "Bắt đầu kiểm tra hồ sơ" again');
  await page.locator('[data-testid=action-accept]').waitFor();
  await shot('ward-resubmitted');
  await page.click('[data-testid=action-accept]');
  await page.click('[data-testid=dialog-confirm]');
  await page.locator('[data-testid=permit-state][data-state=under_review]').waitFor();

  // The reviewer hears of the operator's two actions (submit, resubmit), not of their own three.
  const after = await reviewer.get('/api/v1/notifications');
  const fresh = after.filter((/** @type {any} */ n) => n.application_id === id && !before.some((/** @type {any} */ b) => b.id === n.id));
  assert.equal(fresh.length, 2, `the reviewer's notifications of this file: ${fresh.map((n) => n.message_vi).join(' | ')}`);
  const operator = (await vnpt.get('/api/v1/notifications')).filter((/** @type {any} */ n) => n.application_id === id);
  assert.equal(operator.length, 3, `the operator hears of the ward's three steps: ${operator.map((n) => n.message_vi).join(' | ')}`);
});

browserTest('the pre-check says a permit is needed, and a 12 m "A1" on a roof is not taken on trust', {}, async ({ page, shot }) => {
  const vnpt = await apiAs(await newMember());
  const bulky = await submittedApplication(vnpt, { tower_class: 'A2b', height_m: 42, placement: 'ground' }, 'Trạm BTS mặt đất');
  const tall = await submittedApplication(vnpt, { tower_class: 'A1', height_m: 12, host_building_height_m: 17.5, placement: 'rooftop' }, 'Trạm BTS “A1” 12 m');
  await signIn(page, await newUser({ role: 'reviewer' }));
  for (const [id, expect] of [
    [bulky, /cần giấy phép xây dựng/],
    [tall, /12 m.*3 m.*20%.*17,5 m/],
  ]) {
    await page.goto(`/permits/${id}`, { waitUntil: 'domcontentloaded' });
    const finding = page.locator('[data-testid=finding][data-check=exemption]');
    await finding.waitFor();
    assert.equal((await finding.locator('[data-testid=finding-outcome]').textContent())?.trim(), 'Cần giấy phép');
    const text = (await finding.textContent()) ?? '';
    assert.doesNotMatch(text, /^Đạt/);
    assert.match(text, /Giấy phép xây dựng/);
    assert.match((await finding.locator('[data-testid=finding-message]').textContent()) ?? '', expect);
    assert.match((await finding.locator('[data-testid=finding-citation]').textContent()) ?? '', /15\/2016/);
  }
  await shot('ward-a1-check');
  // The co-location tool's class list says A2b stands on the ground.
  await page.goto('/?tool=colocation', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=colocation-class]').waitFor();
  const classes = await page.locator('[data-testid=colocation-class] option').allTextContents();
  assert.ok(classes.includes('A2b — cột trên mặt đất'), classes.join(' | '));
});

browserTest('a civil work partly outside the ward is refused with where it lies; a work is changed, cancelled and shown on its map', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'reviewer' }));
  const wards = await (await fetch(`${server.url}/api/v1/wards`)).json();
  // Cẩm Thành (21025), the ward of 1/7/2025 that took over Chánh Lộ: the reviewer's ward.
  const camThanh = wards.features.find((/** @type {any} */ w) => w.properties.gso_code === '21025' && w.properties.valid_to === null);
  const box = camThanh.properties.bbox;
  const centre = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  // From the middle of Cẩm Thành to well west of its boundary.
  const outside = [box[0] - (box[2] - box[0]) * 0.4, centre[1]];
  await page.goto('/?tool=civil-work', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=civil-work-tool]').waitFor({ timeout: 30_000 });
  await drawLine(page, [centre, outside]);
  await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
  await page.fill('[data-testid=work-title]', 'Cải tạo mương thoát nước');
  await page.selectOption('[data-testid=work-sector]', 'drainage');
  await page.fill('[data-testid=work-owner_org]', 'Ban Quản lý dự án phường');
  await page.fill('[data-testid=work-starts_on]', '01/04/2027');
  await page.fill('[data-testid=work-ends_on]', '30/06/2027');
  await page.click('[data-testid=work-save]');
  const problem = page.locator('[data-testid=geometry-problem]');
  await problem.waitFor();
  const said = (await problem.textContent()) ?? '';
  assert.match(said, /\d+ m/, said);
  assert.doesNotMatch(said, /quyền|may not/i, 'the real reason, not a permission message');
  await shot('ward-civil-work-outside');

  // Inside the ward it is announced.
  await page.click('[data-testid=work-redraw]');
  const east = [centre[0] + (box[2] - box[0]) * 0.2, centre[1] + (box[3] - box[1]) * 0.05];
  await drawLine(page, [centre, east]);
  await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
  await page.click('[data-testid=work-save]');
  await page.locator('[data-testid=work-open]').waitFor();
  await page.click('[data-testid=work-open]');
  await page.locator('[data-testid=work-map] .maplibregl-canvas').waitFor();
  await mapIdle(page);
  const highlighted = await page.evaluate(() => window.__hatangMap?.querySourceFeatures('highlight').length ?? 0);
  assert.ok(highlighted > 0, 'the work is drawn on its map');
  await shot('ward-civil-work-page');

  // Change its end date in the tool, then cancel it with a reason.
  await page.click('[data-testid=work-edit]');
  await page.locator('[data-testid=civil-work-tool] [data-testid=work-ends_on]').waitFor();
  assert.equal(await page.inputValue('[data-testid=work-title]'), 'Cải tạo mương thoát nước');
  await page.fill('[data-testid=work-ends_on]', '31/07/2027');
  await page.click('[data-testid=work-save]');
  await page.locator('[data-testid=work-open]').waitFor();
  await page.click('[data-testid=work-open]');
  // The page's frame shows at once; its content once the work is loaded.
  await page.locator('[data-testid=civil-work-page] [data-testid=work-matches]').waitFor();
  assert.match((await page.textContent('[data-testid=civil-work-page]')) ?? '', /31\/07\/2027/);
  await page.click('[data-testid=work-cancel]');
  await page.fill('[data-testid=work-cancel-reason]', 'Dự án dời sang năm 2028 theo quyết định của UBND phường.');
  await page.click('[data-testid=work-cancel-confirm]');
  await page.locator('[data-testid=work-cancelled]').waitFor();
  assert.match((await page.textContent('[data-testid=work-cancelled]')) ?? '', /dời sang năm 2028/);
  assert.equal(await page.locator('[data-testid=work-edit]').count(), 0);
  await shot('ward-civil-work-cancelled');
});
