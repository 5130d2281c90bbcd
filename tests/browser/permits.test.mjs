// @ts-check
// The construction-permit workflow in a real browser against the real server:
// an operator applies for a tower (drawn on the map, with a PDF attached) and
// sees the pre-checks; the ward's reviewer takes it from the inbox to a
// granted permit and opens its print view; the operator is notified. Also the
// public statistics, the applications map layer and a stale action (409).
// Screenshots go to test-artifacts/ (permits-*.png).
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
let operator = { username: '', password: '' };
let reviewer = { username: '', password: '' };

/** The application the operator files; the reviewer grants it. */
const filed = { id: 0, reference: '', title: `Trạm BTS Chánh Lộ – thử nghiệm ${String(Date.now()).slice(-5)}` };

const watchdog = setTimeout(async () => {
  console.error('permit browser tests: the whole run took longer than 12 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 12 * 60_000);
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

async function checkNoPageErrors() {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
}

/** Signs out whoever is signed in, then signs in `who` through the login screen. */
async function signIn(who, next = '/permits') {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
  // The header says who is signed in once the session is known.
  await page.locator('[data-testid=user-menu], [data-testid=login-link]').first().waitFor();
  if (await page.locator('[data-testid=user-menu]').count()) {
    await page.click('[data-testid=user-menu]');
    await page.click('[data-testid=logout]');
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
  }
  await page.fill('[data-testid=login-username]', who.username);
  await page.fill('[data-testid=login-password]', who.password);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=user-name]').waitFor();
}

/** A session for API calls outside the browser (cookie and CSRF token). */
async function apiSession(who) {
  const login = await fetch(server.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  assert.equal(login.status, 200, `${who.username} can log in`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf_token } = await login.json();
  return async (path, init = {}) => {
    const response = await fetch(server.url + path, { ...init, headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

/** Clicks an action button and confirms its dialog after `fill` filled it in. */
async function act(action, fill = async () => undefined) {
  await page.click(`[data-testid=action-${action}]`);
  const dialog = page.locator(`[data-testid=action-dialog][data-action=${action}]`);
  await dialog.waitFor({ state: 'visible' });
  await fill();
  await dialog.locator('[data-testid=dialog-confirm]').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Waits until the page shows the application in `state`. */
async function stateIs(state) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=permit-state]')?.getAttribute('data-state') === s, state, { timeout: 20_000 });
}

describe('construction permits in the web app', { timeout: 11 * 60_000 }, () => {
  before(async () => {
    buildAll();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    const find = (name, role) => server.logins.find((l) => l.username === name && l.role === role);
    operator = find('vnpt.qng', 'operator_member') ?? operator;
    reviewer = find('canbo.camthanh', 'reviewer') ?? reviewer;
    assert.ok(operator.username && reviewer.username, `the banner lists vnpt.qng and canbo.camthanh:\n${server.log()}`);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[browser console] ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the public sees the statistics per ward without signing in', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/thong-ke-cap-phep`, { waitUntil: 'domcontentloaded' });
    // Since 1/7/2025 Chánh Lộ is part of Cẩm Thành (21025), whose People's Committee decides permits.
    const row = page.locator('[data-testid=stats-row][data-ward="21025"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.match((await row.textContent()) ?? '', /Cẩm Thành/);
    // The demo has one granted and one refused application in Cẩm Thành, and a median time.
    assert.ok(Number(cells[1]) >= 1 && Number(cells[2]) >= 1, `granted and refused counted: ${cells.join(' | ')}`);
    assert.match(cells[3] ?? '', /\d+ ngày/);
    assert.equal((await page.textContent('[data-testid=nav-permits]'))?.trim(), 'Cấp phép');
    await page.screenshot({ path: artifactPath('permits-00-stats.png') });
    await checkNoPageErrors();
  });

  test('an operator files a tower application drawn on the map, attaches a PDF, submits and sees the pre-checks', { timeout: 240_000 }, async () => {
    await signIn(operator);
    await page.locator('[data-testid=permit-table], [data-testid=permit-empty]').first().waitFor();
    await page.screenshot({ path: artifactPath('permits-01-operator-list.png') });
    await page.click('[data-testid=permit-new]');
    await page.locator('[data-testid=permit-form]').waitFor();
    await page.waitForFunction(() => !!window.__hatangMap);
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8052, 15.1128], zoom: 17 }));
    await mapIdle();

    // Saving with nothing filled in: the problems show by their fields.
    await page.fill('[data-testid=permit-title]', '');
    await page.click('[data-testid=permit-save]');
    await page.locator('[data-testid=permit-invalid]').waitFor();
    assert.equal(await page.locator('[data-testid=error-title]').isVisible(), true, 'the title is required');
    assert.equal(await page.locator('[data-testid=error-geometry]').isVisible(), true, 'the site must be drawn');

    // Draw the tower's site: one click on the map.
    const box = await page.locator('[data-testid=map]').boundingBox();
    assert.ok(box);
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.querySelector('[data-testid=permit-draw-hint]')?.textContent?.includes('Đã vẽ'));
    const drawnAt = await page.evaluate(({ x, y }) => window.__hatangMap?.unproject([x, y]).toArray(), { x: at.x - box.x, y: at.y - box.y });

    await page.selectOption('[data-testid=permit-works-type]', 'tower');
    await page.fill('[data-testid=permit-title]', filed.title);
    await page.fill('[data-testid=permit-description]', 'Cột đơn thân 30 m trên đất thuê, phục vụ 4G/5G.');
    await page.fill('[data-testid=permit-planned-start]', '04/01/2027');
    await page.fill('[data-testid=permit-planned-end]', '31/03/2027');
    await page.selectOption('[data-testid=permit-tower-class]', 'A2b');
    await page.fill('[data-testid=permit-tower-height]', '30,5');
    await page.selectOption('[data-testid=permit-tower-placement]', 'ground');
    await page.selectOption('[data-testid=permit-tower-structure]', 'monopole');
    await page.fill('[data-testid=permit-asset-code]', `VNPT-QNI-T${String(Date.now()).slice(-4)}`);
    await page.screenshot({ path: artifactPath('permits-02-new-application.png') });
    await page.click('[data-testid=permit-save]');
    await page.locator('[data-testid=permit-step-documents]').waitFor();
    const note = (await page.textContent('[data-testid=permit-draft-note]')) ?? '';
    const reference = note.match(/HS-\d{4}-\d{6}/)?.[0];
    assert.ok(reference, `the draft has a reference: ${note}`);
    filed.reference = reference;
    filed.id = Number(page.url().match(/\/permits\/(\d+)\/edit/)?.[1]);
    assert.ok(filed.id > 0, `the address names the draft: ${page.url()}`);

    // A file whose name does not match its content is refused, with the server's reason.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.setInputFiles('[data-testid=attachment-input]', { name: 'mat-bang.png', mimeType: 'image/png', buffer: pdf });
    const refused = page.locator('[data-testid=upload-error]');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /mat-bang\.png.*PDF/);
    // The real PDF goes in.
    await page.setInputFiles('[data-testid=attachment-input]', { name: 'ban-ve-mat-bang.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.locator('[data-testid=attachment-link]', { hasText: 'ban-ve-mat-bang.pdf' }).waitFor();

    await page.click('[data-testid=permit-submit]');
    const dialog = page.locator('[data-testid=action-dialog][data-action=submit]');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('[data-testid=dialog-confirm]').click();
    await page.waitForURL(`${server.url}/permits/${filed.id}`);
    await stateIs('submitted');
    assert.equal((await page.textContent('[data-testid=permit-reference]'))?.trim(), filed.reference);

    // The pre-checks: the sharing check, with its outcome and the rule it cites.
    const sharing = page.locator('[data-testid=finding][data-check=sharing]');
    await sharing.waitFor();
    assert.match((await sharing.locator('[data-testid=finding-outcome]').textContent()) ?? '', /Lưu ý|Vướng quy định|Đạt/);
    assert.match((await sharing.locator('[data-testid=finding-message]').textContent()) ?? '', /200 m/);
    assert.match((await sharing.locator('[data-testid=finding-citation]').textContent()) ?? '', /^Căn cứ: .{10,}/);
    assert.ok((await page.locator('[data-testid=finding][data-check=exemption]').count()) === 1, 'the exemption check is listed');
    // The site and the 200 m sharing ring are drawn on the map, the ring around the drawn point.
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permit-site-ring'] }).length ?? 0) > 0, undefined, { timeout: 30_000 });
    await page.waitForFunction(() => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permit-site-point'] }).length ?? 0) === 1, undefined, { timeout: 30_000 });
    const application = await (await apiSession(operator))(`/api/v1/permits/${filed.id}`);
    assert.ok(drawnAt);
    const [lon, lat] = application.body.geometry.coordinates;
    assert.ok(Math.abs(lon - drawnAt[0]) < 1e-5 && Math.abs(lat - drawnAt[1]) < 1e-5, 'the site is where it was drawn');
    assert.equal(application.body.tower.height_m, 30.5, 'the Vietnamese decimal comma is read');
    assert.equal(application.body.proposed_assets[0].kind, 'tower', 'the tower to register is proposed');
    assert.equal(application.body.attachments.length, 1, 'one attachment, the refused one was not kept');
    // The clock: the completeness check is due, with its date.
    assert.match((await page.textContent('[data-testid=completeness-due]')) ?? '', /^\d{2}\/\d{2}\/\d{4}$/);
    await mapIdle();
    await page.screenshot({ path: artifactPath('permits-03-application-findings.png') });
    await sharing.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('permits-03b-findings-list.png') });
    await checkNoPageErrors();
  });

  test('the reviewer finds it in the inbox, checks, accepts and grants it; the print view shows the number', { timeout: 240_000 }, async () => {
    assert.ok(filed.id, 'the operator filed an application');
    await signIn(reviewer);
    const row = page.locator(`[data-testid=permit-row][data-reference="${filed.reference}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Đã nộp/);
    assert.match((await row.textContent()) ?? '', /Còn \d+ ngày làm việc/);
    await page.screenshot({ path: artifactPath('permits-04-reviewer-inbox.png') });
    await row.locator('[data-testid=permit-link]').click();
    await page.waitForURL(`${server.url}/permits/${filed.id}`);
    await stateIs('submitted');

    // Someone acts meanwhile (another tab): the page's action is stale and the server says why.
    const asReviewer = await apiSession(reviewer);
    const meanwhile = await asReviewer(`/api/v1/permits/${filed.id}/actions/begin_check`, { method: 'POST', body: '{}' });
    assert.equal(meanwhile.status, 200);
    await page.click('[data-testid=action-begin_check]');
    await page.locator('[data-testid=action-dialog] [data-testid=dialog-confirm]').click();
    const conflict = page.locator('[data-testid=dialog-conflict]');
    await conflict.waitFor();
    assert.match((await conflict.textContent()) ?? '', /completeness_check/);
    await conflict.locator('button').click();
    await stateIs('completeness_check');

    // A refusal needs a written reason: without one the dialog says so and nothing is sent.
    await act('accept');
    await stateIs('under_review');
    await page.click('[data-testid=action-refuse]');
    await page.locator('[data-testid=action-dialog] [data-testid=dialog-confirm]').click();
    await page.locator('[data-testid=dialog-error-reason]').waitFor({ state: 'visible' });
    await page.click('[data-testid=dialog-cancel]');
    await stateIs('under_review');

    await act('grant', async () => {
      await page.fill('[data-testid=dialog-conditions]', 'Sơn cột màu xanh lá; treo biển chủ sở hữu theo QCVN 33:2019.');
    });
    await stateIs('granted');
    const number = page.locator('[data-testid=permit-number]');
    await number.waitFor();
    const permitNumber = ((await number.textContent()) ?? '').match(/\d+\/\d{4}\/GPXD-21025/)?.[0];
    assert.ok(permitNumber, `a permit number: ${await number.textContent()}`);
    assert.match((await page.textContent('[data-testid=permit-conditions]')) ?? '', /QCVN 33:2019/);
    assert.equal(await page.locator('[data-testid=action-lapse]').count(), 0, 'a fresh permit is not offered to lapse');
    const print = page.locator('[data-testid=permit-print]');
    assert.equal(await print.getAttribute('href'), `/api/v1/permits/${filed.id}/permit.html`);
    assert.match((await page.getAttribute('[data-testid=permit-verify]', 'href')) ?? '', /^\/verify\?number=.+&code=[0-9A-F]{12}$/);
    await mapIdle();
    await page.screenshot({ path: artifactPath('permits-05-granted.png') });

    // The print view opens in a new tab and shows the number.
    const [printView] = await Promise.all([browser.context.waitForEvent('page'), print.click()]);
    await printView.waitForLoadState('domcontentloaded');
    const printed = (await printView.textContent('body')) ?? '';
    assert.ok(printed.includes(permitNumber), `the print view shows ${permitNumber}`);
    await printView.screenshot({ path: artifactPath('permits-06-print-view.png') });
    await printView.close();
    await checkNoPageErrors();
  });

  test('the operator is notified of the grant and reads it', { timeout: 120_000 }, async () => {
    assert.ok(filed.reference, 'the application was granted');
    await signIn(operator, '/');
    const count = page.locator('[data-testid=bell-count]');
    await count.waitFor({ state: 'visible' });
    assert.ok(Number(await count.textContent()) >= 1, 'unread notifications are counted');
    await page.click('[data-testid=bell]');
    const grant = page.locator('[data-testid=notification]', { hasText: `${filed.reference}` }).filter({ hasText: 'Đã cấp phép' });
    await grant.first().waitFor();
    assert.match((await grant.first().textContent()) ?? '', /Đang thẩm định → Đã cấp phép/);
    await page.screenshot({ path: artifactPath('permits-07-notifications.png') });
    // In English, the same notification in English.
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.click('[data-testid=bell]');
    await page.locator('[data-testid=notification]', { hasText: `Application ${filed.reference}` }).first().waitFor();
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    await page.click('[data-testid=bell]');
    await grant.first().locator('[data-testid=notification-open]').click();
    await page.waitForURL(`${server.url}/permits/${filed.id}`);
    await stateIs('granted');
    await page.click('[data-testid=bell]');
    await page.click('[data-testid=notifications-read-all]');
    await count.waitFor({ state: 'hidden' });
    await checkNoPageErrors();
  });

  test('the applications layer draws the operator\'s applications by state, with a legend', { timeout: 120_000 }, async () => {
    await page.goto(server.url + '/', { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!window.__hatangMap);
    await mapIdle();
    await page.check('[data-testid=layer-permits]');
    await page.locator('[data-testid=permits-legend]').waitFor();
    assert.match((await page.textContent('[data-testid=permits-legend]')) ?? '', /Đã cấp phép/);
    await page.evaluate(() => window.__hatangMap?.jumpTo({ center: [108.8052, 15.1128], zoom: 15 }));
    await page.waitForFunction(
      (ref) => (window.__hatangMap?.queryRenderedFeatures({ layers: ['permits-point', 'permits-line', 'permits-area'] }) ?? []).some((f) => f.properties.reference === ref && f.properties.state === 'granted'),
      filed.reference,
      { timeout: 30_000 },
    );
    await mapIdle();
    await page.screenshot({ path: artifactPath('permits-08-applications-layer.png') });
    await checkNoPageErrors();
  });
});
