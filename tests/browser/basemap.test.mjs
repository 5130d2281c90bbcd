// @ts-check
// Optional basemaps (issue 12): a deployment lists external basemaps in
// config.json (XYZ raster templates or MapLibre style URLs, each with a name
// and attribution); none is drawn until a person chooses one in the layer
// switcher, and the choice is remembered; an XYZ one and a style URL one are
// both drawn below Hatang's layers. The basemap here is the test's own:
// a tiny XYZ PNG server on 127.0.0.1, reached as https://basemap.hatang.test
// (the host the run's server allows with --csp-extra-origins, SERVER_ENV in
// server.mjs), so the page loads it under the real Content-Security-Policy.
//
// Run alone: cd tests/browser && node --test basemap.test.mjs

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { browserTest, mapAt, mapIdle } from './harness.mjs';
import { CHANH_LO } from './fixtures.mjs';

const HOST = 'https://basemap.hatang.test';

/** A 256 × 256 PNG of one colour. */
function png(rgb) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(256 * 3).fill(Buffer.from(rgb))]);
  const pixels = Buffer.concat(Array.from({ length: 256 }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** The test's tile server: every /{z}/{x}/{y}.png is a pale green square; it counts what it was asked. */
async function tileServer() {
  const tile = png([200, 230, 201]);
  /** @type {string[]} */
  const requested = [];
  const server = createServer((request, response) => {
    const match = request.url?.match(/^\/(\d+)\/(\d+)\/(\d+)\.png$/);
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    requested.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' }).end(tile);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requested, close: () => new Promise((resolve) => server.close(resolve)) };
}

browserTest('a basemap from the configured list is off by default, chosen in the layer switcher, its tiles drawn under Hatang’s layers, and remembered', {}, async ({ page, context, shot }) => {
  const tiles = await tileServer();
  try {
    /** @type {string[]} */
    const violations = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    // The deployment's config.json, with one XYZ basemap; its host answered by the tile server.
    await context.route('**/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          basemaps: [
            { id: 'thu', name: 'Nền thử nghiệm', name_en: 'Test basemap', type: 'xyz', url: `${HOST}/{z}/{x}/{y}.png`, attribution: '© Bản đồ thử', max_zoom: 19 },
            { id: 'kieu', name: 'Bản đồ tỉnh (kiểu MapLibre)', type: 'style', url: `${HOST}/style.json`, attribution: '© Sở thử nghiệm' },
          ],
        }),
      }),
    );
    await context.route(`${HOST}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/style.json') {
        // A province's MapLibre style: its own raster source from the same host.
        const style = { version: 8, sources: { tinh: { type: 'raster', tiles: [`${HOST}/{z}/{x}/{y}.png`], tileSize: 256 } }, layers: [{ id: 'tinh-nen', type: 'raster', source: 'tinh' }] };
        await route.fulfill({ contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify(style) });
        return;
      }
      const answer = await fetch(`${tiles.url}${path}`);
      await route.fulfill({ status: answer.status, headers: Object.fromEntries(answer.headers), body: Buffer.from(await answer.arrayBuffer()) });
    });

    await page.goto(mapAt(CHANH_LO, 16));
    await mapIdle(page);
    const choice = page.getByTestId('basemap-choice');
    // Off by default: the plain offline background, nothing asked of the basemap's host.
    assert.equal(await choice.inputValue(), '');
    assert.deepEqual(await choice.locator('option').allTextContents(), ['Không (nền trơn, dùng được khi mất mạng)', 'Nền thử nghiệm', 'Bản đồ tỉnh (kiểu MapLibre)']);
    assert.equal(tiles.requested.length, 0);
    assert.equal(await page.evaluate(() => !!window.__hatangMap?.getLayer('basemap')), false);

    await choice.selectOption('thu');
    await page.waitForFunction(() => !!window.__hatangMap?.getLayer('basemap'));
    await mapIdle(page);
    assert.ok(tiles.requested.length > 0, 'the basemap’s tiles are requested');
    assert.ok(tiles.requested.every((url) => /^\/1[67]\//.test(url)), `tiles of the map's zoom: ${tiles.requested.join(' ')}`);
    const order = await page.evaluate(() => (window.__hatangMap?.getStyle().layers ?? []).map((l) => l.id));
    assert.equal(order[0], 'background');
    assert.equal(order[1], 'basemap', 'the basemap is drawn first');
    assert.ok(order.indexOf('wards-fill') > 1, `Hatang's layers are drawn over it: ${order.join(', ')}`);
    assert.equal(await page.getByTestId('basemap-attribution').textContent(), '© Bản đồ thử');
    await shot('basemap-chosen');

    // Remembered in this browser: a reload draws it again.
    const before = tiles.requested.length;
    await page.reload();
    await mapIdle(page);
    assert.equal(await page.getByTestId('basemap-choice').inputValue(), 'thu');
    await page.waitForFunction(() => !!window.__hatangMap?.getLayer('basemap'));
    assert.ok(tiles.requested.length > before, 'asked again after the reload');

    // A basemap given as a MapLibre style URL: its layers first, Hatang's over them.
    const beforeStyle = tiles.requested.length;
    await page.getByTestId('basemap-choice').selectOption('kieu');
    await page.waitForFunction(() => !!window.__hatangMap?.getLayer('tinh-nen') && !!window.__hatangMap?.getLayer('wards-fill'));
    await mapIdle(page);
    const styled = await page.evaluate(() => (window.__hatangMap?.getStyle().layers ?? []).map((l) => l.id));
    assert.equal(styled[0], 'tinh-nen');
    assert.equal(styled.includes('basemap'), false, 'the raster basemap is gone');
    assert.ok(tiles.requested.length > beforeStyle, 'the style’s tiles are requested');
    assert.equal(await page.getByTestId('basemap-attribution').textContent(), '© Sở thử nghiệm');

    // And off again.
    await page.getByTestId('basemap-choice').selectOption('');
    await page.waitForFunction(() => !window.__hatangMap?.getLayer('basemap') && !!window.__hatangMap?.getLayer('wards-fill'));
    assert.equal(await page.getByTestId('basemap-attribution').isHidden(), true);
    assert.deepEqual(violations, [], 'no CSP violation');
  } finally {
    await tiles.close();
  }
});
