// @ts-check
// Printing the map (issue 12): from the map screen, a sheet of A4 or A3,
// portrait or landscape, with the title a person types, the legend of the
// layers drawn, a scale bar, a north arrow, the date, the coordinate system and
// the source; saved as PDF (the browser's print, `@page` with the sheet's size).
//
// Run alone: cd tests/browser && node --test print.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { artifactPath, browserTest, mapAt, mapIdle, signIn } from './harness.mjs';
import { apiAs, newMember, newPole, unique } from './fixtures.mjs';

const MM = 96 / 25.4; // CSS pixels in a millimetre

/** The pages of a PDF and their sizes in points, from its page objects. */
function pdfPages(path) {
  const text = readFileSync(path).toString('latin1');
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const pages = (text.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
  return { pages, boxes };
}

/** Today in Vietnam, as the sheet writes it (dd/MM/yyyy). */
function today() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year}`;
}

browserTest('a ward prints the map on A4 landscape with its title, the legend of the layers shown, a scale bar, north, the date, the CRS and the source, as a one-page PDF', {}, async ({ page, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const pole = await newPole(api, { operator: member.operator.code });
  await signIn(page, member);
  await page.goto(mapAt(pole.geometry.coordinates, 17));
  await mapIdle(page);

  // The person hides one layer that was shown: the printed legend follows the switcher.
  const checked = page.locator('[data-testid^="layer-"]:checked');
  await checked.first().waitFor();
  const hidden = await checked.first().getAttribute('data-testid');
  await page.getByTestId(String(hidden)).uncheck();
  const shown = await page.locator('[data-testid^="layer-"]:checked').evaluateAll((boxes) =>
    boxes.map((box) => ({ id: box.getAttribute('data-testid')?.slice('layer-'.length), label: box.closest('label')?.textContent?.trim() })),
  );
  assert.ok(shown.length > 0, 'some layers are still shown');

  await page.getByTestId('print-map').click();
  await page.waitForURL(/\/ban-do\/in/);
  await page.getByTestId('print-size').selectOption('A4');
  await page.getByTestId('print-orientation').selectOption('landscape');
  const title = `Bản đồ cột treo cáp ${unique()}`;
  await page.getByTestId('print-title-input').fill(title);
  await mapIdle(page);

  // The sheet is A4 landscape, in the page style and on screen (297 × 210 mm at 96 px to the inch).
  assert.match(await page.locator('#print-page-size').textContent() ?? '', /@page \{ size: A4 landscape; margin: 0; \}/);
  const sheet = await page.getByTestId('print-sheet').boundingBox();
  assert.ok(sheet && Math.abs(sheet.width - 297 * MM) < 2 && Math.abs(sheet.height - 209.5 * MM) < 2, `sheet ${JSON.stringify(sheet)}`);
  assert.equal(await page.getByTestId('print-title').textContent(), title);

  // The legend lists exactly the layers shown, by their names, and not the hidden one.
  const legend = await page.getByTestId('print-legend-entry').evaluateAll((items) =>
    items.map((item) => ({ id: item.getAttribute('data-layer'), label: item.querySelector('.print-legend-item')?.textContent?.trim() })),
  );
  assert.deepEqual(legend, shown);
  assert.ok(!legend.some((entry) => `layer-${entry.id}` === hidden), `${hidden} is not in the legend`);

  // Scale bar: a round length, drawn as long as that length is on paper at the map's scale.
  const scaleBar = (await page.getByTestId('print-scale-bar').textContent()) ?? '';
  assert.match(scaleBar, /^\d+(,\d+)? (m|km)$/);
  const drawn = await page.evaluate(() => {
    const map = window.__hatangMap;
    if (!map) throw new Error('no map');
    const metresPerPx = (40_075_016.686 * Math.cos((map.getCenter().lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
    const bar = document.querySelector('.print-scale-bar-line')?.getBoundingClientRect().width ?? 0;
    return { metresPerPx, bar };
  });
  const metres = Number(scaleBar.split(' ')[0]?.replace(',', '.')) * (scaleBar.endsWith('km') ? 1000 : 1);
  assert.ok(Math.abs(drawn.bar * drawn.metresPerPx - metres) < metres * 0.02, `${scaleBar} is ${drawn.bar} px at ${drawn.metresPerPx} m/px`);
  const scale = Number(((await page.getByTestId('print-scale').textContent())?.match(/Tỉ lệ 1:([\d.]+)/)?.[1] ?? '').replace(/\./g, ''));
  const expected = drawn.metresPerPx / (25.4 / 96 / 1000);
  assert.ok(Math.abs(scale - expected) < expected * 0.06, `scale 1:${scale}, expected about 1:${Math.round(expected)}`);

  await page.getByTestId('print-north').waitFor();
  assert.equal(await page.getByTestId('print-date').textContent(), `Ngày in: ${today()}`);
  assert.match((await page.getByTestId('print-crs').textContent()) ?? '', /WGS 84 \(EPSG:4326\).*EPSG:3857/);
  assert.match((await page.getByTestId('print-source').textContent()) ?? '', /^Nguồn: Hạ tầng — dữ liệu của phường /);
  await page.locator('.print-map-frame.has-snapshot').waitFor({ state: 'attached' });
  await shot('print-a4-landscape');

  // The PDF the browser prints: one page, A4 landscape (842 × 595 pt).
  const pdf = artifactPath('print-a4-landscape.pdf');
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const { pages, boxes } = pdfPages(pdf);
  assert.equal(pages, 1, 'one page');
  assert.ok(boxes.length >= 1 && boxes.every(([w, h]) => Math.abs(w - 841.89) < 2 && Math.abs(h - 595.28) < 2), `page sizes ${JSON.stringify(boxes)}`);

  // A3 portrait, and in English on request.
  await page.getByTestId('print-size').selectOption('A3');
  await page.getByTestId('print-orientation').selectOption('portrait');
  assert.match(await page.locator('#print-page-size').textContent() ?? '', /size: A3 portrait/);
  await page.getByTestId('lang-toggle').click();
  await page.getByText('Legend', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('print-title').textContent(), title, 'the title is kept');
  assert.equal(await page.getByTestId('print-date').textContent(), `Printed on ${today()}`);
  await mapIdle(page);
  const a3 = artifactPath('print-a3-portrait-en.pdf');
  await page.pdf({ path: a3, preferCSSPageSize: true, printBackground: true });
  const portrait = pdfPages(a3);
  assert.equal(portrait.pages, 1, 'one page');
  assert.ok(portrait.boxes.every(([w, h]) => Math.abs(w - 841.89) < 2 && Math.abs(h - 1190.55) < 2), `page sizes ${JSON.stringify(portrait.boxes)}`);
  await shot('print-a3-portrait-en');
});
