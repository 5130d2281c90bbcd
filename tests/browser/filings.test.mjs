// @ts-check
// Data calls, an operator's filing and a public challenge in a real browser
// against the real server (the demo): staff open a coverage call for a ward;
// the operator hears of it, uploads a coverage file, reads its problems by row
// in Vietnamese, uploads a corrected file (version 2) and submits it; the call
// shows the operator as submitted. Then someone without an account marks "no 5G
// here" on the map with a photo (the browser does the form's proof of work);
// staff forward it to the operator, which accepts it, and the public challenges
// layer draws it. Screenshots: test-artifacts/filings-*.png.
//
// Each test has its own staff (an admin of its own), its own operator and member, and its own
// call, addressed to that operator only. The calls are for Trương Quang Trọng (21172), which
// has no tổ dân phố: a submitted coverage filing there adds no figure to any plan, so the
// demo's coverage figures that plans.test.mjs reads (Chánh Lộ, in Cẩm Thành) stay as they are.
//
// Run: `npm test` (every file), or `node --test filings.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, hatang, mapIdle, signIn } from './harness.mjs';
import { apiAs, newMember, newUser, unique } from './fixtures.mjs';

/** The ward of the calls: Trương Quang Trọng of 1/7/2025. */
const WARD = '21172';

/** The ward's code, name, box and the centre of its box. */
async function ward() {
  const { url } = await hatang();
  const wards = await (await fetch(`${url}/api/v1/wards`)).json();
  const found = wards.features.find((/** @type {any} */ w) => w.properties.gso_code === WARD && w.properties.valid_to === null);
  assert.ok(found, `the demo has the ward ${WARD}`);
  const box = found.properties.bbox;
  return { code: WARD, name: found.properties.name, box, centre: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] };
}

/** A rectangle as a GeoJSON polygon. */
function rectangle(west, south, east, north) {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

function coverageFile(features) {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: features.map(([geometry, technology]) => ({ type: 'Feature', geometry, properties: { cong_nghe: technology } })),
  });
}

/** A day `days` from now as dd/mm/yyyy (the form's dates) and yyyy-mm-dd (the API's). */
function daysAhead(days) {
  const due = new Date(Date.now() + days * 86_400_000);
  const dd = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return { form: `${dd(due.getDate())}/${dd(due.getMonth() + 1)}/${due.getFullYear()}`, iso: due.toISOString().slice(0, 10) };
}

/**
 * A coverage call of the test's own for the ward, asking only `operator` (through the API, by `staff`).
 * @param {Awaited<ReturnType<typeof apiAs>>} staff
 * @param {string} operator
 */
async function openCall(staff, operator) {
  return staff.post('/api/v1/filings/calls', {
    kind: 'mobile_coverage',
    title: `Vùng phủ 4G/5G ${unique()}`,
    unit: WARD,
    as_of: '2026-11-30',
    due_on: daysAhead(12).iso,
    operators: [operator],
  });
}

/** A tiny valid PNG (1×1, red). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** The coverage polygons of the ward: `inside` round its centre, `larger` twice as wide. */
function polygons(/** @type {Awaited<ReturnType<typeof ward>>} */ where) {
  const [west, south, east, north] = where.box;
  const w = (east - west) / 4;
  const hgt = (north - south) / 4;
  const [x, y] = where.centre;
  return {
    inside: rectangle(x - w, y - hgt, x + w, y + hgt),
    larger: rectangle(x - 2 * w, y - 2 * hgt, x + 2 * w, y + 2 * hgt),
  };
}

browserTest('staff open a coverage call and see every operator not started', { viewport: 'laptop' }, async ({ page, shot }) => {
  const where = await ward();
  // The operator to ask exists before the form loads its list of operators.
  const member = await newMember();
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto('/filings', { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=call-new]');
  await page.locator('[data-testid=call-form]').waitFor();
  await page.selectOption('[data-testid=call-kind]', 'mobile_coverage');
  await page.fill('[data-testid=call-title]', 'Vùng phủ 4G/5G 6 tháng cuối năm 2026');
  await page.selectOption('[data-testid=call-unit]', where.code);
  await page.fill('[data-testid=call-as_of]', '30/11/2026');
  await page.fill('[data-testid=call-due_on]', daysAhead(12).form);
  await page.fill('[data-testid=call-instructions]', 'Nộp vùng phủ 4G và 5G dạng GeoJSON, mỗi vùng một dòng.');
  // Asked: the test's operator only (every telecom operator of the run is offered).
  await page.check(`[data-testid=call-operators-${member.operator.code}]`);
  await shot('filings-01-open-call');
  await page.click('[data-testid=call-submit]');
  const recipient = page.locator(`[data-testid=recipients-table] [data-testid=recipient-${member.operator.code}]`);
  await recipient.waitFor();
  const call = Number(page.url().match(/\/filings\/calls\/(\d+)/)?.[1]);
  assert.ok(call > 0, page.url());
  assert.match((await recipient.textContent()) ?? '', /Chưa nộp/);
  const statuses = await page.locator('[data-testid=recipients-table] [data-testid^=recipient-]').allTextContents();
  assert.ok(statuses.length >= 1 && statuses.every((s) => /Chưa nộp/.test(s)), `every operator asked has not started: ${statuses.join(' | ')}`);
  assert.match((await page.textContent('[data-testid=call-due]')) ?? '', /còn \d+ ngày làm việc/);
  await shot('filings-02-call-staff', { fullPage: true });
});

browserTest('an operator files coverage, reads the problems by row, re-files and submits', { viewport: 'laptop' }, async ({ page, shot }) => {
  const where = await ward();
  const member = await newMember();
  const staff = await newUser({ role: 'admin' });
  const call = await openCall(await apiAs(staff), member.operator.code);
  await signIn(page, member);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  // The call is announced in the bell, with a link to it.
  await page.click('[data-testid=bell]');
  const note = page.locator('[data-testid=notification][data-kind=filing_opened]').first();
  await note.waitFor();
  assert.match((await note.textContent()) ?? '', /đã mở/);
  await note.locator('[data-testid=notification-open]').click();
  await page.waitForURL((url) => url.pathname === `/filings/calls/${call.id}`);
  await page.locator('[data-testid=new-version]').waitFor();

  const { inside, larger } = polygons(where);
  const hanoi = rectangle(105.8, 21.0, 105.81, 21.01);
  await page.setInputFiles('[data-testid=filing-file]', { name: 'vung-phu.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(coverageFile([[inside, '5G'], [hanoi, '5G'], [inside, '3G']])) });
  await page.click('[data-testid=filing-upload]');
  const row2 = page.locator('[data-testid=problems-table] [data-testid=problem-row-2]');
  await row2.waitFor();
  const said2 = (await row2.textContent()) ?? '';
  assert.match(said2, /nằm hoàn toàn ngoài/, `row 2 lies outside the ward: ${said2}`);
  const row3 = (await page.locator('[data-testid=problem-row-3]').textContent()) ?? '';
  assert.match(row3, /"3G" không phải công nghệ/, row3);
  assert.match(row3, /cong_nghe/, 'the file’s own column is named');
  assert.equal(await page.locator('[data-testid=filing-submit]').count(), 0, 'a version with errors cannot be submitted');
  await shot('filings-03-problems-by-row', { fullPage: true });

  // The corrected file is version 2.
  await page.setInputFiles('[data-testid=filing-file]', {
    name: 'vung-phu-sua.geojson',
    mimeType: 'application/geo+json',
    buffer: Buffer.from(coverageFile([[inside, '5G'], [larger, '4G']])),
  });
  await page.click('[data-testid=filing-upload]');
  await page.locator('[data-testid=version-2]').waitFor();
  assert.match((await page.textContent('[data-testid=filing-summary]')) ?? '', /^0 lỗi/);
  await page.locator('[data-testid=version-1]').waitFor();
  await page.locator('[data-testid=filing-map]').waitFor();
  await page.click('[data-testid=filing-submit]');
  await page.locator('[data-testid=filing-submitted]').waitFor();
  assert.match((await page.textContent('[data-testid=filing-panel]')) ?? '', /Đã nộp/);
  await mapIdle(page);
  await shot('filings-04-submitted', { fullPage: true });

  // The staff's call shows the operator submitted.
  await signIn(page, staff);
  await page.goto(`/filings/calls/${call.id}`, { waitUntil: 'domcontentloaded' });
  const recipient = page.locator(`[data-testid=recipient-${member.operator.code}]`, { hasText: 'Đã nộp' });
  await recipient.waitFor();
  assert.match((await recipient.textContent()) ?? '', /Đã nộp/);
});

browserTest('someone without an account challenges the coverage on the map, staff forward it, the operator accepts', { viewport: 'laptop' }, async ({ page, context, shot }) => {
  // The operator's submitted 5G filing covers the ward's centre (made through the API).
  const where = await ward();
  const member = await newMember();
  const code = member.operator.code;
  const staff = await newUser({ role: 'admin' });
  const call = await openCall(await apiAs(staff), code);
  const operator = await apiAs(member);
  const { inside, larger } = polygons(where);
  const filed = await operator.call('POST', `/api/v1/filings/calls/${call.id}/versions?file_name=vung-phu.geojson`, {
    body: coverageFile([[inside, '5G'], [larger, '4G']]),
    contentType: 'application/geo+json',
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  await operator.post(`/api/v1/filings/${filed.body.filing_id}/versions/${filed.body.number}/submit`, {});

  // Nobody is signed in: the public's map.
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await page.evaluate((centre) => window.__hatangMap?.jumpTo({ center: /** @type {[number, number]} */ (centre), zoom: 16 }), where.centre);
  await mapIdle(page);
  await page.click('[data-testid=challenge-report]');
  await page.locator('[data-testid=challenge-form]').waitFor();
  await page.check('[data-testid=challenge-what-no_5g]');
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  const at = await page.evaluate((centre) => window.__hatangMap?.project(/** @type {[number, number]} */ (centre)), where.centre);
  assert.ok(at);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.waitForFunction(() => document.querySelector('[data-testid=challenge-point]')?.textContent?.includes('Đã chọn'));
  await page.fill('[data-testid=challenge-address]', 'Số 12 Lê Lợi');
  const description = `Điện thoại chỉ bắt được 4G, cả trong nhà lẫn ngoài sân (${unique()}).`;
  await page.fill('[data-testid=challenge-description]', description);
  await page.fill('[data-testid=challenge-contact]', '0905 123 456');
  await page.setInputFiles('[data-testid=challenge-photo]', { name: 'song-yeu.png', mimeType: 'image/png', buffer: PNG });
  await shot('filings-05-public-challenge');
  await page.click('[data-testid=challenge-send]');
  const sent = page.locator('[data-testid=challenge-sent]');
  await sent.waitFor({ timeout: 60_000 });
  const text = (await sent.textContent()) ?? '';
  const challenge = Number(text.match(/#(\d+)/)?.[1]);
  assert.ok(challenge > 0, text);
  await shot('filings-06-challenge-sent');

  await signIn(page, staff);
  await page.goto('/challenges', { waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid=challenge-link-${challenge}]`).click();
  await page.locator('[data-testid=challenge-actions]').waitFor();
  assert.equal((await page.textContent('[data-testid=challenge-contact]'))?.trim(), '0905 123 456');
  assert.match((await page.textContent('[data-testid=challenge-claims]')) ?? '', new RegExp(code), 'the operator’s 5G filing claims the point');
  await page.locator('[data-testid=challenge-photo]').waitFor();
  await page.selectOption('[data-testid=action-operator]', code);
  await page.fill('[data-testid=action-note-forward]', `Đề nghị ${code} kiểm tra vùng phủ 5G.`);
  await shot('filings-07-triage', { fullPage: true });
  await page.click('[data-testid=action-forward]');
  await page.waitForFunction(() => document.querySelector('[data-testid=challenge-state]')?.textContent?.includes('Đã chuyển'));

  await signIn(page, member);
  await page.goto(`/challenges/${challenge}`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=action-accept]').waitFor();
  assert.equal(await page.locator('[data-testid=challenge-contact]').count(), 0, 'the operator does not see the sender’s contact');
  await page.click('[data-testid=action-accept]');
  await page.waitForFunction(() => document.querySelector('[data-testid=challenge-state]')?.textContent?.includes('thừa nhận'));
  await shot('filings-08-accepted', { fullPage: true });

  // The public layer draws the open challenge.
  await context.clearCookies();
  await page.goto('/?layer=challenges', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await page.evaluate((centre) => window.__hatangMap?.jumpTo({ center: /** @type {[number, number]} */ (centre), zoom: 16 }), where.centre);
  await mapIdle(page);
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures(undefined, { layers: ['challenges-point'] }).length ?? 0) > 0, undefined, { timeout: 30_000 });
  await shot('filings-09-challenges-layer');
});
