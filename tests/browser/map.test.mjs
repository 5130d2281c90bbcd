// @ts-check
// The map as a place people orient themselves (issue 12): street names from
// Hatang's own data (no font server), Việt Nam's archipelagos named at country
// scale, measuring distance and area with lengths shown while drawing. As the public, not signed in,
// on the demo at 1440×900; each test opens the map itself, and only reads.
//
// Run: `npm test` (every file), or `node --test map.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, mapAt, mapIdle } from './harness.mjs';

/** The great-circle distance in metres (as the app measures). */
function haversine(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const s = Math.sin(rad(b[1] - a[1]) / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(rad(b[0] - a[0]) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
}

/** A Vietnamese number as a JavaScript one: "1.234,5" → 1234.5. */
const vnNumber = (text) => Number(text.replace(/\./g, '').replace(',', '.'));

browserTest('street names are on the map close up, from the streets Hatang holds, and not at a city view', {}, async ({ page, server, shot }) => {
  await page.goto(mapAt([108.8055, 15.112], 16.5), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=street-label]:not(.hidden)').length > 0, undefined, { timeout: 30_000 });
  const names = await page.locator('[data-testid=street-label]').allTextContents();
  const bbox = await page.evaluate(() => window.__hatangMap?.getBounds().toArray().flat().join(','));
  const streets = await (await fetch(`${server.url}/api/v1/streets?bbox=${bbox}&limit=200`)).json();
  const known = new Set(streets.features.map((s) => s.properties.name));
  assert.ok(names.length >= 3, `several streets named: ${names.join(', ')}`);
  for (const name of names) assert.ok(known.has(name), `${name} is a street of Hatang's`);
  assert.equal(new Set(names).size, names.length, 'each street named once');
  await shot('map-street-labels');
  await page.evaluate(() => window.__hatangMap?.jumpTo({ zoom: 13 }));
  await mapIdle(page);
  await page.locator('[data-testid=street-label]:not(.hidden)').first().waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid=street-label]:not(.hidden)').count(), 0, 'no street names at a city view');
});

browserTest("at country scale the map names Hoàng Sa and Trường Sa as Việt Nam's", {}, async ({ page, shot }) => {
  await page.goto(mapAt([108.5, 14.5], 4.6), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
  const hoangSa = page.locator('[data-testid=archipelago-hoang-sa]');
  const truongSa = page.locator('[data-testid=archipelago-truong-sa]');
  await hoangSa.waitFor({ state: 'visible' });
  await truongSa.waitFor({ state: 'visible' });
  assert.equal((await hoangSa.textContent())?.trim(), 'Quần đảo Hoàng Sa (Việt Nam)');
  assert.equal((await truongSa.textContent())?.trim(), 'Quần đảo Trường Sa (Việt Nam)');
  await shot('map-country-archipelagos');
  await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8055, 15.112], zoom: 14.5 }));
  await mapIdle(page);
  await hoangSa.waitFor({ state: 'hidden' });
  assert.equal(await hoangSa.isVisible(), false, 'not over a ward');
});

browserTest('the public measures a distance, reading each leg while drawing, and an area', {}, async ({ page, shot }) => {
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
  await mapIdle(page);
  await page.click('[data-testid=tool-measure]');
  await page.locator('[data-testid=measure-tool]').waitFor();
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(box);
  const points = [
    [box.x + box.width / 2 - 200, box.y + box.height / 2],
    [box.x + box.width / 2 + 100, box.y + box.height / 2 - 150],
    [box.x + box.width / 2 + 200, box.y + box.height / 2 + 120],
  ];
  const lngLats = await page.evaluate(
    ({ points, box }) => points.map(([x, y]) => window.__hatangMap?.unproject([x - box.x, y - box.y]).toArray()),
    { points, box },
  );
  await page.mouse.click(points[0][0], points[0][1]);
  await page.mouse.click(points[1][0], points[1][1]);
  // While drawing: the length to the cursor shows before the point is placed.
  await page.mouse.move(points[2][0], points[2][1], { steps: 5 });
  await page.locator('[data-testid=measure-total]').waitFor();
  assert.equal(await page.locator('[data-testid=measure-leg]').count(), 2, 'the leg to the cursor is measured while drawing');
  await page.mouse.click(points[2][0], points[2][1]);
  await page.mouse.click(points[2][0], points[2][1]);
  // The line is finished (a double click on its last point): the total is the two legs'.
  const expected = haversine(lngLats[0], lngLats[1]) + haversine(lngLats[1], lngLats[2]);
  const metresOf = (/** @type {string} */ total) => (total.endsWith(' km') ? vnNumber(total.slice(0, -3)) * 1000 : vnNumber(total.replace(' m', '')));
  await page.waitForFunction(
    ({ expected }) => {
      const total = document.querySelector('[data-testid=measure-total]')?.textContent ?? '';
      const n = Number(total.replace(/ (k?m)$/, '').replace(/\./g, '').replace(',', '.')) * (total.endsWith(' km') ? 1000 : 1);
      return Math.abs(n - expected) / expected < 0.01;
    },
    { expected },
  ).catch(() => undefined);
  const total = (await page.textContent('[data-testid=measure-total]')) ?? '';
  const metres = metresOf(total);
  assert.ok(Math.abs(metres - expected) / expected < 0.01, `measured ${total}, expected ${expected.toFixed(1)} m`);
  assert.match(total, /^\d+(,\d)? m$|^\d+(,\d{1,2})? km$/, `Vietnamese number format: ${total}`);
  await shot('map-measure-distance');

  // An area: a triangle of the same three points.
  await page.click('[data-testid=measure-polygon]');
  for (const [x, y] of points) await page.mouse.click(x, y);
  await page.mouse.click(points[0][0], points[0][1]);
  await page.locator('[data-testid=measure-area]').waitFor();
  const area = (await page.textContent('[data-testid=measure-area]')) ?? '';
  assert.match(area, / (m²|ha|km²)$/, area);
  const perimeter = (await page.textContent('[data-testid=measure-perimeter]')) ?? '';
  assert.match(perimeter, / (m|km)$/, perimeter);
  await shot('map-measure-area');
  await page.click('[data-testid=tool-close]');
  await page.locator('[data-testid=measure-tool]').waitFor({ state: 'detached' });
});
