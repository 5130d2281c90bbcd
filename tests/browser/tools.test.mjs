// @ts-check
// The tool screens in a real browser against the real server: administration
// (accounts, operators, ward publication, rules, holidays, the history check),
// one's own account (password, API tokens), importing a file through the
// wizard, exporting from the registry, and the audit history. Each test makes
// its own admin, operator or person; screenshots go to test-artifacts/tools-*.png.
//
// The run's server takes imports of at most 1 MB and 40 rows (SERVER_ENV in
// server.mjs), so that the limits can be shown.
//
// Run: `npm test` (every file), or `node --test tools.test.mjs` after building.

import assert from 'node:assert/strict';
import { browserTest, hatang, mapAt, signIn } from './harness.mjs';
import { CHANH_LO, apiAs, nearby, newMember, newPole, newUser, unique } from './fixtures.mjs';

/**
 * Signs in through the login form.
 * @param {import('playwright-core').Page} page
 * @param {{ username: string, password: string }} who
 */
async function signInWithForm(page, who) {
  const server = await hatang();
  await page.goto(`${server.url}/login`, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid=login-username]', who.username);
  await page.fill('[data-testid=login-password]', who.password);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor({ timeout: 30_000 });
}

/**
 * Signs out through the user menu.
 * @param {import('playwright-core').Page} page
 */
async function signOut(page) {
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=logout]');
  await page.locator('[data-testid=login-link]').waitFor();
}

/**
 * The API with a bearer token (no cookie).
 * @param {string} token
 * @param {string} path
 */
async function withToken(token, path) {
  return fetch((await hatang()).url + path, { headers: { Authorization: `Bearer ${token}` } });
}

/**
 * Imports a GeoJSON file of poles through the API and waits until it is committed; returns the codes.
 * @param {Awaited<ReturnType<typeof apiAs>>} api
 * @param {string} operator
 */
async function importedPoles(api, operator, count = 2) {
  const codes = Array.from({ length: count }, () => unique(`${operator}-NHAP-`));
  const file = {
    type: 'FeatureCollection',
    features: codes.map((code) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: nearby(CHANH_LO, 100) }, properties: { code, material: 'concrete', height_m: 8 } })),
  };
  const job = await api.call('POST', `/api/v1/imports?kind=poles&operator=${operator}&file_name=cot.geojson`, { body: JSON.stringify(file), contentType: 'application/geo+json' });
  assert.ok(job.status < 300, `the import is taken: ${job.status} ${JSON.stringify(job.body)}`);
  await api.post(`/api/v1/imports/${job.body.id}/commit`, {});
  for (let i = 0; i < 120; i++) {
    const status = (await api.get(`/api/v1/imports/${job.body.id}`)).status;
    if (status === 'committed') return codes;
    assert.ok(!['invalid', 'failed'].includes(status), `the import ${status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the import did not finish in a minute');
}

browserTest('an admin creates a reviewer account and sees its password once; the reviewer signs in with it', {}, async ({ page, server, shot }) => {
  const admin = await newUser({ role: 'admin' });
  const reviewer = { username: unique('canbo.').toLowerCase(), name: 'Cán bộ thử nghiệm phường Nghĩa Lộ', password: '' };
  await signIn(page, admin);
  await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=menu-admin]');
  await page.locator('[data-testid=users-table] tbody tr').first().waitFor();
  assert.match((await page.textContent('[data-testid=users-table]')) ?? '', /vnpt\.qng/);
  await shot('tools-20-admin-users', { fullPage: true });

  await page.click('[data-testid=user-new]');
  await page.locator('[data-testid=user-dialog]').waitFor();
  // The client refuses a username the server would refuse, before sending.
  await page.fill('[data-testid=user-username]', 'Cán Bộ');
  await page.fill('[data-testid=user-display-name]', reviewer.name);
  await page.selectOption('[data-testid=user-role]', 'reviewer');
  await page.click('[data-testid=user-save]');
  await page.locator('[data-testid=error-username]').waitFor({ state: 'visible' });
  await page.fill('[data-testid=user-username]', reviewer.username);
  // The scope: a ward by its GSO code, shown by name.
  await page.fill('[data-testid=scope-input]', '21028');
  await page.click('[data-testid=scope-add]');
  assert.match((await page.textContent('[data-testid=scope-chips]')) ?? '', /Nghĩa Lộ/);
  await shot('tools-21-admin-user-form');
  await page.click('[data-testid=user-save]');

  const secret = page.locator('[data-testid=user-password-value]');
  await secret.waitFor();
  reviewer.password = await secret.inputValue();
  assert.match(reviewer.password, /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/, 'a generated password of four groups');
  assert.match((await page.textContent('[data-testid=password-dialog]')) ?? '', /chỉ hiển thị lần này/);
  await shot('tools-22-admin-user-password-once');
  await page.click('[data-testid=user-password-done]');
  await page.locator('[data-testid=password-dialog]').waitFor({ state: 'detached' });
  const row = page.locator(`[data-testid=users-table] tr[data-username="${reviewer.username}"]`);
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /Nghĩa Lộ/);
  assert.ok(!(await page.content()).includes(reviewer.password), 'the password is not shown again');

  await signOut(page);
  await signInWithForm(page, reviewer);
  assert.match((await page.textContent('[data-testid=user-name]')) ?? '', /Cán bộ thử nghiệm/);
  assert.match((await page.textContent('[data-testid=user-name]')) ?? '', /Cán bộ xây dựng phường/);
  await page.click('[data-testid=user-menu]');
  assert.equal(await page.locator('[data-testid=menu-admin]').count(), 0, 'no administration for a reviewer');
  assert.equal(await page.locator('[data-testid=menu-import]').count(), 0, 'no import for a reviewer');
  await page.keyboard.press('Escape');
  await page.goto(`${server.url}/admin/users`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=access-denied]').waitFor();
});

browserTest('a reviewer changes the password: problems are said by field, then it works', {}, async ({ page, server, shot }) => {
  const reviewer = await newUser({ role: 'reviewer' });
  await signIn(page, reviewer);
  await page.goto(`${server.url}/account`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=current-password]').waitFor();
  assert.equal(await page.locator('[data-testid=tokens]').count(), 0, 'API tokens are for operator members');
  // Too short: said before sending.
  await page.fill('[data-testid=current-password]', reviewer.password);
  await page.fill('[data-testid=new-password]', 'ngan');
  await page.fill('[data-testid=confirm-password]', 'ngan');
  await page.click('[data-testid=password-submit]');
  assert.match((await page.locator('[data-testid=error-new_password]').textContent()) ?? '', /ít nhất 10 ký tự/);
  // A wrong current password: the server's answer, under its field.
  const next = `Mat-khau-moi-${unique()}`;
  await page.fill('[data-testid=current-password]', 'not-the-password');
  await page.fill('[data-testid=new-password]', next);
  await page.fill('[data-testid=confirm-password]', next);
  await page.click('[data-testid=password-submit]');
  await page.locator('[data-testid=error-current_password]').waitFor({ state: 'visible' });
  assert.match((await page.textContent('[data-testid=error-current_password]')) ?? '', /Mật khẩu hiện tại không đúng/);
  await shot('tools-23-account-password-error');
  await page.fill('[data-testid=current-password]', reviewer.password);
  await page.click('[data-testid=password-submit]');
  await page.locator('[data-testid=password-changed]').waitFor();
  await signOut(page);
  await signInWithForm(page, { username: reviewer.username, password: next });
});

browserTest('an operator creates an API token, sees it once, and revokes it; the list shows it revoked', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  await signIn(page, member);
  await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=menu-account]');
  await page.locator('[data-testid=token-name]').waitFor();
  const name = `Đồng bộ GIS ${unique()}`;
  await page.fill('[data-testid=token-name]', name);
  await page.selectOption('[data-testid=token-expiry]', '90');
  await page.click('[data-testid=token-create]');
  const secret = page.locator('[data-testid=token-secret]');
  await secret.waitFor();
  const token = await secret.inputValue();
  assert.match(token, /^hat_[A-Za-z0-9_-]{20,}$/);
  assert.match((await page.textContent('[data-testid=token-created]')) ?? '', /lần duy nhất/);
  await page.locator('[data-testid=token-created]').scrollIntoViewIfNeeded();
  await shot('tools-24-account-token-once', { fullPage: true });

  // The token works for the operator's systems.
  const me = await withToken(token, '/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal((await me.json()).token.operator, member.operator.code);

  const row = page.locator('[data-testid=token-table] tbody tr', { hasText: name });
  await row.waitFor();
  assert.ok(((await row.textContent()) ?? '').includes(`${token.slice(0, 10)}…`), 'the list shows the prefix only');
  assert.match((await row.locator('[data-testid=token-state]').textContent()) ?? '', /Đang dùng/);
  await page.click('[data-testid=token-created-close]');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await row.waitFor();
  assert.ok(!(await page.content()).includes(token), 'the token is not shown again');

  // Revoking asks first; cancelling keeps it.
  await row.locator('[data-testid=token-revoke]').click();
  await page.locator('[data-testid=confirm-dialog]').waitFor();
  await page.click('[data-testid=confirm-cancel]');
  assert.equal((await withToken(token, '/api/v1/auth/me')).status, 200, 'still valid after cancelling');
  await row.locator('[data-testid=token-revoke]').click();
  await page.click('[data-testid=confirm-ok]');
  await page.waitForFunction(
    (name) => [...document.querySelectorAll('[data-testid=token-table] tbody tr')].some((r) => r.textContent?.includes(name) && r.textContent.includes('Đã thu hồi')),
    name,
  );
  assert.equal(await row.locator('[data-testid=token-revoke]').count(), 0, 'a revoked token has no revoke button');
  assert.equal((await withToken(token, '/api/v1/auth/me')).status, 401, 'a revoked token stops working at once');
  await shot('tools-25-account-token-revoked', { fullPage: true });
});

browserTest('an operator imports a GeoJSON file of two poles: preview, commit, progress to done, and the poles in the registry and on the map', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const codes = [unique(`${member.operator.code}-NHAP-`), unique(`${member.operator.code}-NHAP-`)];
  const places = [nearby(CHANH_LO, 80), nearby(CHANH_LO, 80)];
  // Vietnamese column names, as operators' own files have them.
  const file = {
    type: 'FeatureCollection',
    features: codes.map((code, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: places[i] },
      properties: { 'Mã cột': code, 'Vật liệu': i === 0 ? 'concrete' : 'steel', 'Chiều cao': i === 0 ? 8.5 : 10, 'Ghi chú': 'Cột nhập từ tệp khảo sát' },
    })),
  };
  await signIn(page, member);
  await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=menu-import]');
  await page.locator('[data-testid=import-file]').waitFor({ state: 'attached' });
  assert.ok(((await page.textContent('[data-testid=import-operator-fixed]')) ?? '').includes(member.operator.short_name), 'a member imports for their own operator');
  await page.selectOption('[data-testid=import-kind]', 'poles');
  await page.setInputFiles('[data-testid=import-file]', { name: 'cot-khao-sat.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(file)) });
  assert.match((await page.textContent('[data-testid=import-file-chosen]')) ?? '', /cot-khao-sat\.geojson/);
  await shot('tools-26-import-choose');
  await page.click('[data-testid=import-upload]');

  // The preview: columns with samples, the CRS, the proposed mapping, the first rows.
  await page.locator('[data-testid=import-mapping]').waitFor({ timeout: 60_000 });
  assert.match(page.url(), /\/import\/\d+$/, 'the job has its own address');
  assert.equal(await page.inputValue('[data-testid="map-Mã cột"]'), 'code', 'the Vietnamese column name is recognised');
  assert.equal(await page.inputValue('[data-testid="map-Chiều cao"]'), 'height_m');
  assert.match((await page.textContent('[data-testid=import-crs-label]')) ?? '', /WGS84|4326/);
  assert.equal((await page.textContent('[data-testid=import-row-count]'))?.trim(), '2');
  const rows = (await page.textContent('[data-testid=import-rows]')) ?? '';
  for (const code of codes) assert.ok(rows.includes(code), `the preview shows ${code}`);
  // Leaving the note out, then taking it back: each change gives a new preview.
  await page.selectOption('[data-testid="map-Ghi chú"]', '');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-Ghi chú"]')?.classList.contains('unmapped'));
  await page.selectOption('[data-testid="map-Ghi chú"]', 'note');
  await page.waitForFunction(() => document.querySelector('[data-testid="map-Ghi chú"]')?.classList.contains('mapped'));
  await shot('tools-27-import-preview', { fullPage: true });

  // Commit: 202, then the page follows the job to the end.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=import-running] [data-testid=import-progress]')) w.__sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.click('[data-testid=import-commit]');
  await page.locator('[data-testid=import-done]').waitFor({ timeout: 90_000 });
  assert.ok(await page.evaluate(() => /** @type {any} */ (window).__sawProgress), 'a progress bar was shown while the job ran');
  assert.equal((await page.textContent('[data-testid=import-created]'))?.trim(), '2');
  assert.equal((await page.textContent('[data-testid=import-updated]'))?.trim(), '0');
  await shot('tools-28-import-done');

  // The registry has them.
  await page.click('[data-testid=import-to-registry]');
  await page.locator('[data-testid=registry-table] tbody tr, .registry-table .empty').first().waitFor({ timeout: 30_000 });
  if (await page.isChecked('[data-testid=registry-in-extent]')) await page.click('[data-testid=registry-in-extent]');
  await page.fill('[data-testid=registry-search]', `${member.operator.code}-NHAP-`);
  await page.waitForFunction(
    (codes) => {
      const text = document.querySelector('[data-testid=registry-table]')?.textContent ?? '';
      return document.querySelectorAll('[data-testid=registry-table] tbody tr').length === 2 && codes.every((c) => text.includes(c));
    },
    codes,
    { timeout: 30_000 },
  );
  assert.match((await page.textContent('[data-testid=registry-table]')) ?? '', /8,5/, 'the height, with the Vietnamese decimal comma');

  // And the map draws them.
  await page.goto(mapAt(CHANH_LO, 18), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => !!window.__hatangMap);
  await page.waitForFunction(
    (codes) => {
      const map = window.__hatangMap;
      if (!map || !map.getLayer('poles')) return false;
      const drawn = map.queryRenderedFeatures({ layers: ['poles'] }).map((f) => f.properties.code);
      return codes.every((c) => drawn.includes(c));
    },
    codes,
    { timeout: 45_000, polling: 300 },
  );
  await shot('tools-29-import-on-map');
});

browserTest('a file with wrong rows is checked and its problems are listed by row, field and column; nothing is written', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const bad = unique('BAD-');
  const csv = [
    'Mã cột,Vật liệu,Chiều cao,Kinh độ,Vĩ độ',
    `${bad}-1,concrete,999,108.8057,15.1132`,
    `${bad}-2,đá ong,8,108.8058,15.1133`,
    `${bad}-3,steel,9,15.1134,108.8059`,
  ].join('\n');
  await signIn(page, member);
  await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
  await page.setInputFiles('[data-testid=import-file]', { name: 'cot-loi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('[data-testid=import-upload]');
  await page.locator('[data-testid=import-rows]').waitFor({ timeout: 60_000 });
  // The preview already shows each row's problem.
  const preview = (await page.textContent('[data-testid=import-rows]')) ?? '';
  assert.match(preview, /tối đa 50 m/, 'the height of row 1, in Vietnamese');
  // “Gỗ” is mapped to wood now (the value mapping); a value no synonym names is refused.
  assert.match(preview, /“đá ong” không hợp lệ/);
  assert.match(preview, /bị đảo vĩ độ và kinh độ/);
  await page.click('[data-testid=import-validate]');
  await page.locator('[data-testid=import-invalid]').waitFor({ timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=import-invalid] h2')) ?? '', /3 vấn đề — chưa ghi gì/);
  const rows = await page.locator('[data-testid=import-problems] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
  assert.deepEqual(rows[0]?.slice(0, 3), ['1', 'Chiều cao (m)', 'Chiều cao'], 'row, field and column of the first problem');
  assert.ok(rows.some((r) => r[0] === '3' && r[1] === 'Vị trí trên bản đồ'), JSON.stringify(rows));
  await shot('tools-29b-import-problems', { fullPage: true });
  const written = await (await apiAs(member)).get(`/api/v1/poles?q=${bad}`);
  assert.equal(written.numberReturned, 0, 'nothing was written');
});

browserTest('too big a file and too many rows are refused with the limit', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  // More rows than the run's server takes (40).
  const lines = ['code,material,height_m,x,y'];
  for (let i = 0; i < 45; i++) lines.push(`${unique('MANY-')},concrete,8,${(108.8 + i * 0.0001).toFixed(4)},15.1130`);
  await signIn(page, member);
  await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
  await page.setInputFiles('[data-testid=import-file]', { name: 'nhieu-dong.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.click('[data-testid=import-upload]');
  // The server counts the rows when the file arrives and refuses it with both numbers.
  const refused = page.locator('[data-testid=import-upload-error]');
  await refused.waitFor({ timeout: 60_000 });
  assert.match((await refused.textContent()) ?? '', /Tệp có 45 dòng; mỗi lần nhập tối đa 40 dòng/);
  await shot('tools-29c-import-row-limit');

  // Larger than 1 MB.
  await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
  await page.setInputFiles('[data-testid=import-file]', { name: 'qua-lon.geojson', mimeType: 'application/geo+json', buffer: Buffer.alloc(1_300_000, 32) });
  await page.click('[data-testid=import-upload]');
  const error = page.locator('[data-testid=import-upload-error]');
  await error.waitFor({ timeout: 60_000 });
  assert.match((await error.textContent()) ?? '', /vượt quá giới hạn 1 MB/);
  await shot('tools-29d-import-too-large');
});

browserTest("the audit history lists an import's entries with the person's name, and gives them as CSV", {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const codes = await importedPoles(await apiAs(member), member.operator.code);
  await signIn(page, member);
  await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=menu-history]');
  await page.locator('[data-testid=audit-user]').waitFor();
  await page.fill('[data-testid=audit-user]', member.username);
  await page.selectOption('[data-testid=audit-action]', 'create');
  await page.click('[data-testid=audit-apply]');
  await page.waitForFunction(
    (codes) => {
      const text = document.querySelector('[data-testid=audit-table]')?.textContent ?? '';
      return codes.every((c) => text.includes(c));
    },
    codes,
    { timeout: 30_000 },
  );
  assert.ok(page.url().includes(`user=${encodeURIComponent(member.username)}`), 'the filters are in the address');
  for (const code of codes) {
    const row = page.locator('[data-testid=audit-table] tbody tr', { hasText: code });
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(member.display_name), `the person's name on ${code}: ${text}`);
    assert.match(text, /nhập tệp #\d+/, `the import job on ${code}`);
    assert.match(text, /Tạo mới/);
  }
  await shot('tools-30-audit-history', { fullPage: true });

  // The CSV link carries the same filters, and its file lists the entries.
  const href = (await page.getAttribute('[data-testid=audit-csv]', 'href')) ?? '';
  assert.match(href, /format=csv/);
  assert.ok(href.includes(`user=${encodeURIComponent(member.username)}`), href);
  const csv = await page.request.get(server.url + href);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  for (const code of codes) assert.ok(text.includes(code), `the CSV lists ${code}`);
  assert.ok(text.includes(member.display_name), 'the CSV names the person');
});

browserTest('the registry exports the filtered poles as CSV in VN-2000 TM-3', {}, async ({ page, server, shot }) => {
  const member = await newMember();
  const api = await apiAs(member);
  const poles = [await newPole(api, { operator: member.operator.code }), await newPole(api, { operator: member.operator.code })];
  await signIn(page, member);
  await page.goto(`${server.url}/registry/poles`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=registry-search]').waitFor();
  if (await page.isChecked('[data-testid=registry-in-extent]')) await page.click('[data-testid=registry-in-extent]');
  await page.fill('[data-testid=registry-search]', `${member.operator.code}-P`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=registry-table] tbody tr').length === 2, undefined, { timeout: 30_000 });
  await page.click('[data-testid=export-open]');
  await page.click('[data-testid=export-format-csv]');
  await page.selectOption('[data-testid=export-crs]', 'tm3:51');
  assert.ok(((await page.textContent('[data-testid=export-summary]')) ?? '').includes(`${member.operator.code}-P`));
  await shot('tools-31-registry-export');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('[data-testid=export-download]')]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  // The download is in the run's Chromium, maybe another process: read it through the connection.
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split(/\r?\n/);
  assert.equal(lines.length, 3, `a header and the two poles:\n${text}`);
  for (const pole of poles) assert.ok(text.includes(pole.properties.code));
  // TM-3 easting and northing in metres, not degrees.
  assert.match(text, /\b5\d{5}(\.\d+)?\b/, 'an easting near 586 km');
  assert.match(text, /\b16\d{5}(\.\d+)?\b/, 'a northing near 1671 km');
  await page.locator('[data-testid=export-done]').waitFor();
});

browserTest('an admin registers an operator; a wrong e-mail address is refused under its field', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto(`${server.url}/admin/operators`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=operators-table] tbody tr').first().waitFor();
  await page.click('[data-testid=operator-new]');
  const code = unique('CMC');
  await page.fill('[data-testid=operator-code]', code);
  await page.fill('[data-testid=operator-short_name]', 'CMC Telecom');
  await page.fill('[data-testid=operator-legal_name]', 'Công ty Cổ phần Hạ tầng Viễn thông CMC');
  await page.fill('[data-testid=operator-contact_email]', 'khong-phai-email');
  await page.click('[data-testid=operator-save]');
  await page.locator('[data-testid=error-contact_email]').waitFor({ state: 'visible' });
  assert.match((await page.textContent('[data-testid=error-contact_email]')) ?? '', /thư điện tử/);
  await page.fill('[data-testid=operator-contact_email]', 'kythuat@cmctelecom.example.vn');
  await page.click('[data-testid=operator-save]');
  await page.locator(`[data-testid=operators-table] tr[data-code="${code}"]`).waitFor();
  await shot('tools-32-admin-operators', { fullPage: true });
});

// Ward publication is a setting of the whole server: only this test changes it, and only for
// Nghĩa Lộ (21028), which no other test reads.
browserTest('an admin switches what a ward publishes; the toggle is saved at once', {}, async ({ page, server, shot }) => {
  const admin = await newUser({ role: 'admin' });
  await signIn(page, admin);
  await page.goto(`${server.url}/admin/publication`, { waitUntil: 'domcontentloaded' });
  const ward = page.locator('[data-testid=publication-table] tr[data-ward="21028"]');
  await ward.locator('[data-testid=publish-towers]:not([disabled])').waitFor();
  const before = await ward.locator('[data-testid=publish-towers]').isChecked();
  await ward.locator('[data-testid=publish-towers]').click();
  await ward.locator('.saved').waitFor();
  const publication = await (await apiAs(admin)).get('/api/v1/wards/21028/publication');
  assert.equal(publication.towers, !before, 'the server has the new setting');
  await shot('tools-33-admin-publication', { fullPage: true });
});

// Rules apply to every application of their province: this one is for Thanh Hóa (38), where no
// test files anything, and starts in 2027.
browserTest('an admin adds a rule: provisional ones stand out, and the value is a form of its kind, checked before sending', {}, async ({ page, server, shot }) => {
  const admin = await newUser({ role: 'admin' });
  const decision = `Quyết định ${unique()}/QĐ-UBND của UBND tỉnh Thanh Hóa`;
  await signIn(page, admin);
  await page.goto(`${server.url}/admin/rules`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=rules-table] tbody tr').first().waitFor();
  assert.ok((await page.locator('[data-testid=rules-table] tr.provisional [data-testid=rule-provisional]').count()) > 0, 'provisional rules are marked');
  assert.match((await page.textContent('[data-testid=rule-provisional] >> nth=0')) ?? '', /chưa đối chiếu/);
  await page.click('[data-testid=rule-new]');
  await page.selectOption('[data-testid=rule-key]', 'sharing.spacing');
  await page.selectOption('[data-testid=rule-province]', '38');
  await page.fill('[data-testid=rule-from]', '01/01/2027');
  // The value is a form of the rule's kind: a distance that is not a number is refused before sending.
  await page.selectOption('[data-testid=rule-value-mode]', 'required');
  await page.fill('[data-testid=rule-value-urban]', '150 m');
  await page.fill('[data-testid=rule-citation]', decision);
  await page.click('[data-testid=rule-save]');
  await page.locator('[data-testid=error-value]').waitFor({ state: 'visible' });
  assert.match((await page.textContent('[data-testid=error-value]')) ?? '', /phải là một số/);
  await shot('tools-34-admin-rule-value-error');
  await page.fill('[data-testid=rule-value-urban]', '150');
  await page.fill('[data-testid=rule-value-rural]', '400');
  await page.click('[data-testid=rule-save]');
  await page.locator('[data-testid=rule-dialog]').waitFor({ state: 'detached' });
  await page.waitForFunction((decision) => (document.querySelector('[data-testid=rules-table]')?.textContent ?? '').includes(decision), decision);
  const rules = await (await apiAs(admin)).get('/api/v1/rules');
  const added = rules.find((/** @type {any} */ r) => r.citation === decision);
  assert.ok(added, 'the rule was saved');
  assert.equal(added.valid_from, '2027-01-01', 'dd/MM/yyyy read as the day it says');
  assert.equal(added.province_code, '38');
  assert.deepEqual(added.value, { mode: 'required', urban_m: 150, rural_m: 400 });
  await shot('tools-35-admin-rules', { fullPage: true });
});

// Holidays move every deadline: this test changes a year no permit of the run reaches (three years on).
browserTest('an admin adds a holiday to a year and saves it', {}, async ({ page, server, shot }) => {
  const admin = await newUser({ role: 'admin' });
  const year = new Date().getFullYear() + 3;
  await signIn(page, admin);
  await page.goto(`${server.url}/admin/holidays`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=holiday-year]').waitFor();
  await page.fill('[data-testid=holiday-year]', String(year));
  await page.locator('[data-testid=holiday-year]').dispatchEvent('change');
  await page.locator(`[data-testid=holidays-table][data-year="${year}"]`).waitFor();
  await page.click('[data-testid=holiday-add]');
  const last = page.locator('[data-testid=holidays-table] tbody tr').last();
  await last.locator('[data-testid=holiday-day]').fill(`31/12/${year}`);
  await last.locator('[data-testid=holiday-day]').dispatchEvent('change');
  await last.locator('[data-testid=holiday-name]').fill('Ngày nghỉ thử');
  await page.click('[data-testid=holiday-save]');
  await page.locator('.toast-success').last().waitFor();
  const days = await (await apiAs(admin)).get(`/api/v1/calendar/${year}`);
  assert.ok(days.some((/** @type {any} */ d) => d.day === `${year}-12-31` && d.name === 'Ngày nghỉ thử' && d.day_off), JSON.stringify(days));
  await shot('tools-36-admin-holidays', { fullPage: true });
});

browserTest('the history check says the chain is intact and gives the head hash to record', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto(`${server.url}/admin/history-check`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=chain-intact]').waitFor({ timeout: 60_000 });
  assert.match(await page.inputValue('[data-testid=chain-head]'), /^[0-9a-f]{64}$/);
  await shot('tools-37-admin-history-check');
});

browserTest('the tool screens switch to English', {}, async ({ page, server, shot }) => {
  await signIn(page, await newUser({ role: 'admin' }));
  await page.goto(`${server.url}/admin/users`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=users-table]').waitFor();
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.locator('[data-testid=users-table]').waitFor();
  assert.match((await page.textContent('[data-testid=admin-tab-users]')) ?? '', /Users/);
  assert.match((await page.textContent('[data-testid=user-new]')) ?? '', /Add user/);
  await shot('tools-38-admin-users-english');
});

browserTest('the import wizard and the audit history fit a tablet', { viewport: 'tablet' }, async ({ page, server, shot }) => {
  const member = await newMember();
  await newPole(await apiAs(member), { operator: member.operator.code });
  await signIn(page, member);
  await page.goto(`${server.url}/import`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=import-upload]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, 'nothing wider than the screen');
  await shot('tools-39-import-tablet');
  await page.goto(`${server.url}/history`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=audit-table]').waitFor();
  await shot('tools-40-audit-tablet');
});
