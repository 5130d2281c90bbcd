// @ts-check
// Data calls, an operator's filing and a public challenge in a real browser
// against the real server (the demo): the admin opens a coverage call for the
// demo's busiest ward; VNPT hears of it, uploads a coverage file, reads its
// problems by row in Vietnamese, uploads a corrected file (version 2) and
// submits it; the call shows VNPT as submitted. Then someone without an
// account marks "no 5G here" on the map with a photo (the browser does the
// form's proof of work); staff forward it to VNPT, which accepts it, and the
// public challenges layer draws it. Screenshots: test-artifacts/filings-*.png.
//
// Run: make test, or `node --test filings.test.mjs` here after building.

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
let admin = { username: '', password: '' };
let operator = { username: '', password: '' };
/** The ward the call is for: the demo's busiest, whatever its code. */
const ward = { code: '', name: '', centre: [0, 0], box: [0, 0, 0, 0] };
const state = { call: 0, challenge: 0 };

const watchdog = setTimeout(async () => {
  console.error('filings browser tests: the whole run took longer than 10 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 10 * 60_000);
watchdog.unref();

/** A screenshot of the whole page (the screen scrolls inside the app, so the window grows for it). */
async function fullShot(name) {
  const height = await page.evaluate(() => Math.max(document.querySelector('main')?.scrollHeight ?? 0, window.innerHeight));
  await page.setViewportSize({ width: 1366, height: Math.min(height + 80, 4000) });
  await page.screenshot({ path: artifactPath(name) });
  await page.setViewportSize({ width: 1366, height: 768 });
}

async function checkNoPageErrors() {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
}

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

/** Signs out whoever is signed in, then signs `who` in (or nobody, with null). */
async function signIn(who, next = '/filings') {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=user-menu], [data-testid=login-link]').first().waitFor();
  if (await page.locator('[data-testid=user-menu]').count()) {
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=logout]');
    await page.waitForURL(`${server.url}/`);
    if (!who) return;
    await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
  }
  if (!who) return;
  await page.fill('[data-testid=login-username]', who.username);
  await page.fill('[data-testid=login-password]', who.password);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor();
}

/** A rectangle as a GeoJSON polygon. */
function rectangle(west, south, east, north) {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

function coverageFile(features) {
  return Buffer.from(
    JSON.stringify({
      type: 'FeatureCollection',
      features: features.map(([geometry, technology]) => ({ type: 'Feature', geometry, properties: { cong_nghe: technology } })),
    }),
  );
}

/** A tiny valid PNG (1×1, red). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('data calls, filings and challenges in the web app', { timeout: 9 * 60_000 }, () => {
  before(async () => {
    buildAll();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    const find = (name, role) => server.logins.find((l) => l.username === name && l.role === role);
    admin = find('admin', 'admin') ?? admin;
    operator = find('vnpt.qng', 'operator_member') ?? operator;
    assert.ok(admin.username && operator.username, `the banner lists admin and vnpt.qng:\n${server.log()}`);
    const wards = await (await fetch(`${server.url}/api/v1/wards`)).json();
    const busiest = wards.features.filter((w) => w.properties.valid_to === null).sort((a, b) => b.properties.asset_count - a.properties.asset_count)[0];
    ward.code = busiest.properties.gso_code;
    ward.name = busiest.properties.name;
    ward.box = busiest.properties.bbox;
    ward.centre = [(ward.box[0] + ward.box[2]) / 2, (ward.box[1] + ward.box[3]) / 2];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[browser console] ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('staff open a coverage call and see every operator not started', { timeout: 120_000 }, async () => {
    await signIn(admin, '/filings');
    await page.locator('[data-testid=calls]').waitFor();
    await page.click('[data-testid=call-new]');
    await page.locator('[data-testid=call-form]').waitFor();
    await page.selectOption('[data-testid=call-kind]', 'mobile_coverage');
    await page.fill('[data-testid=call-title]', 'Vùng phủ 4G/5G 6 tháng cuối năm 2026');
    await page.selectOption('[data-testid=call-unit]', ward.code);
    await page.fill('[data-testid=call-as_of]', '30/11/2026');
    const due = new Date(Date.now() + 12 * 86_400_000);
    const dd = (n) => String(n).padStart(2, '0');
    await page.fill('[data-testid=call-due_on]', `${dd(due.getDate())}/${dd(due.getMonth() + 1)}/${due.getFullYear()}`);
    await page.fill('[data-testid=call-instructions]', 'Nộp vùng phủ 4G và 5G dạng GeoJSON, mỗi vùng một dòng.');
    await page.screenshot({ path: artifactPath('filings-01-open-call.png') });
    await page.click('[data-testid=call-submit]');
    await page.locator('[data-testid=recipients-table]').waitFor();
    state.call = Number(page.url().match(/\/filings\/calls\/(\d+)/)?.[1]);
    assert.ok(state.call > 0, page.url());
    const vnpt = page.locator('[data-testid=recipient-VNPT]');
    await vnpt.waitFor();
    assert.match((await vnpt.textContent()) ?? '', /Chưa nộp/);
    assert.match((await page.textContent('[data-testid=call-due]')) ?? '', /còn \d+ ngày làm việc/);
    await fullShot('filings-02-call-staff.png');
    await checkNoPageErrors();
  });

  test('an operator files coverage, reads the problems by row, re-files and submits', { timeout: 180_000 }, async () => {
    await signIn(operator, '/');
    // The call is announced in the bell, with a link to it.
    await page.click('[data-testid=bell]');
    const note = page.locator('[data-testid=notification][data-kind=filing_opened]').first();
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /đã mở/);
    await note.locator('[data-testid=notification-open]').click();
    await page.waitForURL(`${server.url}/filings/calls/${state.call}`);
    await page.locator('[data-testid=new-version]').waitFor();

    const [west, south, east, north] = ward.box;
    const w = (east - west) / 4;
    const hgt = (north - south) / 4;
    const inside = rectangle(ward.centre[0] - w, ward.centre[1] - hgt, ward.centre[0] + w, ward.centre[1] + hgt);
    const hanoi = rectangle(105.8, 21.0, 105.81, 21.01);
    await page.setInputFiles('[data-testid=filing-file]', { name: 'vung-phu-vnpt.geojson', mimeType: 'application/geo+json', buffer: coverageFile([[inside, '5G'], [hanoi, '5G'], [inside, '3G']]) });
    await page.click('[data-testid=filing-upload]');
    const problems = page.locator('[data-testid=problems-table]');
    await problems.waitFor();
    const row2 = (await page.locator('[data-testid=problem-row-2]').textContent()) ?? '';
    assert.match(row2, /nằm hoàn toàn ngoài/, `row 2 lies outside the ward: ${row2}`);
    const row3 = (await page.locator('[data-testid=problem-row-3]').textContent()) ?? '';
    assert.match(row3, /"3G" không phải công nghệ/, row3);
    assert.match(row3, /cong_nghe/, 'the file’s own column is named');
    assert.equal(await page.locator('[data-testid=filing-submit]').count(), 0, 'a version with errors cannot be submitted');
    await fullShot('filings-03-problems-by-row.png');

    // The corrected file is version 2.
    await page.setInputFiles('[data-testid=filing-file]', {
      name: 'vung-phu-vnpt-sua.geojson',
      mimeType: 'application/geo+json',
      buffer: coverageFile([[inside, '5G'], [rectangle(ward.centre[0] - 2 * w, ward.centre[1] - 2 * hgt, ward.centre[0] + 2 * w, ward.centre[1] + 2 * hgt), '4G']]),
    });
    await page.click('[data-testid=filing-upload]');
    await page.locator('[data-testid=version-2]').waitFor();
    assert.match((await page.textContent('[data-testid=filing-summary]')) ?? '', /^0 lỗi/);
    await page.locator('[data-testid=version-1]').waitFor();
    await page.locator('[data-testid=filing-map]').waitFor();
    await page.click('[data-testid=filing-submit]');
    await page.locator('[data-testid=filing-submitted]').waitFor();
    assert.match((await page.textContent('[data-testid=filing-panel]')) ?? '', /Đã nộp/);
    await mapIdle();
    await fullShot('filings-04-submitted.png');

    // The staff's call shows VNPT submitted.
    await signIn(admin, `/filings/calls/${state.call}`);
    const vnpt = page.locator('[data-testid=recipient-VNPT]');
    await vnpt.waitFor();
    assert.match((await vnpt.textContent()) ?? '', /Đã nộp/);
    await checkNoPageErrors();
  });

  test('someone without an account challenges the coverage on the map, staff forward it, the operator accepts', { timeout: 200_000 }, async () => {
    await signIn(null);
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await page.evaluate((centre) => window.__hatangMap?.jumpTo({ center: centre, zoom: 16 }), ward.centre);
    await mapIdle();
    await page.click('[data-testid=challenge-report]');
    await page.locator('[data-testid=challenge-form]').waitFor();
    await page.check('[data-testid=challenge-what-no_5g]');
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    const at = await page.evaluate((centre) => window.__hatangMap?.project(centre), ward.centre);
    assert.ok(at);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForFunction(() => document.querySelector('[data-testid=challenge-point]')?.textContent?.includes('Đã chọn'));
    await page.fill('[data-testid=challenge-address]', 'Số 12 Lê Lợi');
    await page.fill('[data-testid=challenge-description]', 'Điện thoại chỉ bắt được 4G, cả trong nhà lẫn ngoài sân.');
    await page.fill('[data-testid=challenge-contact]', '0905 123 456');
    await page.setInputFiles('[data-testid=challenge-photo]', { name: 'song-yeu.png', mimeType: 'image/png', buffer: PNG });
    await page.screenshot({ path: artifactPath('filings-05-public-challenge.png') });
    await page.click('[data-testid=challenge-send]');
    const sent = page.locator('[data-testid=challenge-sent]');
    await sent.waitFor({ timeout: 60_000 });
    const text = (await sent.textContent()) ?? '';
    state.challenge = Number(text.match(/#(\d+)/)?.[1]);
    assert.ok(state.challenge > 0, text);
    await page.screenshot({ path: artifactPath('filings-06-challenge-sent.png') });

    await signIn(admin, '/challenges');
    await page.locator(`[data-testid=challenge-link-${state.challenge}]`).click();
    await page.locator('[data-testid=challenge-actions]').waitFor();
    assert.equal((await page.textContent('[data-testid=challenge-contact]'))?.trim(), '0905 123 456');
    assert.match((await page.textContent('[data-testid=challenge-claims]')) ?? '', /VNPT/, 'VNPT’s 5G filing claims the point');
    await page.locator('[data-testid=challenge-photo]').waitFor();
    await page.selectOption('[data-testid=action-operator]', 'VNPT');
    await page.fill('[data-testid=action-note-forward]', 'Đề nghị VNPT kiểm tra vùng phủ 5G.');
    await fullShot('filings-07-triage.png');
    await page.click('[data-testid=action-forward]');
    await page.waitForFunction(() => document.querySelector('[data-testid=challenge-state]')?.textContent?.includes('Đã chuyển'));

    await signIn(operator, `/challenges/${state.challenge}`);
    await page.locator('[data-testid=action-accept]').waitFor();
    assert.equal(await page.locator('[data-testid=challenge-contact]').count(), 0, 'the operator does not see the sender’s contact');
    await page.click('[data-testid=action-accept]');
    await page.waitForFunction(() => document.querySelector('[data-testid=challenge-state]')?.textContent?.includes('thừa nhận'));
    await fullShot('filings-08-accepted.png');

    // The public layer draws the open challenge.
    await signIn(null);
    await page.goto(`${server.url}/?layer=challenges`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await page.evaluate((centre) => window.__hatangMap?.jumpTo({ center: centre, zoom: 16 }), ward.centre);
    await mapIdle();
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures(undefined, { layers: ['challenges-point'] }).length ?? 0) > 0, undefined, { timeout: 30_000 });
    await page.screenshot({ path: artifactPath('filings-09-challenges-layer.png') });
    await checkNoPageErrors();
  });
});
