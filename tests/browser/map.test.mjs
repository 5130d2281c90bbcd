// @ts-check
// The map as a place people orient themselves (issue 12): street names from
// Hatang's own data (no font server), Việt Nam's archipelagos named at country
// scale, measuring distance and area with lengths shown while drawing. As the public, not signed in,
// on the demo at 1440×900.
//
// Run alone: cd tests/browser && node --test map.test.mjs

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
  console.error('map browser tests: longer than 10 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 10 * 60_000);
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

/** The great-circle distance in metres (as the app measures). */
function haversine(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const s = Math.sin(rad(b[1] - a[1]) / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(rad(b[0] - a[0]) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
}

/** A Vietnamese number as a JavaScript one: "1.234,5" → 1234.5. */
const vnNumber = (text) => Number(text.replace(/\./g, '').replace(',', '.'));

describe('the map', { timeout: 9 * 60_000 }, () => {
  before(async () => {
    buildAll();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('street names are on the map close up, from the streets Hatang holds, and not at a city view', { timeout: 120_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
    await mapIdle();
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8055, 15.112], zoom: 16.5 }));
    await mapIdle();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=street-label]:not(.hidden)').length > 0, undefined, { timeout: 30_000 });
    const names = await page.locator('[data-testid=street-label]').allTextContents();
    const bbox = await page.evaluate(() => window.__hatangMap?.getBounds().toArray().flat().join(','));
    const streets = await (await fetch(`${server.url}/api/v1/streets?bbox=${bbox}&limit=200`)).json();
    const known = new Set(streets.features.map((s) => s.properties.name));
    assert.ok(names.length >= 3, `several streets named: ${names.join(', ')}`);
    for (const name of names) assert.ok(known.has(name), `${name} is a street of Hatang's`);
    assert.equal(new Set(names).size, names.length, 'each street named once');
    await page.screenshot({ path: artifactPath('map-street-labels.png') });
    await page.evaluate(() => window.__hatangMap?.jumpTo({ zoom: 13 }));
    await mapIdle();
    assert.equal(await page.locator('[data-testid=street-label]:not(.hidden)').count(), 0, 'no street names at a city view');
  });

  test('at country scale the map names Hoàng Sa and Trường Sa as Việt Nam\'s', { timeout: 60_000 }, async () => {
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.5, 14.5], zoom: 4.6 }));
    await mapIdle();
    const hoangSa = page.locator('[data-testid=archipelago-hoang-sa]');
    const truongSa = page.locator('[data-testid=archipelago-truong-sa]');
    await hoangSa.waitFor({ state: 'visible' });
    await truongSa.waitFor({ state: 'visible' });
    assert.equal((await hoangSa.textContent())?.trim(), 'Quần đảo Hoàng Sa (Việt Nam)');
    assert.equal((await truongSa.textContent())?.trim(), 'Quần đảo Trường Sa (Việt Nam)');
    await page.screenshot({ path: artifactPath('map-country-archipelagos.png') });
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8055, 15.112], zoom: 14.5 }));
    await mapIdle();
    assert.equal(await hoangSa.isVisible(), false, 'not over a ward');
  });

  test('the public measures a distance, reading each leg while drawing, and an area', { timeout: 150_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap, undefined, { timeout: 30_000 });
    await mapIdle();
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
    await page.waitForTimeout(300);
    const expected = haversine(lngLats[0], lngLats[1]) + haversine(lngLats[1], lngLats[2]);
    const total = (await page.textContent('[data-testid=measure-total]')) ?? '';
    const metres = total.endsWith(' km') ? vnNumber(total.slice(0, -3)) * 1000 : vnNumber(total.replace(' m', ''));
    assert.ok(Math.abs(metres - expected) / expected < 0.01, `measured ${total}, expected ${expected.toFixed(1)} m`);
    assert.match(total, /^\d+(,\d)? m$|^\d+(,\d{1,2})? km$/, `Vietnamese number format: ${total}`);
    await page.screenshot({ path: artifactPath('map-measure-distance.png') });

    // An area: a triangle of the same three points.
    await page.click('[data-testid=measure-polygon]');
    for (const [x, y] of points) await page.mouse.click(x, y);
    await page.mouse.click(points[0][0], points[0][1]);
    await page.locator('[data-testid=measure-area]').waitFor();
    const area = (await page.textContent('[data-testid=measure-area]')) ?? '';
    assert.match(area, / (m²|ha|km²)$/, area);
    const perimeter = (await page.textContent('[data-testid=measure-perimeter]')) ?? '';
    assert.match(perimeter, / (m|km)$/, perimeter);
    await page.screenshot({ path: artifactPath('map-measure-area.png') });
    await page.click('[data-testid=tool-close]');
    await page.locator('[data-testid=measure-tool]').waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });
});
