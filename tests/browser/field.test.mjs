// @ts-check
// In the field, on a phone (390×844), against the real server: reports filed
// offline with photos are kept across a reload and sent exactly once when
// the network is back; an inspector's finding made offline syncs once and
// becomes a violation for the operator, who fixes it with a photo; a
// resident's report filed through Open311 appears in the ward's inbox. The
// people and the round are made through the API here (the demo's wards may
// change), around a pole of the demo.
//
// Run: make test, or `node --test field.test.mjs` here after building.

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

const watchdog = setTimeout(async () => {
  console.error('field browser tests: the run took longer than 12 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 12 * 60_000);
watchdog.unref();

const PASSWORD = 'Hien-truong-2026-thu!';
const inspector = { username: 'kiemtra.hientruong', password: PASSWORD };
const crew = { username: 'doanhnghiep.hientruong', password: PASSWORD };

/** A session for API calls outside the browser. */
async function apiSession(who) {
  const login = await fetch(server.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  assert.equal(login.status, 200, `${who.username} can log in`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf_token } = await login.json();
  const call = async (method, path, body) => {
    const response = await fetch(server.url + path, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, text };
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body ?? {}) };
}

/** Signs `who` in through the login screen (after clearing any session). */
async function signIn(who, next) {
  await browser.context.clearCookies();
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid=login-username]', who.username);
  await page.fill('[data-testid=login-password]', who.password);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor({ state: 'attached' });
}

/** A real PNG (a piece of the page as it is drawn), as a phone's photo would be. */
async function photo(name) {
  const buffer = await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 240 } });
  return { name, mimeType: 'image/png', buffer };
}

/** Progress on stderr, so a slow or stuck run shows where it is. */
function step(what) {
  console.error(`field: ${new Date().toISOString().slice(11, 19)} ${what}`);
}

async function shot(name) {
  step(`screenshot ${name}`);
  await page.screenshot({ path: artifactPath(`field-${name}.png`), fullPage: false });
}

/** The outbox's items, as the page shows them. */
async function outboxStates() {
  return page.locator('[data-testid=outbox-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')));
}

let pole; // a demo pole: { id, code, operator, lon, lat, ward }
let admin;

describe('in the field, on a phone', () => {
  before(async () => {
    buildAll();
    server = await startServer();
    const adminLogin = server.logins.find((l) => l.role === 'admin');
    assert.ok(adminLogin, `the demo admin is in the banner:\n${server.log()}`);
    admin = await apiSession(adminLogin);
    // A demo pole that carries cable, and its ward: where the field work happens.
    const poles = await admin.get('/api/v1/poles?limit=200');
    assert.equal(poles.status, 200, poles.text);
    const feature = poles.body.features.find((f) => f.properties.ward_code && f.properties.status === 'operational') ?? poles.body.features[0];
    pole = {
      id: feature.id ?? feature.properties.id,
      code: feature.properties.code,
      operator: feature.properties.operator,
      lon: feature.geometry.coordinates[0],
      lat: feature.geometry.coordinates[1],
      ward: feature.properties.ward_code,
    };
    for (const [who, role, operator, scope] of [
      [inspector, 'reviewer', null, [pole.ward]],
      [crew, 'operator_member', pole.operator, []],
    ]) {
      const made = await admin.post('/api/v1/users', { username: who.username, display_name: `Thử ${who.username}`, role, operator, scope, password: who.password });
      assert.equal(made.status, 201, made.text);
    }
    step('server up, people made');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await browser.context.grantPermissions(['geolocation'], { origin: server.url });
    await browser.context.setGeolocation({ latitude: pole.lat, longitude: pole.lon, accuracy: 6 });
  });

  after(async () => {
    await browser?.context.setOffline(false).catch(() => undefined);
    await browser?.close();
    await server?.stop();
    clearTimeout(watchdog);
  });

  test('three reports filed offline with photos survive a reload and are stored exactly once each', async () => {
    await signIn(inspector, '/phan-anh/moi');
    await page.locator('[data-testid=report-type-cable_low]').waitFor();
    // The service worker has the app before the network goes.
    // The worker installs in the background; a page loaded after it is active is controlled.
    for (let i = 0; i < 6 && !(await page.evaluate(() => navigator.serviceWorker.controller !== null)); i++) {
      await page.waitForTimeout(5_000);
      await page.reload({ waitUntil: 'domcontentloaded' });
    }
    await page.evaluate(() =>
      Promise.race([
        (async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        })(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('the service worker did not take over within 90 s')), 90_000)),
      ]),
    );
    step('the service worker controls the page');
    // Pages the person will open offline are visited once online (the app's chunks and data are kept).
    await page.goto(`${server.url}/hang-doi`);
    await page.locator('[data-testid=outbox-screen]').waitFor();
    await page.goto(`${server.url}/phan-anh/moi`);
    await page.locator('[data-testid=report-type-cable_low]').waitFor();

    await browser.context.setOffline(true);
    await page.locator('[data-testid=offline-notice]').waitFor({ state: 'visible' });
    const stamp = Date.now();
    for (const [i, type] of ['cable_low', 'pole_fallen', 'cover_damaged'].entries()) {
      await page.click(`[data-testid=report-type-${type}]`);
      await page.click('[data-testid=report-gps]');
      await page.locator('[data-testid=report-place]').filter({ hasText: 'sai số' }).waitFor();
      await page.setInputFiles('[data-testid=report-photo]', [await photo(`anh-${i}.png`)]);
      await page.locator('[data-testid=report-photo-previews] img').first().waitFor();
      await page.fill('[data-testid=report-description]', `Phản ánh ngoại tuyến ${stamp} số ${i + 1}`);
      if (i === 0) await shot('report-offline-form');
      await page.click('[data-testid=report-submit]');
      await page.locator('[data-testid=report-queued]').waitFor();
    }
    await shot('report-queued');

    // Reload without a network: the app comes back from the service worker, the outbox from IndexedDB.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.goto(`${server.url}/hang-doi`).catch(() => undefined);
    await page.locator('[data-testid=outbox-item]').first().waitFor();
    assert.deepEqual(await outboxStates(), ['queued', 'queued', 'queued'], 'three reports wait in the outbox');
    await shot('outbox-offline');

    await browser.context.setOffline(false);
    await page.click('[data-testid=outbox-send]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=outbox-item]')].every((i) => i.getAttribute('data-state') === 'sent'), null, { timeout: 60_000 });
    await shot('outbox-sent');
    // Sending again sends nothing new.
    await page.click('[data-testid=outbox-send]');

    const mine = await admin.get(`/api/v1/incidents?q=${encodeURIComponent(`ngoại tuyến ${stamp}`)}&state=`);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body.length, 3, `exactly three reports stored: ${mine.body.map((r) => r.reference)}`);
    for (const report of mine.body) {
      const one = await admin.get(`/api/v1/incidents/${report.id}`);
      assert.equal(one.body.photos.length, 1, `${report.reference} has its photo`);
      assert.equal(one.body.location_source, 'gps');
      assert.ok(Math.abs(one.body.lat - pole.lat) < 1e-5 && Math.abs(one.body.lon - pole.lon) < 1e-5, 'at the phone’s position');
    }
  });

  test('an inspector’s offline finding syncs once, becomes a violation the operator fixes with a photo; an Open311 report reaches the ward’s inbox', async () => {
    const staff = await apiSession(inspector);
    const d = 0.0008;
    const made = await staff.post('/api/v1/inspections', {
      title: 'Kiểm tra thẻ cáp (thử trình duyệt)',
      category: 'routine',
      planned_on: new Date().toISOString().slice(0, 10),
      geometry: { type: 'Polygon', coordinates: [[[pole.lon - d, pole.lat - d], [pole.lon + d, pole.lat - d], [pole.lon + d, pole.lat + d], [pole.lon - d, pole.lat + d], [pole.lon - d, pole.lat - d]]] },
    });
    assert.equal(made.status, 201, made.text);
    const round = made.body;
    assert.ok(round.items.some((i) => i.asset_id === pole.id), 'the pole is on the worklist');

    await signIn(inspector, `/kiem-tra/${round.id}`);
    await page.locator(`[data-testid="inspect-${pole.code}"]`).waitFor();
    await browser.context.setOffline(true);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=round-offline-copy]').waitFor();
    await page.click(`[data-testid="inspect-${pole.code}"]`);
    await page.click('[data-testid="answer-cable.owner_label-fail"]');
    await page.click('[data-testid="answer-pole.upright-pass"]');
    await page.selectOption('[data-testid=finding-operator]', pole.operator);
    await page.fill('[data-testid=finding-note]', 'Cáp không có thẻ tại cột');
    await page.setInputFiles('[data-testid=finding-photo]', [await photo('hien-truong.png')]);
    await page.locator('[data-testid=finding-photo-previews] img').first().waitFor();
    await shot('finding-offline');
    await page.click('[data-testid=finding-save]');
    await page.locator('[data-testid=finding-saved]').waitFor();

    await browser.context.setOffline(false);
    await page.goto(`${server.url}/hang-doi`);
    await page.click('[data-testid=outbox-send]');
    await page.waitForFunction(() => !['queued', 'sending', 'login', undefined, null].includes(document.querySelector('[data-testid=outbox-item][data-kind=finding]')?.getAttribute('data-state')), null, { timeout: 90_000 });
    const item = await page.locator('[data-testid=outbox-item][data-kind=finding]').innerText();
    assert.equal(await page.locator('[data-testid=outbox-item][data-kind=finding]').getAttribute('data-state'), 'sent', item);
    await shot('finding-synced');
    const after = await staff.get(`/api/v1/inspections/${round.id}`);
    assert.equal(after.body.findings.length, 1, 'the finding is stored once');
    assert.equal(after.body.findings[0].photos.length, 1, 'with its photo');
    assert.equal(after.body.findings[0].violations.length, 1, 'it opened a violation');
    const reference = after.body.findings[0].violations[0];

    // The operator's crew sees the violation and fixes it with a photo.
    await signIn(crew, '/vi-pham');
    await page.locator(`[data-testid=violation-card][data-reference="${reference}"]`).click();
    await page.locator('[data-testid=violation-legal-basis]').filter({ hasText: 'QCVN 33:2019/BTTTT' }).waitFor();
    await page.click('[data-testid=violation-action-report_fixed]');
    await page.setInputFiles('[data-testid=violation-photo]', [await photo('da-gan-the.png')]);
    await page.locator('[data-testid=violation-photo-previews] img').first().waitFor();
    await page.fill('[data-testid=violation-note]', 'Đã gắn thẻ cáp');
    await page.click('[data-testid=violation-submit]');
    await page.locator('[data-testid=violation-state]').filter({ hasText: 'Báo đã khắc phục' }).waitFor();
    await page.locator('[data-testid=violation-photos] img').first().waitFor();
    await shot('violation-fixed');

    // A resident files through Open311 with a plain HTTP client.
    const posted = await fetch(`${server.url}/open311/v2/requests.json`, {
      method: 'POST',
      body: new URLSearchParams({ service_code: 'cover_damaged', lat: String(pole.lat), long: String(pole.lon), description: 'Nắp bể cáp bị vỡ (Open311)', first_name: 'Cư dân' }),
    });
    assert.equal(posted.status, 201);
    const [{ service_request_id: code }] = await posted.json();
    await signIn(inspector, '/su-co');
    await page.locator(`[data-testid=incident-card][data-reference="${code}"]`).waitFor();
    await shot('ward-inbox-open311');
    await page.locator(`[data-testid=incident-card][data-reference="${code}"]`).click();
    await page.locator('[data-testid=incident-contact]').filter({ hasText: 'Cư dân' }).waitFor();
    await shot('incident-page');
    assert.deepEqual(pageErrors, [], 'no page errors');
  });

  test('the demo has field work, and an administrator adds a checklist rule on a phone', async () => {
    // The demo's field work: reports at each stage, a round under way, a violation.
    const reports = await admin.get('/api/v1/incidents?state=');
    const states = new Set(reports.body.map((r) => r.state));
    for (const state of ['new', 'assigned', 'fixed', 'closed']) assert.ok(states.has(state), `a demo report is ${state}: ${[...states]}`);
    const violations = await admin.get('/api/v1/violations');
    assert.ok(violations.body.length >= 1, 'the demo has a violation');

    const adminLogin = server.logins.find((l) => l.role === 'admin');
    await signIn(adminLogin, '/kiem-tra/danh-muc');
    await page.locator('[data-testid=checklist-rule][data-rule-key="cable.owner_label"]').waitFor();
    assert.ok((await page.locator('[data-testid=checklist-rule]').count()) >= 10, 'the checklist rules are listed');
    await page.click('[data-testid=checklist-new]');
    await page.fill('[data-testid=checklist-key]', 'Pole Plate');
    await page.click('[data-testid=checklist-save]');
    // Every problem at once, in Vietnamese.
    await page.locator('[data-testid=checklist-problems]').filter({ hasText: 'Bắt buộc' }).waitFor();
    await page.fill('[data-testid=checklist-key]', 'pole.number_plate');
    await page.fill('[data-testid=checklist-title-vi]', 'Cột có biển số hiệu');
    await page.fill('[data-testid=checklist-title-en]', 'The pole carries its number plate');
    await page.check('[data-testid=checklist-kind-pole]');
    await page.fill('[data-testid=checklist-citation]', 'Quy định của phường (thử)');
    await shot('checklist-new-rule');
    await page.click('[data-testid=checklist-save]');
    await page.locator('[data-testid=checklist-rule][data-rule-key="pole.number_plate"]').waitFor();
    const checklists = await admin.get('/api/v1/inspections/checklists');
    assert.ok(checklists.body.by_kind.pole.includes('pole.number_plate'), 'the new rule is on the poles\' checklist');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the checklist fits the phone: ${width}px`);
    await shot('checklist');
    assert.deepEqual(pageErrors, [], 'no page errors');
  });
});
