// @ts-check
// Undergrounding, sharing and dig-once in a real browser against the real
// server with the demo ward: the ward dashboard, the flagged-streets layer and
// its popup, the free-path tracer and the announcement of a civil work. The
// demo ward's plan, streets and cables are read, never changed; each test
// signs in as a person of its own in the role whose work it is. What the page
// shows is compared with what the API answers for the same person.
// Screenshots go to test-artifacts/ug-*.png.
//
// Run: `npm test` (every file), or `node --test undergrounding.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, fitTo, mapIdle, pagePoint, signIn } from './harness.mjs';
import { newMember, newUser } from './fixtures.mjs';

/** Numbers as the page writes them in Vietnamese (`70,88`). */
const vi = (value, digits = 2) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(value);

/** Whether a value falls in a class of the flagged streets' legend, read from its label (`dưới 1 km`, `1–4 tuyến cáp`, …). */
function inLegendClass(label, value) {
  const number = (text) => Number(text.replace(/\./g, '').replace(',', '.'));
  let m;
  if (/^(Đã hết cáp treo|Không có tuyến cáp chạy dọc phố)$/.test(label)) return value === 0;
  if ((m = label.match(/^dưới ([\d.,]+) km$/))) return value > 0 && value < number(m[1]);
  if ((m = label.match(/^([\d.,]+)–([\d.,]+) km$/))) return value >= number(m[1]) && value < number(m[2]);
  if ((m = label.match(/^từ ([\d.,]+) km trở lên$/))) return value >= number(m[1]);
  if ((m = label.match(/^([\d.,]+)–([\d.,]+) tuyến cáp$/))) return value >= number(m[1]) && value <= number(m[2]);
  if ((m = label.match(/^≥ ([\d.,]+) tuyến cáp$/))) return value >= number(m[1]);
  throw new Error(`a legend class the test cannot read: ${label}`);
}

/**
 * Checks that every flagged street MapLibre has drawn has the colour the legend
 * beside the map gives for its figure in the API (`property`: overhead_km or cable_count).
 */
async function checkFlagColours(page, flags, property) {
  const legend = await page
    .locator('[data-testid=flags-mode-overhead]')
    .evaluate((button) =>
      [...(button.closest('.overlay-legend')?.querySelectorAll('.legend-classes li') ?? [])].map((li) => ({
        label: li.textContent?.trim() ?? '',
        colour: getComputedStyle(/** @type {Element} */ (li.querySelector('.swatch'))).backgroundColor,
      })),
    );
  assert.ok(legend.length >= 3, `the legend has its classes: ${JSON.stringify(legend)}`);
  const drawn = await page.evaluate(() =>
    (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-flags-fill'] }) ?? []).map((f) => {
      const c = /** @type {{r: number, g: number, b: number}} */ (f.layer.paint?.['fill-color']);
      return { area: f.properties.area_id, name: f.properties.segment_name, colour: `rgb(${Math.round(c.r * 255)}, ${Math.round(c.g * 255)}, ${Math.round(c.b * 255)})` };
    }),
  );
  assert.ok(drawn.length > 0, 'flagged streets are drawn');
  const seen = new Set();
  for (const street of drawn) {
    const key = `${street.area}|${street.name}|${street.colour}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const values = [...new Set(flags.features.filter((f) => f.properties.area_id === street.area && f.properties.segment_name === street.name).map((f) => f.properties[property]))];
    assert.ok(values.length > 0, `${street.name} is in the API's flags`);
    const expected = values.map((value) => legend.filter((c) => inLegendClass(c.label, value)));
    assert.ok(expected.every((classes) => classes.length === 1), `one legend class for ${street.name} (${property} ${values.join(', ')})`);
    assert.ok(
      expected.some((classes) => classes[0].colour === street.colour),
      `${street.name} (${property} ${values.join(', ')}) is drawn ${street.colour}, the legend says ${expected.map((c) => `${c[0].label}: ${c[0].colour}`).join(' or ')}`,
    );
  }
  return seen.size;
}

/**
 * The API as the signed-in browser sees it.
 * @param {import('playwright-core').Page} page
 * @param {string} path
 */
async function apiGet(page, path) {
  const response = await page.request.get(path);
  assert.equal(response.status(), 200, `GET ${path}`);
  return response.json();
}

browserTest('the planner opens the dashboard of Cẩm Thành: figures, the trend chart and project progress', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'planner', scope: ['51'] }));
  // Cẩm Thành (21025), the ward of 1/7/2025 that took over Chánh Lộ, where the demo's assets are.
  await page.goto(server.url + '/ngam-hoa?ward=21025', { waitUntil: 'domcontentloaded' });
  const overhead = page.locator('[data-testid=fig-overhead]');
  await overhead.waitFor({ timeout: 30_000 });
  const api = await apiGet(page, '/api/v1/undergrounding/dashboard?ward=21025');

  // The headline figures are the API's, written the Vietnamese way.
  for (const [testId, value] of [
    ['fig-overhead', api.overhead_km],
    ['fig-in-areas', api.overhead_km_in_areas],
    ['fig-debt', api.debt_km],
  ]) {
    const figure = page.locator(`[data-testid=${testId}]`);
    assert.equal(Number(await figure.getAttribute('data-value')), value, `${testId} is the API's figure`);
    assert.equal((await figure.textContent())?.trim(), `${vi(value)} km`);
  }
  assert.ok(api.overhead_km > 0, 'the demo ward has overhead cable');
  assert.match((await page.textContent('[data-testid=dashboard-title]')) ?? '', /Phường Cẩm Thành/);

  // The trend: a point per snapshot and series, on an SVG line chart.
  const points = await page.locator('[data-testid=chart-trend] circle.chart-point').count();
  assert.ok(api.history.length >= 2, `the demo has a trend (${api.history.length} days)`);
  assert.equal(points, api.history.length * 2, 'two series, a point per day');
  assert.equal(await page.locator('[data-testid=chart-trend] path').count(), 2, 'both series are drawn as lines');

  // A bar per operator, most km in the plan's streets first, with the km in those streets / in the ward.
  const operatorBars = await page.locator('[data-testid=chart-operators] .chart-value').allTextContents();
  assert.ok(api.by_operator.length >= 2, 'several operators have overhead cable in the ward');
  assert.deepEqual(
    operatorBars,
    [...api.by_operator].sort((a, b) => b.overhead_km_in_areas - a.overhead_km_in_areas).map((o) => `${vi(o.overhead_km_in_areas)} km / ${vi(o.overhead_km)} km`),
  );
  // The sharing chart: a bar per operator, shared assets of all its assets.
  const sharingBars = await page.locator('[data-testid=chart-sharing] .chart-value').allTextContents();
  assert.ok(api.sharing_by_operator.length >= 2, 'the ward has shared assets');
  assert.deepEqual(
    sharingBars.map((text) => text.replace(/^.*\(/, '(')).sort(),
    api.sharing_by_operator.map((o) => `(${vi(o.shared, 0)}/${vi(o.assets, 0)})`).sort(),
  );

  // The projects, each with its progress (km built of the length).
  const projects = page.locator('[data-testid=dashboard-project]');
  assert.equal(await projects.count(), api.projects.length);
  assert.ok(api.projects.length > 0, 'the demo has a project in Cẩm Thành');
  const project = api.projects[0];
  const bar = projects.first().locator('[role=progressbar]');
  assert.equal(Number(await bar.getAttribute('aria-valuenow')), project.built_km);
  assert.equal(Number(await bar.getAttribute('aria-valuemax')), project.length_km);
  const fill = await projects.first().locator('.progress-fill').evaluate((e) => e.style.width);
  assert.equal(fill, `${((project.built_km / project.length_km) * 100).toFixed(1)}%`);
  assert.match((await projects.first().textContent()) ?? '', new RegExp(`${vi(project.built_km)} km / ${vi(project.length_km)} km`));
  assert.match((await projects.first().locator('[data-testid=removals]').textContent()) ?? '', new RegExp(`${project.removals_confirmed}/${project.operators}`));

  // The worst segments, worst first.
  const firstSegment = (await page.locator('[data-testid=worst-segments] tbody tr').first().textContent()) ?? '';
  assert.ok(firstSegment.includes(api.worst_segments[0].segment_name), firstSegment);
  await shot('ug-20-undergrounding-dashboard', { fullPage: true });
  await page.locator('.dashboard').evaluate((e) => e.closest('.screen')?.scrollTo(0, 10_000));
  await shot('ug-20b-undergrounding-dashboard-lower');
});

browserTest('the public sees a ward that publishes its undergrounding, and is asked to sign in for one that does not', {}, async ({ page, server, shot }) => {
  // What the API answers without a session: the figures of Cẩm Thành without who owns what; nothing for Nghĩa Lộ.
  const published = await fetch(server.url + '/api/v1/undergrounding/dashboard?ward=21025');
  assert.equal(published.status, 200, 'Cẩm Thành publishes its undergrounding');
  const api = await published.json();
  assert.equal(api.by_operator, undefined, 'the API gives the public no per-operator figures');
  assert.equal((await fetch(server.url + '/api/v1/undergrounding/dashboard?ward=21028')).status, 401, 'Nghĩa Lộ does not publish it');

  /** Requests the server refused, but the check of who is signed in (a 401 for the public). */
  const refused = [];
  const onResponse = (/** @type {import('playwright-core').Response} */ response) => {
    const path = response.url().replace(server.url, '');
    if (response.status() >= 400 && path !== '/api/v1/auth/me') refused.push(`${response.status()} ${path}`);
  };
  page.on('response', onResponse);
  const firstTile = page.waitForResponse((response) => response.url().includes('/tiles/'));
  await page.goto(server.url + '/undergrounding?ward=21025', { waitUntil: 'domcontentloaded' });
  const overhead = page.locator('[data-testid=fig-overhead]');
  await overhead.waitFor({ timeout: 30_000 });
  assert.equal(Number(await overhead.getAttribute('data-value')), api.overhead_km);
  assert.equal((await overhead.textContent())?.trim(), `${vi(api.overhead_km)} km`);
  assert.match((await page.textContent('[data-testid=by-operator]')) ?? '', /chỉ dành cho cán bộ và doanh nghiệp/, 'no per-operator figures for the public');
  assert.equal(await page.locator('[data-testid=chart-operators]').count(), 0);
  assert.equal(await page.locator('[data-testid=dashboard-project]').count(), api.projects.length);
  assert.equal(await page.locator('[data-testid=dashboard-project] a').count(), 0, 'no links to project pages the public cannot open');
  // Nghĩa Lộ (21028) does not publish it: the public is not offered it, and its address
  // (a bookmark) answers 401, said in words, with a way to sign in.
  assert.equal(await page.locator('[data-testid=dashboard-ward] option[value="21028"]').count(), 0, 'only wards that publish are offered');
  await page.goto(server.url + '/undergrounding?ward=21028', { waitUntil: 'domcontentloaded' });
  const notice = page.locator('[data-testid=login-needed]');
  await notice.waitFor({ timeout: 30_000 });
  assert.match((await notice.textContent()) ?? '', /chưa công bố tiến độ ngầm hóa/);
  assert.equal(await notice.locator('a[href^="/login"]').count(), 1);
  // The map behind the pages asks only for the layers the public may see (the server refuses a
  // composite with any other): the public is refused nothing but that ward's figures, and no error shows.
  await firstTile;
  await page.waitForFunction(() => window.__hatangMap?.areTilesLoaded() === true, undefined, { timeout: 30_000 });
  page.off('response', onResponse);
  assert.deepEqual(refused, [`401 /api/v1/undergrounding/dashboard?ward=21028`], 'what the server refused the public');
  assert.deepEqual(await page.locator('.toasts .toast-error').allTextContents(), [], 'no error for the public');
  await shot('ug-21-undergrounding-not-published');
});

browserTest('the flagged-streets layer draws the streets on the map and its popup gives km per operator', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'planner', scope: ['51'] }));
  await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await mapIdle(page);
  // An address without a ward leaves the map on the ward with the most assets (a ward without a
  // GSO code, as the demo's Thủy Nguyên, is not "no ward").
  const wards = (await apiGet(page, '/api/v1/wards')).features;
  const busiest = [...wards].sort((a, b) => b.properties.asset_count - a.properties.asset_count)[0];
  const centre = await page.evaluate(() => window.__hatangMap?.getCenter().toArray());
  const [west, south, east, north] = busiest.properties.bbox;
  assert.ok(centre && centre[0] >= west && centre[0] <= east && centre[1] >= south && centre[1] <= north, `the map opens on ${busiest.properties.name}, not at ${centre}`);
  await page.click('[data-testid=layer-ug-flags]');
  // Points on top of the corridor keep their own popups: hide them to click the street.
  for (const id of ['poles', 'manholes', 'cabinets', 'towers']) await page.click(`[data-testid=layer-${id}]`);
  const flags = await apiGet(page, '/api/v1/undergrounding/flags');
  const street = flags.features.find((f) => f.properties.segment_name === 'Trần Hưng Đạo');
  assert.ok(street, 'Trần Hưng Đạo is flagged');
  // The middle of the street's corridor, close enough to tell the corridor from its neighbours.
  const positions = (c) => (typeof c[0] === 'number' ? [c] : c.flatMap(positions));
  const corridor = positions(street.geometry.coordinates);
  assert.ok(corridor.length > 2 && corridor.every((c) => Array.isArray(c) && c.length === 2), `the corridor is a polygon (${street.geometry.type})`);
  await page.evaluate(
    ([x, y]) => window.__hatangMap?.jumpTo({ center: [x, y], zoom: 16 }),
    [0, 1].map((axis) => (Math.min(...corridor.map((c) => c[axis])) + Math.max(...corridor.map((c) => c[axis]))) / 2),
  );
  await mapIdle(page);
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-flags-fill', 'ug-flags-outline'] }).length ?? 0) > 0, undefined, { timeout: 30_000 });
  const drawn = await page.evaluate(() =>
    [...new Set(window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-flags-fill'] }).map((f) => f.properties.segment_name))],
  );
  assert.ok(drawn.includes('Trần Hưng Đạo'), `flagged streets drawn: ${drawn.join(', ')}`);
  // Coloured by the overhead cable left, as the legend says.
  assert.equal(await page.getAttribute('[data-testid=flags-mode-overhead]', 'aria-checked'), 'true');
  await checkFlagColours(page, flags, 'overhead_km');

  // Click inside the corridor: the middle of two facing vertices of its outline.
  const at = await page.evaluate(() => {
    const map = window.__hatangMap;
    if (!map) return null;
    const feature = map.queryRenderedFeatures({ layers: ['ug-flags-fill'] }).find((f) => f.properties.segment_name === 'Trần Hưng Đạo');
    if (!feature || feature.geometry.type !== 'Polygon') return null;
    const ring = feature.geometry.coordinates[0];
    const canvas = map.getCanvas();
    for (let i = 0; i < ring.length / 2; i++) {
      const p = ring[i];
      const q = ring[ring.length - 2 - i];
      const point = map.project([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]);
      const inside = point.x > 60 && point.y > 60 && point.x < canvas.clientWidth - 60 && point.y < canvas.clientHeight - 120;
      if (inside && map.queryRenderedFeatures([point.x, point.y], { layers: ['ug-flags-fill'] }).length > 0) return [point.x, point.y];
    }
    return null;
  });
  assert.ok(at, 'a point inside the corridor is on screen');
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  await page.mouse.click(box.x + at[0], box.y + at[1]);
  const popup = page.locator('[data-testid=flag-popup]');
  await popup.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await popup.textContent()) ?? '';
  assert.match(text, /Trần Hưng Đạo/);
  const overhead = popup.locator('[data-testid=flag-overhead]');
  assert.equal(Number(await overhead.getAttribute('data-value')), street.properties.overhead_km);
  assert.equal((await overhead.textContent())?.trim(), `${vi(street.properties.overhead_km)} km`);
  assert.match(text, new RegExp(`${vi(street.properties.cable_count, 0)}\\s*tuyến cáp dọc phố`));
  assert.match(text, new RegExp(`${vi(street.properties.debt_km)} km\\s*nợ ngầm hóa`));
  assert.match((await popup.locator('[data-testid=flag-target-year]').textContent()) ?? '', new RegExp(`năm ${street.properties.target_year}$`));
  assert.equal((await popup.locator('[data-testid=flag-source]').textContent())?.trim(), street.properties.source_doc);
  // Km per operator: one row each, the operator's name and the API's figures, most first.
  const names = new Map((await apiGet(page, '/api/v1/operators')).map((o) => [o.code, o.short_name ?? o.code]));
  const rows = popup.locator('[data-testid=flag-operator]');
  const byOperator = Object.entries(street.properties.by_operator);
  assert.ok(byOperator.length >= 2, 'several operators on the street');
  assert.equal(await rows.count(), byOperator.length);
  for (const [operator, km] of byOperator) {
    const row = popup.locator(`[data-testid=flag-operator][data-operator="${operator}"]`);
    assert.equal(Number(await row.getAttribute('data-value')), km);
    assert.equal((await row.textContent())?.trim(), `${names.get(operator)}${vi(km)} km`);
  }
  assert.deepEqual(
    await rows.evaluateAll((items) => items.map((i) => i.getAttribute('data-operator'))),
    byOperator.sort((x, y) => y[1] - x[1]).map(([operator]) => operator),
  );
  await shot('ug-22-flagged-streets-popup');

  // The other colouring: by cable density, with its own legend.
  await page.click('[data-testid=flags-mode-density]');
  await page.waitForFunction(() => document.querySelector('[data-testid=flags-mode-density]')?.getAttribute('aria-checked') === 'true');
  await page.waitForFunction(() => document.querySelector('[data-testid=overlay-panel] .legend-classes')?.textContent?.includes('tuyến cáp'));
  await mapIdle(page);
  await checkFlagColours(page, flags, 'cable_count');
  await shot('ug-23-flagged-streets-density');
  for (const id of ['poles', 'manholes', 'cabinets', 'towers']) await page.click(`[data-testid=layer-${id}]`);
  await page.click('[data-testid=flags-mode-overhead]');
  await page.click('[data-testid=layer-ug-flags]');
});

browserTest('an operator traces a free path between two demo manholes and sees the route or the blocking duct', {}, async ({ page, server, shot }) => {
  await signIn(page, await newMember());
  // Two manholes four duct sections apart along a chain of the demo's ducts in former Chánh Lộ (Cẩm Thành).
  const ducts = (await apiGet(page, '/api/v1/ducts?ward=21025&limit=500')).features.filter((d) => d.properties.from_manhole_id && d.properties.to_manhole_id);
  const next = new Map(ducts.map((d) => [d.properties.from_manhole_id, d.properties.to_manhole_id]));
  const start = ducts[0].properties.from_manhole_id;
  let end = start;
  for (let i = 0; i < 4 && next.has(end); i++) end = next.get(end);
  assert.notEqual(end, start, 'the demo has a chain of ducts');
  const [from, to] = await Promise.all([apiGet(page, `/api/v1/manholes/${start}`), apiGet(page, `/api/v1/manholes/${end}`)]);
  const expected = await apiGet(page, `/api/v1/sharing/path?from=${start}&to=${end}`);
  assert.ok(['free', 'blocked'].includes(expected.status), `the ducts between them make a route (${expected.status})`);

  await page.goto(server.url + '/?tool=path', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=path-tool]').waitFor({ timeout: 30_000 });
  await fitTo(page, [from.geometry.coordinates, to.geometry.coordinates], 17.5);
  await mapIdle(page);
  await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['manholes'] }).length ?? 0) > 1);
  const a = await pagePoint(page, from.geometry.coordinates);
  await page.mouse.click(a.x, a.y);
  await page.waitForFunction((code) => document.querySelector('[data-testid=path-from]')?.textContent?.includes(code), from.properties.code);
  assert.equal(await page.getAttribute('[data-testid=path-from] a', 'href'), `/assets/${start}`, 'the click picked manhole A');
  const b = await pagePoint(page, to.geometry.coordinates);
  await page.mouse.click(b.x, b.y);
  await page.waitForFunction((code) => document.querySelector('[data-testid=path-to]')?.textContent?.includes(code), to.properties.code);
  assert.equal(await page.getAttribute('[data-testid=path-to] a', 'href'), `/assets/${end}`, 'the click picked manhole B');
  const result = page.locator('[data-testid=path-result] [data-status]');
  await result.waitFor({ timeout: 30_000 });
  assert.equal(await result.getAttribute('data-status'), expected.status, 'the page says what the API found');
  // Every duct of the route, in order, with its free pipes of all its pipes.
  const listed = await page.locator('[data-testid=path-result] li').allTextContents();
  assert.deepEqual(
    listed.map((text) => [text.split(' · ')[0], text.match(/(\d+)\/(\d+) ống trống/)?.slice(1).map(Number)]),
    expected.ducts.map((d) => [d.code, [d.free_pipes, d.pipe_count]]),
    'every duct of the route is listed',
  );
  /** How many ducts MapLibre has drawn on the route layer in a role. */
  const drawnInRole = (role) =>
    page.evaluate((role) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-tool-route'], filter: ['==', ['get', 'role'], role] }).length ?? 0) > 0, role);
  await mapIdle(page);
  if (expected.status === 'blocked') {
    assert.match((await result.textContent()) ?? '', new RegExp(`${expected.blocking.code}.*${expected.blocking.free_pipes}/${expected.blocking.pipe_count}`));
    assert.deepEqual(await page.locator('[data-testid=path-blocking] a').allTextContents(), [expected.blocking.code]);
    // The blocking duct is drawn in red on the map, the rest of the route in grey.
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-tool-route'], filter: ['==', ['get', 'role'], 'blocking'] }).length ?? 0) > 0, undefined, { timeout: 15_000 });
    if (expected.ducts.length > 1) assert.ok(await drawnInRole('blocked-route'), 'the rest of the route is drawn');
    assert.equal(await drawnInRole('route'), false, 'nothing is drawn as a free route');
  } else {
    assert.equal(await page.locator('[data-testid=path-blocking]').count(), 0);
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-tool-route'], filter: ['==', ['get', 'role'], 'route'] }).length ?? 0) > 0, undefined, { timeout: 15_000 });
    assert.equal(await drawnInRole('blocking'), false, 'nothing is drawn as blocking');
  }
  await shot('ug-24-free-path-tracer');
  await page.click('[data-testid=tool-close]');
  await page.locator('[data-testid=overlay-panel]').waitFor();
  assert.equal(await page.evaluate(() => !!window.__hatangMap?.getLayer('ug-tool-route')), false, 'closing the tool clears the map');
});

browserTest('the reviewer announces a civil work along a street and sees the operators it concerns', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'reviewer', scope: ['21025'] }));
  const areas = await apiGet(page, '/api/v1/undergrounding/areas');
  const street = areas.features.find((f) => f.properties.name === 'Trần Hưng Đạo');
  assert.ok(street && street.geometry.type === 'LineString', 'the street of the plan has a centre line');
  const line = street.geometry.coordinates;
  const along = [line[Math.floor(line.length * 0.3)], line[Math.floor(line.length * 0.45)], line[Math.floor(line.length * 0.6)]];

  await page.goto(server.url + '/?tool=civil-work', { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=civil-work-tool]').waitFor({ timeout: 30_000 });
  await fitTo(page, along, 17);
  await mapIdle(page);
  for (const point of along) {
    const p = await pagePoint(page, point);
    await page.mouse.click(p.x, p.y);
  }
  const last = await pagePoint(page, along[2]);
  await page.mouse.click(last.x, last.y); // the last point again ends the line
  await page.waitForFunction(() => document.querySelector('[data-testid=draw-hint]')?.textContent?.includes('Kéo'));
  await page.fill('[data-testid=work-title]', 'Cải tạo vỉa hè, chiếu sáng đường Trần Hưng Đạo');
  await page.selectOption('[data-testid=work-sector]', 'lighting');
  await page.fill('[data-testid=work-owner_org]', 'Ban Quản lý dự án đầu tư xây dựng thành phố');
  await page.fill('[data-testid=work-contact]', '0255 3 000 111');
  await page.fill('[data-testid=work-starts_on]', '01/03/2027');
  await page.fill('[data-testid=work-ends_on]', '31/5/2027');
  await page.fill('[data-testid=work-no_dig_until]', '31/05/2029');
  await shot('ug-25-civil-work-form');
  await page.click('[data-testid=work-save]');
  const matched = page.locator('[data-testid=matched-operators] li');
  await matched.first().waitFor({ timeout: 30_000 });
  const shown = await matched.evaluateAll((items) => items.map((i) => i.getAttribute('data-operator')));
  const shownNames = await matched.allTextContents();

  // The same operators as the civil work's own page in the API, with overhead cable along the street.
  const href = await page.getAttribute('[data-testid=work-open]', 'href');
  const id = Number(href?.split('/').pop());
  const work = await apiGet(page, `/api/v1/civil-works/${id}`);
  assert.equal(work.title, 'Cải tạo vỉa hè, chiếu sáng đường Trần Hưng Đạo');
  assert.equal(work.starts_on, '2027-03-01');
  assert.equal(work.ends_on, '2027-05-31');
  assert.equal(work.no_dig_until, '2029-05-31');
  assert.equal(work.sector, 'lighting');
  assert.equal(work.owner_org, 'Ban Quản lý dự án đầu tư xây dựng thành phố');
  assert.equal(work.contact, '0255 3 000 111');
  // The line drawn is the line stored: through the three points clicked (within a few pixels), in order.
  assert.equal(work.geometry.type, 'LineString');
  assert.equal(work.geometry.coordinates.length, along.length);
  work.geometry.coordinates.forEach((c, i) => {
    const metres = Math.hypot((c[0] - along[i][0]) * 107_500, (c[1] - along[i][1]) * 110_600);
    assert.ok(metres < 3, `point ${i + 1} is where it was clicked (${metres.toFixed(2)} m off)`);
  });
  const names = new Map((await apiGet(page, '/api/v1/operators')).map((o) => [o.code, o.short_name ?? o.code]));
  assert.deepEqual(shown, work.matches.map((m) => m.operator));
  assert.deepEqual(shownNames.map((n) => n.trim()), work.matches.map((m) => names.get(m.operator)));
  assert.ok(shown.length >= 2, `operators with cable along Trần Hưng Đạo are told: ${shown.join(', ')}`);
  assert.ok(work.matches.every((m) => m.reasons.length > 0));
  await shot('ug-26-civil-work-matched');

  // The new work is on the civil works layer, coming (not yet under way).
  await page.waitForFunction(
    (title) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['ug-works-band-upcoming'] }) ?? []).some((f) => f.properties.title === title),
    work.title,
    { timeout: 20_000 },
  );
  await page.click('[data-testid=work-open]');
  await page.locator('[data-testid=work-matches]').waitFor();
  assert.equal((await page.textContent('[data-testid=civil-work-page] h1[data-testid=work-title]'))?.trim(), work.title);
  const pageText = (await page.textContent('[data-testid=civil-work-page]')) ?? '';
  assert.ok(pageText.includes('01/03/2027 – 31/05/2027'), 'the dates of the work');
  assert.ok(pageText.includes('31/05/2029'), 'the no-dig period');
  assert.deepEqual(
    await page.locator('[data-testid=work-matches] .match-list > li').evaluateAll((items) => items.map((i) => i.getAttribute('data-operator'))),
    work.matches.map((m) => m.operator),
  );
});
