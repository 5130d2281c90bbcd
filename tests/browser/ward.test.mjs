// @ts-check
// What ward staff meet (issue 12, "Ward staff"), at 1440×900 on the demo: a
// supplemented file goes back to its check without "Bắt đầu kiểm tra hồ sơ"
// again, and nobody is told of their own actions; the pre-check says plainly
// when a permit is needed and checks a declared A1 mast against the heights of
// Circular 15/2016; a civil work partly outside the ward is refused with where
// it lies, and a work is changed, cancelled and seen on its own small map.
//
// Run alone: cd tests/browser && node --test ward.test.mjs

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
  console.error('ward browser tests: longer than 12 minutes; stopping');
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

async function pagePoint(lngLat) {
  const point = await page.evaluate((c) => window.__hatangMap?.project(c), lngLat);
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(point && box);
  return { x: box.x + point.x, y: box.y + point.y };
}

async function drawLine(points) {
  await page.evaluate((pts) => {
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    window.__hatangMap?.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 140, maxZoom: 17, duration: 0 });
  }, points);
  await mapIdle();
  for (const point of points) {
    const p = await pagePoint(point);
    await page.mouse.click(p.x, p.y);
  }
  const last = await pagePoint(points[points.length - 1]);
  await page.mouse.click(last.x, last.y);
}

function checkNoPageErrors(where) {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `${where}: the page threw: ${errors.join('\n')}`);
}

/** A tower application of VNPT in former Chánh Lộ (Cẩm Thành), submitted through the API. */
async function submittedApplication(vnpt, tower, title) {
  const created = await vnpt('/api/v1/permits', {
    method: 'POST',
    body: JSON.stringify({
      works_type: 'tower',
      title,
      description: 'Cột ăng ten trên mái nhà dân, đường Phan Bội Châu.',
      geometry: { type: 'Point', coordinates: [108.8052, 15.1128] },
      planned_start: '2027-02-01',
      planned_end: '2027-03-31',
      tower,
      proposed_assets: [],
    }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const submitted = await vnpt(`/api/v1/permits/${created.body.id}/actions/submit`, { method: 'POST', body: '{}' });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  return created.body.id;
}

describe('ward staff', { timeout: 11 * 60_000 }, () => {
  before(async () => {
    buildAll();
    server = await startServer();
    for (const login of server.logins) passwords[login.username] = login.password;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a supplemented file is back in its check, and nobody is told of their own actions', { timeout: 150_000 }, async () => {
    const vnpt = await apiAs('vnpt.qng');
    const reviewer = await apiAs('canbo.camthanh');
    const before = (await reviewer('/api/v1/notifications')).body;
    const id = await submittedApplication(vnpt, { tower_class: 'A2a', height_m: 15, host_building_height_m: 20, placement: 'rooftop' }, 'Trạm BTS mái nhà 17 Phan Bội Châu');

    await signIn('canbo.camthanh');
    await page.goto(`${server.url}/permits/${id}`, { waitUntil: 'domcontentloaded' });
    await page.click('[data-testid=action-begin_check]');
    await page.click('[data-testid=dialog-confirm]');
    await page.locator('[data-testid=permit-state][data-state=completeness_check]').waitFor();
    await page.click('[data-testid=action-request_supplement]');
    await page.fill('[data-testid=dialog-reason]', 'Bổ sung bản vẽ kết cấu mái và văn bản đồng ý của chủ nhà.');
    await page.click('[data-testid=dialog-confirm]');
    await page.locator('[data-testid=permit-state][data-state=supplement_requested]').waitFor();

    const resubmitted = await vnpt(`/api/v1/permits/${id}/actions/resubmit`, { method: 'POST', body: '{}' });
    assert.equal(resubmitted.status, 200, JSON.stringify(resubmitted.body));
    assert.equal(resubmitted.body.state, 'completeness_check');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=permit-state][data-state=completeness_check]').waitFor();
    assert.equal(await page.locator('[data-testid=action-begin_check]').count(), 0, 'no "Bắt đầu kiểm tra hồ sơ" again');
    await page.locator('[data-testid=action-accept]').waitFor();
    await page.screenshot({ path: artifactPath('ward-resubmitted.png') });
    await page.click('[data-testid=action-accept]');
    await page.click('[data-testid=dialog-confirm]');
    await page.locator('[data-testid=permit-state][data-state=under_review]').waitFor();

    // The reviewer hears of the operator's two actions (submit, resubmit), not of their own three.
    const after = (await reviewer('/api/v1/notifications')).body;
    const fresh = after.filter((n) => n.application_id === id && !before.some((b) => b.id === n.id));
    assert.equal(fresh.length, 2, `the reviewer's notifications of this file: ${fresh.map((n) => n.message_vi).join(' | ')}`);
    const operator = (await vnpt('/api/v1/notifications')).body.filter((n) => n.application_id === id);
    assert.equal(operator.length, 3, `the operator hears of the ward's three steps: ${operator.map((n) => n.message_vi).join(' | ')}`);
    checkNoPageErrors('resubmission');
  });

  test('the pre-check says a permit is needed, and a 12 m "A1" on a roof is not taken on trust', { timeout: 120_000 }, async () => {
    const vnpt = await apiAs('vnpt.qng');
    const bulky = await submittedApplication(vnpt, { tower_class: 'A2b', height_m: 42, placement: 'ground' }, 'Trạm BTS mặt đất');
    const tall = await submittedApplication(vnpt, { tower_class: 'A1', height_m: 12, host_building_height_m: 17.5, placement: 'rooftop' }, 'Trạm BTS “A1” 12 m');
    await signIn('canbo.camthanh');
    for (const [id, expect] of [
      [bulky, /cần giấy phép xây dựng/],
      [tall, /12 m.*3 m.*20%.*17,5 m/],
    ]) {
      await page.goto(`${server.url}/permits/${id}`, { waitUntil: 'domcontentloaded' });
      const finding = page.locator('[data-testid=finding][data-check=exemption]');
      await finding.waitFor();
      assert.equal((await finding.locator('[data-testid=finding-outcome]').textContent())?.trim(), 'Cần giấy phép');
      const text = (await finding.textContent()) ?? '';
      assert.doesNotMatch(text, /^Đạt/);
      assert.match(text, /Giấy phép xây dựng/);
      assert.match((await finding.locator('[data-testid=finding-message]').textContent()) ?? '', expect);
      assert.match((await finding.locator('[data-testid=finding-citation]').textContent()) ?? '', /15\/2016/);
    }
    await page.screenshot({ path: artifactPath('ward-a1-check.png') });
    // The co-location tool's class list says A2b stands on the ground.
    await page.goto(`${server.url}/?tool=colocation`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=colocation-class]').waitFor();
    const classes = await page.locator('[data-testid=colocation-class] option').allTextContents();
    assert.ok(classes.includes('A2b — cột trên mặt đất'), classes.join(' | '));
    checkNoPageErrors('pre-checks');
  });

  test('a civil work partly outside the ward is refused with where it lies; a work is changed, cancelled and shown on its map', { timeout: 200_000 }, async () => {
    await signIn('canbo.camthanh');
    const wards = await (await fetch(`${server.url}/api/v1/wards`)).json();
    // Cẩm Thành (21025), the ward of 1/7/2025 that took over Chánh Lộ: the reviewer's ward.
    const camThanh = wards.features.find((w) => w.properties.gso_code === '21025');
    const box = camThanh.properties.bbox;
    const centre = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
    // From the middle of Cẩm Thành to well west of its boundary.
    const outside = [box[0] - (box[2] - box[0]) * 0.4, centre[1]];
    await page.goto(`${server.url}/?tool=civil-work`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=civil-work-tool]').waitFor({ timeout: 30_000 });
    await drawLine([centre, outside]);
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
    await page.screenshot({ path: artifactPath('ward-civil-work-outside.png') });

    // Inside the ward it is announced.
    await page.click('[data-testid=work-redraw]');
    const east = [centre[0] + (box[2] - box[0]) * 0.2, centre[1] + (box[3] - box[1]) * 0.05];
    await drawLine([centre, east]);
    await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
    await page.click('[data-testid=work-save]');
    await page.locator('[data-testid=work-open]').waitFor();
    await page.click('[data-testid=work-open]');
    await page.locator('[data-testid=work-map] .maplibregl-canvas').waitFor();
    await mapIdle();
    const highlighted = await page.evaluate(() => window.__hatangMap?.querySourceFeatures('highlight').length ?? 0);
    assert.ok(highlighted > 0, 'the work is drawn on its map');
    await page.screenshot({ path: artifactPath('ward-civil-work-page.png') });

    // Change its end date in the tool, then cancel it with a reason.
    await page.click('[data-testid=work-edit]');
    await page.locator('[data-testid=civil-work-tool] [data-testid=work-ends_on]').waitFor();
    assert.equal(await page.inputValue('[data-testid=work-title]'), 'Cải tạo mương thoát nước');
    await page.fill('[data-testid=work-ends_on]', '31/07/2027');
    await page.click('[data-testid=work-save]');
    await page.locator('[data-testid=work-open]').waitFor();
    await page.click('[data-testid=work-open]');
    await page.locator('[data-testid=civil-work-page]').waitFor();
    assert.match((await page.textContent('[data-testid=civil-work-page]')) ?? '', /31\/07\/2027/);
    await page.click('[data-testid=work-cancel]');
    await page.fill('[data-testid=work-cancel-reason]', 'Dự án dời sang năm 2028 theo quyết định của UBND phường.');
    await page.click('[data-testid=work-cancel-confirm]');
    await page.locator('[data-testid=work-cancelled]').waitFor();
    assert.match((await page.textContent('[data-testid=work-cancelled]')) ?? '', /dời sang năm 2028/);
    assert.equal(await page.locator('[data-testid=work-edit]').count(), 0);
    await page.screenshot({ path: artifactPath('ward-civil-work-cancelled.png') });
    checkNoPageErrors('civil works');
  });
});
