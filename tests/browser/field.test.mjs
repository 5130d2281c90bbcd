// @ts-check
// In the field, on a phone (390×844), against the run's server: reports filed
// offline with photos are kept across a reload and sent exactly once when
// the network is back; an inspector's finding made offline syncs once and
// becomes a violation for the operator, who fixes it with a photo; a
// resident's report filed through Open311 appears in the ward's inbox. Each
// test makes its own operator, pole and people through the API (fixtures.mjs)
// and keys on them, not on the demo's wards (they may be reorganised).
//
// Run: make test, or `node --test field.test.mjs` here after building.

import assert from 'node:assert/strict';
import { browserTest, signIn } from './harness.mjs';
import { CHANH_LO, admin, apiAs, nearby, newMember, newPole, newUser, unique } from './fixtures.mjs';

/**
 * Where a test works: a pole of a new operator near the demo ward's centre, the operator's crew
 * (its member) and an inspector (a reviewer) whose scope is the pole's ward.
 */
async function fieldWork() {
  const crew = await newMember();
  const feature = await newPole(await apiAs(crew), { operator: crew.operator.code, at: nearby(CHANH_LO, 120) });
  const pole = {
    id: Number(feature.id ?? feature.properties.id),
    code: String(feature.properties.code),
    operator: crew.operator.code,
    lon: feature.geometry.coordinates[0],
    lat: feature.geometry.coordinates[1],
    ward: String(feature.properties.ward_code),
  };
  assert.ok(pole.ward && pole.ward !== 'undefined', `the pole is in a ward: ${JSON.stringify(feature.properties)}`);
  const inspector = await newUser({ role: 'reviewer', scope: [pole.ward] });
  return { pole, crew, inspector };
}

/**
 * A real PNG (a piece of the page as it is drawn), as a phone's photo would be.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function photo(page, name) {
  const buffer = await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 240 } });
  return { name, mimeType: 'image/png', buffer };
}

/**
 * The outbox's items, as the page shows them.
 * @param {import('playwright-core').Page} page
 */
async function outboxStates(page) {
  return page.locator('[data-testid=outbox-item]').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')));
}

/**
 * Waits until the service worker controls the page (it installs in the background; a page loaded
 * after it is active is controlled), reloading a few times.
 * @param {import('playwright-core').Page} page
 */
async function serviceWorkerInControl(page) {
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
}

browserTest('three reports filed offline with photos survive a reload and are stored exactly once each', { viewport: 'phone', timeout: 480_000 }, async ({ page, context, shot }) => {
  const { pole, inspector } = await fieldWork();
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: pole.lat, longitude: pole.lon, accuracy: 6 });
  await signIn(page, inspector);
  await page.goto('/phan-anh/moi', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=report-type-cable_low]').waitFor();
  // The service worker has the app before the network goes.
  await serviceWorkerInControl(page);
  // Pages the person will open offline are visited once online (the app's chunks and data are kept).
  await page.goto('/hang-doi');
  await page.locator('[data-testid=outbox-screen]').waitFor();
  await page.goto('/phan-anh/moi');
  await page.locator('[data-testid=report-type-cable_low]').waitFor();

  try {
    await context.setOffline(true);
    await page.locator('[data-testid=offline-notice]').waitFor({ state: 'visible' });
    const stamp = Date.now();
    for (const [i, type] of ['cable_low', 'pole_fallen', 'cover_damaged'].entries()) {
      await page.locator(`[data-testid=report-type-${type}]`).tap();
      await page.locator('[data-testid=report-gps]').tap();
      await page.locator('[data-testid=report-place]').filter({ hasText: 'sai số' }).waitFor();
      await page.setInputFiles('[data-testid=report-photo]', [await photo(page, `anh-${i}.png`)]);
      await page.locator('[data-testid=report-photo-previews] img').first().waitFor();
      await page.fill('[data-testid=report-description]', `Phản ánh ngoại tuyến ${stamp} số ${i + 1}`);
      if (i === 0) await shot('field-report-offline-form');
      await page.locator('[data-testid=report-submit]').tap();
      await page.locator('[data-testid=report-queued]').waitFor();
    }
    await shot('field-report-queued');

    // Reload without a network: the app comes back from the service worker, the outbox from IndexedDB.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.goto('/hang-doi').catch(() => undefined);
    await page.locator('[data-testid=outbox-item]').first().waitFor();
    assert.deepEqual(await outboxStates(page), ['queued', 'queued', 'queued'], 'three reports wait in the outbox');
    await shot('field-outbox-offline');

    await context.setOffline(false);
    await page.locator('[data-testid=outbox-send]').tap();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=outbox-item]')].every((i) => i.getAttribute('data-state') === 'sent'), null, { timeout: 60_000 });
    await shot('field-outbox-sent');
    // Sending again sends nothing new.
    await page.locator('[data-testid=outbox-send]').tap();

    const staff = await admin();
    const mine = await staff.get(`/api/v1/incidents?q=${encodeURIComponent(`ngoại tuyến ${stamp}`)}&state=`);
    assert.equal(mine.length, 3, `exactly three reports stored: ${mine.map((/** @type {{ reference: string }} */ r) => r.reference)}`);
    for (const report of mine) {
      const one = await staff.get(`/api/v1/incidents/${report.id}`);
      assert.equal(one.photos.length, 1, `${report.reference} has its photo`);
      assert.equal(one.location_source, 'gps');
      assert.ok(Math.abs(one.lat - pole.lat) < 1e-5 && Math.abs(one.lon - pole.lon) < 1e-5, 'at the phone’s position');
    }
  } finally {
    await context.setOffline(false).catch(() => undefined);
  }
});

browserTest('an inspector’s offline finding syncs once, becomes a violation the operator fixes with a photo; an Open311 report reaches the ward’s inbox', { viewport: 'phone', timeout: 480_000 }, async ({ page, context, server, shot }) => {
  const { pole, crew, inspector } = await fieldWork();
  const staff = await apiAs(inspector);
  const d = 0.0008;
  const round = await staff.post('/api/v1/inspections', {
    title: 'Kiểm tra thẻ cáp (thử trình duyệt)',
    category: 'routine',
    planned_on: new Date().toISOString().slice(0, 10),
    geometry: { type: 'Polygon', coordinates: [[[pole.lon - d, pole.lat - d], [pole.lon + d, pole.lat - d], [pole.lon + d, pole.lat + d], [pole.lon - d, pole.lat + d], [pole.lon - d, pole.lat - d]]] },
  });
  assert.ok(round.items.some((/** @type {{ asset_id: number }} */ i) => i.asset_id === pole.id), 'the pole is on the worklist');

  await signIn(page, inspector);
  await page.goto(`/kiem-tra/${round.id}`, { waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid="inspect-${pole.code}"]`).waitFor();
  await serviceWorkerInControl(page);
  // Opened once more with the worker in control, so that the app's start answers (who is signed
  // in, what they may read, the reference data) pass through it and are kept for offline use:
  // the first load may have run before the worker took the page over.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid="inspect-${pole.code}"]`).waitFor();
  try {
    await context.setOffline(true);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=round-offline-copy]').waitFor();
    await page.locator(`[data-testid="inspect-${pole.code}"]`).tap();
    await page.locator('[data-testid="answer-cable.owner_label-fail"]').tap();
    await page.locator('[data-testid="answer-pole.upright-pass"]').tap();
    await page.selectOption('[data-testid=finding-operator]', pole.operator);
    await page.fill('[data-testid=finding-note]', 'Cáp không có thẻ tại cột');
    await page.setInputFiles('[data-testid=finding-photo]', [await photo(page, 'hien-truong.png')]);
    await page.locator('[data-testid=finding-photo-previews] img').first().waitFor();
    await shot('field-finding-offline');
    await page.locator('[data-testid=finding-save]').tap();
    await page.locator('[data-testid=finding-saved]').waitFor();
  } finally {
    await context.setOffline(false);
  }

  await page.goto('/hang-doi');
  await page.locator('[data-testid=outbox-item][data-kind=finding]').waitFor();
  await page.locator('[data-testid=outbox-send]').tap();
  // An upload cut off by the network's return is given up after three minutes (queue.ts) and sent again.
  await page.waitForFunction(() => !['queued', 'sending', 'login', undefined, null].includes(document.querySelector('[data-testid=outbox-item][data-kind=finding]')?.getAttribute('data-state')), null, { timeout: 210_000 });
  const item = await page.locator('[data-testid=outbox-item][data-kind=finding]').innerText();
  assert.equal(await page.locator('[data-testid=outbox-item][data-kind=finding]').getAttribute('data-state'), 'sent', item);
  await shot('field-finding-synced');
  const after = await staff.get(`/api/v1/inspections/${round.id}`);
  assert.equal(after.findings.length, 1, 'the finding is stored once');
  assert.equal(after.findings[0].photos.length, 1, 'with its photo');
  assert.equal(after.findings[0].violations.length, 1, 'it opened a violation');
  const reference = after.findings[0].violations[0];

  // The operator's crew sees the violation and fixes it with a photo.
  await signIn(page, crew);
  await page.goto('/vi-pham', { waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid=violation-card][data-reference="${reference}"]`).tap();
  await page.locator('[data-testid=violation-legal-basis]').filter({ hasText: 'QCVN 33:2019/BTTTT' }).waitFor();
  await page.locator('[data-testid=violation-action-report_fixed]').tap();
  await page.setInputFiles('[data-testid=violation-photo]', [await photo(page, 'da-gan-the.png')]);
  await page.locator('[data-testid=violation-photo-previews] img').first().waitFor();
  await page.fill('[data-testid=violation-note]', 'Đã gắn thẻ cáp');
  await page.locator('[data-testid=violation-submit]').tap();
  await page.locator('[data-testid=violation-state]').filter({ hasText: 'Báo đã khắc phục' }).waitFor();
  await page.locator('[data-testid=violation-photos] img').first().waitFor();
  await shot('field-violation-fixed');

  // A resident files through Open311 with a plain HTTP client.
  const posted = await fetch(`${server.url}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ service_code: 'cover_damaged', lat: String(pole.lat), long: String(pole.lon), description: 'Nắp bể cáp bị vỡ (Open311)', first_name: 'Cư dân' }),
  });
  assert.equal(posted.status, 201);
  const [{ service_request_id: code }] = await posted.json();
  await signIn(page, inspector);
  await page.goto('/su-co', { waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid=incident-card][data-reference="${code}"]`).waitFor();
  await shot('field-ward-inbox-open311');
  await page.locator(`[data-testid=incident-card][data-reference="${code}"]`).tap();
  await page.locator('[data-testid=incident-contact]').filter({ hasText: 'Cư dân' }).waitFor();
  await shot('field-incident-page');
});

browserTest('the demo has field work, and an administrator adds a checklist rule on a phone', { viewport: 'phone' }, async ({ page, shot }) => {
  // The demo's field work (read only): reports at each stage, a round under way, a violation.
  const staff = await admin();
  const reports = await staff.get('/api/v1/incidents?state=');
  const states = new Set(reports.map((/** @type {{ state: string }} */ r) => r.state));
  for (const state of ['new', 'assigned', 'fixed', 'closed']) assert.ok(states.has(state), `a demo report is ${state}: ${[...states]}`);
  const violations = await staff.get('/api/v1/violations');
  assert.ok(violations.length >= 1, 'the demo has a violation');

  // A rule of the test's own (the checklist is the server's: a key no other test uses).
  const key = `pole.number_plate_${unique().toLowerCase()}`;
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto('/kiem-tra/danh-muc', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=checklist-rule][data-rule-key="cable.owner_label"]').waitFor();
  assert.ok((await page.locator('[data-testid=checklist-rule]').count()) >= 10, 'the checklist rules are listed');
  await page.locator('[data-testid=checklist-new]').tap();
  await page.fill('[data-testid=checklist-key]', 'Pole Plate');
  await page.locator('[data-testid=checklist-save]').tap();
  // Every problem at once, in Vietnamese.
  await page.locator('[data-testid=checklist-problems]').filter({ hasText: 'Bắt buộc' }).waitFor();
  await page.fill('[data-testid=checklist-key]', key);
  await page.fill('[data-testid=checklist-title-vi]', 'Cột có biển số hiệu');
  await page.fill('[data-testid=checklist-title-en]', 'The pole carries its number plate');
  await page.check('[data-testid=checklist-kind-pole]');
  await page.fill('[data-testid=checklist-citation]', 'Quy định của phường (thử)');
  await shot('field-checklist-new-rule');
  await page.locator('[data-testid=checklist-save]').tap();
  await page.locator(`[data-testid=checklist-rule][data-rule-key="${key}"]`).waitFor();
  const checklists = await staff.get('/api/v1/inspections/checklists');
  assert.ok(checklists.by_kind.pole.includes(key), "the new rule is on the poles' checklist");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the checklist fits the phone: ${width}px`);
  await shot('field-checklist');
});

browserTest("after midnight in Hà Nội a new round is dated Vietnam's today, not the UTC date (still yesterday)", {}, async ({ page }) => {
  // 01:30 on 4 December in Hà Nội is 18:30 on 3 December in UTC.
  await page.clock.setFixedTime(new Date('2026-12-03T18:30:00Z'));
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto('/kiem-tra', { waitUntil: 'domcontentloaded' });
  const date = page.locator('[data-testid=round-date]');
  await date.waitFor({ state: 'attached' });
  assert.equal(await date.inputValue(), '04/12/2026');
});
