// @ts-check
// Coordinates that are taken but worth checking (issue 13): a file measured in
// a merged province's VN-2000 TM-3 zone whose points lie in a former province
// that used another central meridian. Kon Tum (107°30′) is now part of Quảng
// Ngãi (108°00′): survey points near Kon Tum city declared in Quảng Ngãi's zone
// are imported, and the import screen says, in the person's language, that the
// points lie in the former Kon Tum and which zone to declare if they were
// measured there. At desktop and at phone size.
//
// Run alone: cd tests/browser && node --test coordinates.test.mjs

import assert from 'node:assert/strict';
import { browserTest, horizontalOverflow, signIn } from './harness.mjs';
import { apiAs, newMember, unique } from './fixtures.mjs';

// Near Kon Tum city (107.99–107.991 °E, 14.36 °N) in VN-2000 / TM-3 108°00′
// (Hatang's SRID 910800, PostGIS's ST_Transform), as a surveyor writes them:
// X is the northing, Y the easting.
const KON_TUM_IN_108 = [
  { x: 1588130.902, y: 498726.541 },
  { x: 1588130.898, y: 498834.394 },
];

/** A CSV of the survey's poles, with Vietnamese column names. */
function surveyCsv(codes) {
  const rows = codes.map((code, i) => `${code},${KON_TUM_IN_108[i].x},${KON_TUM_IN_108[i].y},concrete,8`);
  return ['Mã cột,X,Y,Vật liệu,Chiều cao', ...rows].join('\n') + '\n';
}

/**
 * Uploads the survey in Quảng Ngãi's TM-3 zone through the wizard and commits it.
 * @param {import('playwright-core').Page} page
 * @param {string} url the server's address
 * @param {string[]} codes
 */
async function importSurvey(page, url, codes) {
  await page.goto(`${url}/import`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=import-file]').waitFor({ state: 'attached' });
  await page.selectOption('[data-testid=import-kind]', 'poles');
  // Quảng Ngãi (GSO 51) by its province, as the wizard lists it: 108°00′.
  await page.selectOption('[data-testid=import-crs]', 'tm3:51');
  await page.setInputFiles('[data-testid=import-file]', { name: 'khao-sat-kon-tum.csv', mimeType: 'text/csv', buffer: Buffer.from(surveyCsv(codes)) });
  await page.click('[data-testid=import-upload]');
  await page.locator('[data-testid=import-mapping]').waitFor({ timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=import-crs-label]')) ?? '', /108°00′/, 'the file is read in the zone chosen');
  await page.click('[data-testid=import-commit]');
  await page.locator('[data-testid=import-done]').waitFor({ timeout: 90_000 });
  assert.equal((await page.textContent('[data-testid=import-created]'))?.trim(), String(codes.length), 'the points are taken: a warning, not a refusal');
}

browserTest('a survey in a former province read in its new province’s zone is imported, with a notice that names the old meridian', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const codes = [unique(`${member.operator.code}-KT-`), unique(`${member.operator.code}-KT-`)];
  await signIn(page, member);
  await importSurvey(page, server.url, codes);

  const notice = page.locator('[data-testid=import-warnings]');
  await notice.waitFor();
  assert.equal((await notice.locator('h3').textContent())?.trim(), 'Cần kiểm tra');
  const text = (await notice.textContent()) ?? '';
  assert.match(text, /tỉnh Kon Tum cũ \(nay thuộc Quảng Ngãi\)/, text);
  assert.match(text, /kinh tuyến trục 107°30′, nhưng được đọc theo 108°00′/, text);
  assert.match(text, /khai báo TM3:107\.5/, 'which zone to declare instead');
  await shot('coordinates-01-import-former-zone', { fullPage: true });

  // The notice stays with the job: a reload shows it again.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=import-warnings]').waitFor();

  // The poles were stored where the numbers say in 108°00′, not moved.
  const api = await apiAs(member);
  const found = await api.get(`/api/v1/poles?q=${encodeURIComponent(codes[0])}`);
  assert.equal(found.features.length, 1, `the pole ${codes[0]} is in the registry`);
  const [lon, lat] = found.features[0].geometry.coordinates;
  assert.ok(Math.abs(lon - 107.99) < 1e-5 && Math.abs(lat - 14.36) < 1e-5, `stored at ${lon}, ${lat}`);

  // In English on request.
  await page.evaluate(() => localStorage.setItem('hatang.lang', 'en'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  const english = page.locator('[data-testid=import-warnings]');
  await english.waitFor();
  assert.equal((await english.locator('h3').textContent())?.trim(), 'Worth checking');
  assert.match((await english.textContent()) ?? '', /former province Kon Tum \(now Quảng Ngãi\), which used the central meridian 107°30′, but were read on 108°00′.*declare TM3:107\.5/s);
  await shot('coordinates-02-import-former-zone-en');
});

browserTest('on a phone the former-zone notice of an import fits the screen', { viewport: 'phone' }, async ({ page, server, shot }) => {
  const member = await newMember();
  const codes = [unique(`${member.operator.code}-KTP-`), unique(`${member.operator.code}-KTP-`)];
  await signIn(page, member);
  await importSurvey(page, server.url, codes);
  const notice = page.locator('[data-testid=import-warnings]');
  await notice.waitFor();
  assert.match((await notice.textContent()) ?? '', /Kon Tum/);
  const box = await notice.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `the notice is within the screen: ${JSON.stringify(box)} in ${width} px`);
  assert.equal(await horizontalOverflow(page), null, 'nothing is wider than the phone');
  await notice.scrollIntoViewIfNeeded();
  await shot('coordinates-03-import-former-zone-phone');
});
