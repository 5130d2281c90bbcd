// @ts-check
// Every screen fits a phone (390×844) and a tablet (768×1024): nothing is
// wider than the window (document scrollWidth ≤ innerWidth), on every address
// the app has. The list of addresses below must cover every route of the
// router (the page tells its patterns, window.__hatangRoutes): a new screen
// without an address here fails the test. Screenshots of each screen at both
// sizes go to test-artifacts/fit-<size>-<name>.png. And no button, link or
// field is cut off at the window's edge (a header action hidden under
// overflow: hidden does not widen the page, but nobody can reach it), and every
// button, field and tab is a touch target of at least 44 × 44 px.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { browserTest, hatang, horizontalOverflow, mapIdle, offScreenControls, shot, signIn, smallTargets } from './harness.mjs';
import { CHANH_LO, apiAs, demoLogin, newMember, newPole, newUser, unique } from './fixtures.mjs';

/** What the addresses need: an admin who may open every screen, and things of their own to show. */
async function prepare() {
  const admin = await newUser({ role: 'admin' });
  const member = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code });
  const application = await api.post('/api/v1/permits', {
    works_type: 'tower',
    title: `Trạm BTS – ${unique()}`,
    geometry: { type: 'Point', coordinates: CHANH_LO },
    planned_start: '2027-01-04',
    planned_end: '2027-03-31',
    tower: { tower_class: 'A2b', height_m: 30, placement: 'ground' },
  });
  const file = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: CHANH_LO }, properties: { code: unique('FIT-'), material: 'steel', height_m: 9 } }] };
  const job = await api.call('POST', `/api/v1/imports?kind=poles&operator=${member.operator.code}&file_name=cot.geojson`, { body: JSON.stringify(file), contentType: 'application/geo+json' });
  assert.ok(job.status < 300, JSON.stringify(job.body));
  const planner = await apiAs(await demoLogin('planner'));
  const project = (await planner.get('/api/v1/undergrounding/projects'))[0];
  const work = (await planner.get('/api/v1/civil-works')).features[0];
  assert.ok(project && work, 'the demo has an undergrounding project and a civil work');
  // In the field: a resident's report (through Open311), a round around the pole, a violation on it.
  const staff = await apiAs(admin);
  const [lon, lat] = pole.geometry.coordinates;
  const filed = await fetch(`${(await hatang()).url}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ service_code: 'pole_fallen', lat: String(lat), long: String(lon), description: `Cột nghiêng ${unique()}` }),
  });
  assert.equal(filed.status, 201, await filed.clone().text());
  const [{ service_request_id: report }] = await filed.json();
  const incident = (await staff.get(`/api/v1/incidents?q=${encodeURIComponent(report)}&state=`))[0] ?? (await staff.get('/api/v1/incidents?state='))[0];
  const d = 0.0005;
  const round = await staff.post('/api/v1/inspections', {
    title: `Kiểm tra ${unique()}`,
    category: 'routine',
    planned_on: new Date().toISOString().slice(0, 10),
    geometry: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
  });
  const violation = await staff.post('/api/v1/violations', { title: 'Cáp không có thẻ', legal_basis: 'QCVN 33:2019/BTTTT', asset_id: pole.id });
  // Plans and yearly reports: the demo's plan for Chánh Lộ (read), and its report for 2026
  // (drafted once: a second POST answers the same draft; reports.test.mjs uses a ward of its own).
  const plan = (await staff.get('/api/v1/plans')).find((p) => /Chánh Lộ/.test(p.unit_name));
  assert.ok(plan, 'the demo has a plan for Chánh Lộ');
  const yearly = await staff.call('POST', '/api/v1/yearly-reports', { body: { unit: plan.unit_id, year: 2026, plan: plan.id } });
  assert.ok(yearly.status === 200 || yearly.status === 201, JSON.stringify(yearly.body));
  // Data calls: a call of the test's own that asks only the test's operator, and that operator's filing.
  const wards = await staff.get('/api/v1/wards');
  const ward = wards.features.filter((w) => w.properties.valid_to === null).sort((a, b) => b.properties.asset_count - a.properties.asset_count)[0];
  const call = await staff.post('/api/v1/filings/calls', {
    kind: 'fixed_broadband',
    title: `Cáp quang đến hộ gia đình ${unique()}`,
    unit: ward.properties.gso_code,
    as_of: '2026-06-30',
    due_on: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
    operators: [member.operator.code],
  });
  const version = await api.post(`/api/v1/filings/calls/${call.id}/versions`, {
    rows: [{ unit: 'TDP 1', households_passed: 120, households_subscribed: 45, max_speed_mbps: 1000 }],
  });
  return {
    admin,
    ids: {
      asset: pole.id, permit: application.id, job: job.body.id, project: project.id, work: work.id, report, incident: incident.id, round: round.id, violation: violation.id,
      plan: plan.id, yearly: yearly.body.id, call: call.id, filing: version.filing_id, challenge: await challenge(),
    },
  };
}

/** @type {Promise<number> | null} */
let challenged = null;

/**
 * A challenge ("no 5G here") from someone without an account, through the public form's API (its
 * proof of work solved here). Made once for the file: the public forms take at most 10 an hour from
 * one address for the whole run, and both sizes only read it.
 */
function challenge() {
  challenged ??= (async () => {
    const { url } = await hatang();
    const ticket = await (await fetch(`${url}/api/v1/challenges/ticket`)).json();
    let nonce = 0;
    const zeroBits = (/** @type {Buffer} */ digest) => {
      let bits = 0;
      for (const byte of digest) {
        if (byte === 0) bits += 8;
        else return bits + Math.clz32(byte) - 24;
      }
      return bits;
    };
    while (zeroBits(createHash('sha256').update(`${ticket.challenge}:${nonce}`).digest()) < ticket.difficulty) nonce += 1;
    const form = new FormData();
    for (const [key, value] of Object.entries({ kind: 'no_mobile', technology: '5G', lon: String(CHANH_LO[0]), lat: String(CHANH_LO[1]), description: `Không có 5G ${unique()}`, challenge: ticket.challenge, nonce: String(nonce) })) form.append(key, value);
    const sent = await fetch(`${url}/api/v1/challenges`, { method: 'POST', body: form });
    assert.equal(sent.status, 201, await sent.clone().text());
    return (await sent.json()).id;
  })();
  return challenged;
}

/**
 * An address for every screen, with a name for its screenshot.
 * @param {{ asset: number, permit: number, job: number, project: number, work: number, report: string, incident: number, round: number, violation: number, plan: number, yearly: number, call: number, filing: number, challenge: number }} ids
 */
function addresses(ids) {
  return [
    ['map', '/'],
    ['map-path-tool', '/?tool=path'],
    ['map-civil-work-tool', '/?tool=civil-work'],
    ['map-areas-tool', '/?tool=areas'],
    ['map-print', '/ban-do/in?size=A4&orientation=landscape'],
    ['registry', '/registry'],
    ['registry-towers', '/registry/towers'],
    ['asset', `/assets/${ids.asset}`],
    ['login', '/login'],
    ['permits', '/permits'],
    ['permit-new', '/permits/new'],
    ['permit-stats', '/thong-ke-cap-phep'],
    ['permit', `/permits/${ids.permit}`],
    ['permit-edit', `/permits/${ids.permit}/edit`],
    ['account', '/account'],
    ['history', '/history'],
    ['import', '/import'],
    ['import-job', `/import/${ids.job}`],
    ['admin', '/admin'],
    ['admin-operators', '/admin/operators'],
    ['admin-publication', '/admin/publication'],
    ['admin-rules', '/admin/rules'],
    ['admin-holidays', '/admin/holidays'],
    ['admin-history-check', '/admin/history-check'],
    ['undergrounding', '/ngam-hoa'],
    ['undergrounding-tables', '/ngam-hoa/bang'],
    ['undergrounding-projects', '/ngam-hoa/du-an'],
    ['undergrounding-project', `/ngam-hoa/du-an/${ids.project}`],
    ['civil-works', '/ngam-hoa/cong-trinh'],
    ['civil-work', `/ngam-hoa/cong-trinh/${ids.work}`],
    ['field', '/hien-truong'],
    ['field-report-new', '/phan-anh/moi'],
    ['field-track', '/phan-anh'],
    ['field-track-report', `/phan-anh/${ids.report}`],
    ['field-incidents', '/su-co'],
    ['field-incident', `/su-co/${ids.incident}`],
    ['field-rounds', '/kiem-tra'],
    ['field-round-stats', '/kiem-tra/thong-ke'],
    ['field-checklists', '/kiem-tra/danh-muc'],
    ['field-round', `/kiem-tra/${ids.round}`],
    ['field-violations', '/vi-pham'],
    ['field-violation', `/vi-pham/${ids.violation}`],
    ['field-detection', '/phat-hien'],
    ['field-outbox', '/hang-doi'],
    ['plans', '/ke-hoach'],
    ['plan', `/ke-hoach/${ids.plan}`],
    ['plan-tasks', `/ke-hoach/${ids.plan}?tab=tasks`],
    ['plan-map', `/ke-hoach/${ids.plan}?tab=map`],
    ['admin-units', '/don-vi-hanh-chinh'],
    ['yearly-report-start', '/bao-cao-nam'],
    ['yearly-report', `/bao-cao-nam/${ids.yearly}`],
    ['filings', '/filings'],
    ['filing-call-new', '/filings/new'],
    ['filing-call', `/filings/calls/${ids.call}`],
    ['filing', `/filings/${ids.filing}`],
    ['challenges', '/challenges'],
    ['challenge', `/challenges/${ids.challenge}`],
    ['not-found', '/khong-co-trang-nay'],
  ];
}

/**
 * Waits until the screen has drawn what it loads (no spinner left).
 * @param {import('playwright-core').Page} page
 */
async function settled(page) {
  await page.waitForFunction(
    () => {
      const screen = document.getElementById('screen');
      return !!screen && screen.childElementCount > 0 && !screen.querySelector('.loading');
    },
    undefined,
    { timeout: 45_000, polling: 250 },
  );
  // A screen with the map: the map drawn (for the screenshot; the width does not wait for it).
  if (await page.locator('#screen [data-testid=map]').count()) await mapIdle(page).catch(() => undefined);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

for (const size of /** @type {const} */ (['phone', 'tablet'])) {
  browserTest(`every screen fits a ${size}: nothing wider than the window, no control cut off at its edge, every control a 44 px touch target, on every address of the app`, { viewport: size, timeout: 600_000 }, async ({ page, server }) => {
    const { admin, ids } = await prepare();
    await signIn(page, admin);
    const list = addresses(ids);
    const wide = [];
    const offScreen = [];
    const small = [];
    for (const [name, path] of list) {
      await page.goto(path, { waitUntil: 'domcontentloaded' });
      await settled(page);
      const overflow = await horizontalOverflow(page);
      if (overflow) wide.push(`${path}: ${overflow.scrollWidth} px in a ${overflow.innerWidth} px window; wide: ${overflow.wide.join(', ')}`);
      const cut = await offScreenControls(page);
      if (cut.length > 0) offScreen.push(`${path}: ${cut.join(', ')}`);
      const tiny = await smallTargets(page);
      if (tiny.length > 0) small.push(`${path}: ${[...new Set(tiny)].slice(0, 12).join(', ')}${tiny.length > 12 ? ` and ${tiny.length - 12} more` : ''}`);
      await shot(page, `fit-${size}-${name}`, { fullPage: size === 'tablet' });
    }
    // Every route of the router has an address above.
    const patterns = await page.evaluate(() => window.__hatangRoutes ?? []);
    assert.ok(patterns.length > 10, 'the page tells its routes');
    const paths = list.map(([, path]) => new URL(path, server.url).pathname);
    const missing = patterns.filter((source) => !paths.some((path) => new RegExp(source).test(path)));
    assert.deepEqual(missing, [], 'every route of the app has an address in this test');
    assert.deepEqual(wide, [], `screens wider than the ${size}`);
    assert.deepEqual(offScreen, [], `buttons, links or fields cut off at the edge of the ${size}`);
    assert.deepEqual(small, [], `buttons, fields and tabs smaller than a finger (44 px) on a ${size}`);
  });
}
