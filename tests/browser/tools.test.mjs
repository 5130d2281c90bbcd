// @ts-check
// The tool screens in a real browser against the real server: administration
// (accounts, operators, ward publication, rules, holidays, the history check),
// one's own account (password, API tokens), importing a file through the
// wizard, exporting from the registry, and the audit history. Screenshots of
// each screen go to test-artifacts/ (20-… onwards; app.test.mjs empties the
// folder first when both run).
//
// Run: make test, or `npm test` here after building.

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
/** @type {Record<string, {username: string, password: string}>} */
const logins = {};

const watchdog = setTimeout(async () => {
  console.error('tool screen tests: the whole run took longer than 12 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 12 * 60_000);
watchdog.unref();

const unique = String(Date.now()).slice(-6);

async function checkNoPageErrors() {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
}

/** Signs in through the login form (signing out whoever was signed in). */
async function signIn(username, password) {
  await page.context().clearCookies();
  await page.goto(`${server.url}/login`, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor({ timeout: 30_000 });
}

/** Signs in as `username` unless that person is signed in already (each test can run alone). */
async function ensureSignedIn(username) {
  const me = await page.request.get(`${server.url}/api/v1/auth/me`);
  if (me.ok() && (await me.json()).user?.username === username) return;
  await signIn(username, logins[username]?.password ?? '');
}

/** Signs out through the user menu. */
async function signOut() {
  await page.click('[data-testid=user-menu]');
  await page.click('[data-testid=logout]');
  await page.locator('[data-testid=login-link]').waitFor();
}

/** A screenshot of the whole page, however long (the page scrolls inside #screen). */
async function shot(name) {
  const height = await page.evaluate(() => {
    const screen = document.getElementById('screen');
    return Math.min(2600, 52 + (screen?.scrollHeight ?? 716));
  });
  await page.setViewportSize({ width: 1366, height: Math.max(768, height) });
  await page.screenshot({ path: artifactPath(name) });
  await page.setViewportSize({ width: 1366, height: 768 });
}

/** The API with a bearer token (no cookie). */
async function withToken(token, path) {
  return fetch(server.url + path, { headers: { Authorization: `Bearer ${token}` } });
}

describe('tool screens', { timeout: 11 * 60_000 }, () => {
  before(async () => {
    buildAll();
    // Small limits for this server only, so that the size and row-limit errors can be shown.
    process.env.HATANG_IMPORT_MAX_MB = '1';
    process.env.HATANG_IMPORT_MAX_ROWS = '40';
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    for (const login of server.logins) logins[login.username] = login;
    assert.ok(logins.admin && logins['vnpt.qng'], `the banner lists the demo logins:\n${server.log()}`);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('401')) console.log(`[browser console] ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const reviewer = { username: `canbo.thu${unique}`, name: 'Cán bộ thử nghiệm phường Nghĩa Lộ', password: '' };

  test('an admin creates a reviewer account and sees its password once; the reviewer signs in with it', { timeout: 120_000 }, async () => {
    await signIn('admin', logins.admin.password);
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=menu-admin]');
    await page.locator('[data-testid=users-table] tbody tr').first().waitFor();
    assert.match((await page.textContent('[data-testid=users-table]')) ?? '', /vnpt\.qng/);
    await shot('20-admin-users.png');

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
    await page.screenshot({ path: artifactPath('21-admin-user-form.png') });
    await page.click('[data-testid=user-save]');

    const secret = page.locator('[data-testid=user-password-value]');
    await secret.waitFor();
    reviewer.password = await secret.inputValue();
    assert.match(reviewer.password, /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/, 'a generated password of four groups');
    assert.match((await page.textContent('[data-testid=password-dialog]')) ?? '', /chỉ hiển thị lần này/);
    await page.screenshot({ path: artifactPath('22-admin-user-password-once.png') });
    await page.click('[data-testid=user-password-done]');
    await page.locator('[data-testid=password-dialog]').waitFor({ state: 'detached' });
    const row = page.locator(`[data-testid=users-table] tr[data-username="${reviewer.username}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Nghĩa Lộ/);
    assert.ok(!((await page.content()).includes(reviewer.password)), 'the password is not shown again');
    await checkNoPageErrors();

    await signOut();
    await signIn(reviewer.username, reviewer.password);
    assert.match((await page.textContent('[data-testid=user-name]')) ?? '', /Cán bộ thử nghiệm/);
    assert.match((await page.textContent('[data-testid=user-name]')) ?? '', /Cán bộ xây dựng phường/);
    await page.click('[data-testid=user-menu]');
    assert.equal(await page.locator('[data-testid=menu-admin]').count(), 0, 'no administration for a reviewer');
    assert.equal(await page.locator('[data-testid=menu-import]').count(), 0, 'no import for a reviewer');
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/admin/users`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=access-denied]').waitFor();
    await checkNoPageErrors();
  });

  test('the new reviewer changes the password: problems are said by field, then it works', { timeout: 90_000 }, async () => {
    assert.ok(reviewer.password, 'the account of the previous test');
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
    const next = `Mat-khau-moi-${unique}`;
    await page.fill('[data-testid=current-password]', 'not-the-password');
    await page.fill('[data-testid=new-password]', next);
    await page.fill('[data-testid=confirm-password]', next);
    await page.click('[data-testid=password-submit]');
    await page.locator('[data-testid=error-current_password]').waitFor({ state: 'visible' });
    assert.match((await page.textContent('[data-testid=error-current_password]')) ?? '', /Mật khẩu hiện tại không đúng/);
    await page.screenshot({ path: artifactPath('23-account-password-error.png') });
    await page.fill('[data-testid=current-password]', reviewer.password);
    await page.click('[data-testid=password-submit]');
    await page.locator('[data-testid=password-changed]').waitFor();
    await signOut();
    await signIn(reviewer.username, next);
    reviewer.password = next;
    await checkNoPageErrors();
  });

  test('an operator creates an API token, sees it once, and revokes it; the list shows it revoked', { timeout: 120_000 }, async () => {
    await signIn('vnpt.qng', logins['vnpt.qng'].password);
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=menu-account]');
    await page.locator('[data-testid=token-name]').waitFor();
    const name = `Đồng bộ GIS ${unique}`;
    await page.fill('[data-testid=token-name]', name);
    await page.selectOption('[data-testid=token-expiry]', '90');
    await page.click('[data-testid=token-create]');
    const secret = page.locator('[data-testid=token-secret]');
    await secret.waitFor();
    const token = await secret.inputValue();
    assert.match(token, /^hat_[A-Za-z0-9_-]{20,}$/);
    assert.match((await page.textContent('[data-testid=token-created]')) ?? '', /lần duy nhất/);
    await page.locator('[data-testid=token-created]').scrollIntoViewIfNeeded();
    await shot('24-account-token-once.png');

    // The token works for the operator's systems.
    const me = await withToken(token, '/api/v1/auth/me');
    assert.equal(me.status, 200);
    assert.equal((await me.json()).token.operator, 'VNPT');

    const row = page.locator('[data-testid=token-table] tbody tr', { hasText: name });
    await row.waitFor();
    assert.ok(((await row.textContent()) ?? '').includes(`${token.slice(0, 10)}…`), 'the list shows the prefix only');
    assert.match((await row.locator('[data-testid=token-state]').textContent()) ?? '', /Đang dùng/);
    await page.click('[data-testid=token-created-close]');
    await page.reload({ waitUntil: 'domcontentloaded' });
    await row.waitFor();
    assert.ok(!((await page.content()).includes(token)), 'the token is not shown again');

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
    await shot('25-account-token-revoked.png');
    await checkNoPageErrors();
  });

  const codes = [`VNPT-NHAP-${unique}-1`, `VNPT-NHAP-${unique}-2`];
  const places = [
    [108.80571, 15.11318],
    [108.80608, 15.11344],
  ];

  test('an operator imports a GeoJSON file of two poles: preview, commit, progress to done, and the poles in the registry and on the map', { timeout: 180_000 }, async () => {
    // Vietnamese column names, as operators' own files have them.
    await ensureSignedIn('vnpt.qng');
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    const file = {
      type: 'FeatureCollection',
      features: codes.map((code, i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: places[i] },
        properties: { 'Mã cột': code, 'Vật liệu': i === 0 ? 'concrete' : 'steel', 'Chiều cao': i === 0 ? 8.5 : 10, 'Ghi chú': 'Cột nhập từ tệp khảo sát' },
      })),
    };
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=menu-import]');
    await page.locator('[data-testid=import-file]').waitFor({ state: 'attached' });
    assert.match((await page.textContent('[data-testid=import-operator-fixed]')) ?? '', /VNPT/, 'a member imports for their own operator');
    await page.selectOption('[data-testid=import-kind]', 'poles');
    await page.setInputFiles('[data-testid=import-file]', { name: 'cot-khao-sat.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(file)) });
    assert.match((await page.textContent('[data-testid=import-file-chosen]')) ?? '', /cot-khao-sat\.geojson/);
    await page.screenshot({ path: artifactPath('26-import-choose.png') });
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
    await shot('27-import-preview.png');

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
    await page.screenshot({ path: artifactPath('28-import-done.png') });

    // The registry has them.
    await page.click('[data-testid=import-to-registry]');
    await page.locator('[data-testid=registry-table] tbody tr, .registry-table .empty').first().waitFor({ timeout: 30_000 });
    if (await page.isChecked('[data-testid=registry-in-extent]')) await page.click('[data-testid=registry-in-extent]');
    await page.fill('[data-testid=registry-search]', `VNPT-NHAP-${unique}`);
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
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await page.evaluate((c) => window.__hatangMap?.jumpTo({ center: c, zoom: 18 }), places[0]);
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
    await page.screenshot({ path: artifactPath('29-import-on-map.png') });
    await checkNoPageErrors();
  });

  test('a file with wrong rows is checked and its problems are listed by row, field and column; nothing is written', { timeout: 120_000 }, async () => {
    const bad = `BAD-${unique}`;
    const csv = [
      'Mã cột,Vật liệu,Chiều cao,Kinh độ,Vĩ độ',
      `${bad}-1,concrete,999,108.8057,15.1132`,
      `${bad}-2,đá ong,8,108.8058,15.1133`,
      `${bad}-3,steel,9,15.1134,108.8059`,
    ].join('\n');
    await ensureSignedIn('vnpt.qng');
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
    await shot('29b-import-problems.png');
    const written = await page.request.get(`${server.url}/api/v1/poles?q=${bad}`);
    assert.equal((await written.json()).numberReturned, 0, 'nothing was written');
    await checkNoPageErrors();
  });

  test('too big a file and too many rows are refused with the limit', { timeout: 90_000 }, async () => {
    // More rows than this server takes (40).
    const lines = ['code,material,height_m,x,y'];
    for (let i = 0; i < 45; i++) lines.push(`MANY-${unique}-${i},concrete,8,${(108.8 + i * 0.0001).toFixed(4)},15.1130`);
    await ensureSignedIn('vnpt.qng');
    await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
    await page.setInputFiles('[data-testid=import-file]', { name: 'nhieu-dong.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.click('[data-testid=import-upload]');
    // The server counts the rows when the file arrives and refuses it with both numbers.
    const refused = page.locator('[data-testid=import-upload-error]');
    await refused.waitFor({ timeout: 60_000 });
    assert.match((await refused.textContent()) ?? '', /Tệp có 45 dòng; mỗi lần nhập tối đa 40 dòng/);
    await page.screenshot({ path: artifactPath('29c-import-row-limit.png') });

    // Larger than 1 MB.
    await page.goto(`${server.url}/import?kind=poles`, { waitUntil: 'domcontentloaded' });
    await page.setInputFiles('[data-testid=import-file]', { name: 'qua-lon.geojson', mimeType: 'application/geo+json', buffer: Buffer.alloc(1_300_000, 32) });
    await page.click('[data-testid=import-upload]');
    const error = page.locator('[data-testid=import-upload-error]');
    await error.waitFor({ timeout: 60_000 });
    assert.match((await error.textContent()) ?? '', /vượt quá giới hạn 1 MB/);
    await page.screenshot({ path: artifactPath('29d-import-too-large.png') });
    await checkNoPageErrors();
  });

  test("the audit history lists the import's entries with the person's name, and gives them as CSV", { timeout: 90_000 }, async () => {
    await ensureSignedIn('vnpt.qng');
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=menu-history]');
    await page.locator('[data-testid=audit-user]').waitFor();
    await page.fill('[data-testid=audit-user]', 'vnpt.qng');
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
    assert.match(page.url(), /user=vnpt\.qng/, 'the filters are in the address');
    for (const code of codes) {
      const row = page.locator('[data-testid=audit-table] tbody tr', { hasText: code });
      const text = (await row.textContent()) ?? '';
      assert.match(text, /VNPT Quảng Ngãi/, `the person's name on ${code}`);
      assert.match(text, /nhập tệp #\d+/, `the import job on ${code}`);
      assert.match(text, /Tạo mới/);
    }
    await shot('30-audit-history.png');

    // The CSV link carries the same filters, and its file lists the entries.
    const href = (await page.getAttribute('[data-testid=audit-csv]', 'href')) ?? '';
    assert.match(href, /format=csv/);
    assert.match(href, /user=vnpt\.qng/);
    const csv = await page.request.get(server.url + href);
    assert.equal(csv.status(), 200);
    const text = await csv.text();
    for (const code of codes) assert.ok(text.includes(code), `the CSV lists ${code}`);
    assert.ok(text.includes('VNPT Quảng Ngãi'), 'the CSV names the person');
    await checkNoPageErrors();
  });

  test('the registry exports the filtered poles as CSV in VN-2000 TM-3', { timeout: 90_000 }, async () => {
    await ensureSignedIn('vnpt.qng');
    await page.goto(`${server.url}/registry/poles`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=registry-search]').waitFor();
    if (await page.isChecked('[data-testid=registry-in-extent]')) await page.click('[data-testid=registry-in-extent]');
    await page.fill('[data-testid=registry-search]', `VNPT-NHAP-${unique}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=registry-table] tbody tr').length === 2, undefined, { timeout: 30_000 });
    await page.click('[data-testid=export-open]');
    await page.click('[data-testid=export-format-csv]');
    await page.selectOption('[data-testid=export-crs]', 'tm3:51');
    assert.match((await page.textContent('[data-testid=export-summary]')) ?? '', new RegExp(`VNPT-NHAP-${unique}`));
    await page.screenshot({ path: artifactPath('31-registry-export.png') });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('[data-testid=export-download]')]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const path = await download.path();
    assert.ok(path);
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    assert.equal(lines.length, 3, `a header and the two poles:\n${text}`);
    for (const code of codes) assert.ok(text.includes(code));
    // TM-3 easting and northing in metres, not degrees.
    assert.match(text, /\b5\d{5}(\.\d+)?\b/, 'an easting near 586 km');
    assert.match(text, /\b16\d{5}(\.\d+)?\b/, 'a northing near 1671 km');
    await page.locator('[data-testid=export-done]').waitFor();
    await checkNoPageErrors();
  });

  test('the admin screens: operators, ward publication, rules with a form per kind, holidays, and the history check', { timeout: 150_000 }, async () => {
    await signIn('admin', logins.admin.password);

    // Operators: register one; it appears with its contacts.
    await page.goto(`${server.url}/admin/operators`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=operators-table] tbody tr').first().waitFor();
    await page.click('[data-testid=operator-new]');
    const code = `CMC${unique.slice(-3)}`;
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
    await shot('32-admin-operators.png');

    // Ward publication: a toggle is saved at once.
    await page.goto(`${server.url}/admin/publication`, { waitUntil: 'domcontentloaded' });
    const ward = page.locator('[data-testid=publication-table] tr[data-ward="21028"]');
    await ward.locator('[data-testid=publish-towers]:not([disabled])').waitFor();
    const before = await ward.locator('[data-testid=publish-towers]').isChecked();
    await ward.locator('[data-testid=publish-towers]').click();
    await ward.locator('.saved').waitFor();
    const publication = await page.request.get(`${server.url}/api/v1/wards/21028/publication`);
    assert.equal((await publication.json()).towers, !before, 'the server has the new setting');
    await shot('33-admin-publication.png');

    // Rules: provisional ones stand out; the value is checked as JSON before sending.
    await page.goto(`${server.url}/admin/rules`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=rules-table] tbody tr').first().waitFor();
    assert.ok((await page.locator('[data-testid=rules-table] tr.provisional [data-testid=rule-provisional]').count()) > 0, 'provisional rules are marked');
    assert.match((await page.textContent('[data-testid=rule-provisional] >> nth=0')) ?? '', /chưa đối chiếu/);
    await page.click('[data-testid=rule-new]');
    await page.selectOption('[data-testid=rule-key]', 'sharing.spacing');
    await page.selectOption('[data-testid=rule-province]', '51');
    await page.fill('[data-testid=rule-from]', '01/01/2027');
    // The value is a form of the rule's kind: a distance that is not a number is refused before sending.
    await page.selectOption('[data-testid=rule-value-mode]', 'required');
    await page.fill('[data-testid=rule-value-urban]', '150 m');
    await page.fill('[data-testid=rule-citation]', `Quyết định ${unique}/QĐ-UBND của UBND tỉnh Quảng Ngãi`);
    await page.click('[data-testid=rule-save]');
    await page.locator('[data-testid=error-value]').waitFor({ state: 'visible' });
    assert.match((await page.textContent('[data-testid=error-value]')) ?? '', /phải là một số/);
    await page.screenshot({ path: artifactPath('34-admin-rule-value-error.png') });
    await page.fill('[data-testid=rule-value-urban]', '150');
    await page.fill('[data-testid=rule-value-rural]', '400');
    await page.click('[data-testid=rule-save]');
    await page.locator('[data-testid=rule-dialog]').waitFor({ state: 'detached' });
    await page.waitForFunction((unique) => (document.querySelector('[data-testid=rules-table]')?.textContent ?? '').includes(`Quyết định ${unique}/QĐ-UBND`), unique);
    const rules = await (await page.request.get(`${server.url}/api/v1/rules`)).json();
    const added = rules.find((r) => r.citation.includes(`${unique}/QĐ-UBND`));
    assert.ok(added, 'the rule was saved');
    assert.equal(added.valid_from, '2027-01-01', 'dd/MM/yyyy read as the day it says');
    assert.equal(added.province_code, '51');
    assert.deepEqual(added.value, { mode: 'required', urban_m: 150, rural_m: 400 });
    await shot('35-admin-rules.png');

    // Holidays: add a day to next year and save the year.
    const year = new Date().getFullYear() + 1;
    await page.goto(`${server.url}/admin/holidays`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=holiday-year]').waitFor();
    await page.fill('[data-testid=holiday-year]', String(year));
    await page.locator('[data-testid=holiday-year]').dispatchEvent('change');
    await page.locator(`[data-testid=holidays-table][data-year="${year}"]`).waitFor();
    await page.click('[data-testid=holiday-add]');
    const last = page.locator('[data-testid=holidays-table] tbody tr').last();
    // The year's calendar is loaded already (2027 from the Labour Code): a day of the ward's own.
    await last.locator('[data-testid=holiday-day]').fill(`31/12/${year}`);
    await last.locator('[data-testid=holiday-day]').dispatchEvent('change');
    await last.locator('[data-testid=holiday-name]').fill('Ngày nghỉ thử');
    await page.click('[data-testid=holiday-save]');
    await page.locator('.toast-success').last().waitFor();
    const days = await (await page.request.get(`${server.url}/api/v1/calendar/${year}`)).json();
    assert.ok(days.some((d) => d.day === `${year}-12-31` && d.name === 'Ngày nghỉ thử' && d.day_off), JSON.stringify(days));
    await shot('36-admin-holidays.png');

    // The history check: intact, with the head hash to record.
    await page.goto(`${server.url}/admin/history-check`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=chain-intact]').waitFor({ timeout: 60_000 });
    assert.match(await page.inputValue('[data-testid=chain-head]'), /^[0-9a-f]{64}$/);
    await shot('37-admin-history-check.png');
    await checkNoPageErrors();
  });

  test('the tool screens switch to English', { timeout: 60_000 }, async () => {
    await ensureSignedIn('admin');
    await page.goto(`${server.url}/admin/users`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=users-table]').waitFor();
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator('[data-testid=users-table]').waitFor();
    assert.match((await page.textContent('[data-testid=admin-tab-users]')) ?? '', /Users/);
    assert.match((await page.textContent('[data-testid=user-new]')) ?? '', /Add user/);
    await page.screenshot({ path: artifactPath('38-admin-users-english.png') });
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    await checkNoPageErrors();
  });

  test('the import wizard and the audit history fit a tablet', { timeout: 60_000 }, async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    try {
      await page.goto(`${server.url}/import`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid=import-upload]').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      assert.equal(overflow, false, 'nothing wider than the screen');
      await page.screenshot({ path: artifactPath('39-import-tablet.png') });
      await page.goto(`${server.url}/history`, { waitUntil: 'domcontentloaded' });
      await page.locator('[data-testid=audit-table]').waitFor();
      await page.screenshot({ path: artifactPath('40-audit-tablet.png') });
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    await checkNoPageErrors();
  });
});
