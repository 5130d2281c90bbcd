// @ts-check
// Plans and indicators in a real browser against the real server and the demo
// data: the ward's staff open Chánh Lộ's plan of digital infrastructure and
// see every target with its figure, the gap, a trend, a traffic light and the
// source, in Vietnamese number format; switch the unit to Cẩm Thành, the ward
// that took Chánh Lộ over on 1/7/2025; colour the coverage map of its tổ dân
// phố; work the task board (overdue first, a status and its evidence saved);
// read the reporting dates; and find the 2025 reorganisation in the
// administrative units. Screenshots go to test-artifacts/ (plans-*.png).
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
let reviewer = { username: '', password: '' };
let planner = { username: '', password: '' };
let operator = { username: '', password: '' };
/** The id of Chánh Lộ's plan in the demo. */
let planId = 0;

const watchdog = setTimeout(async () => {
  console.error('plan browser tests: the whole run took longer than 10 minutes; stopping');
  await server?.stop().catch(() => undefined);
  process.exit(1);
}, 10 * 60_000);
watchdog.unref();

async function checkNoPageErrors() {
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
}

/** Signs out whoever is signed in, then signs in `who` through the login screen. */
async function signIn(who, next) {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'domcontentloaded' });
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

/** The progress table once it is drawn for the unit and year in the address. */
async function targetsShown() {
  await page.locator('[data-testid=plan-targets] [data-testid=target-row]').first().waitFor();
}

describe('plans and indicators in the web app', { timeout: 9 * 60_000 }, () => {
  before(async () => {
    buildAll();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    const find = (name, role) => server.logins.find((l) => l.username === name && l.role === role);
    reviewer = find('canbo.camthanh', 'reviewer') ?? reviewer;
    planner = find('quyhoach.qng', 'planner') ?? planner;
    operator = find('viettel.qng', 'operator_member') ?? operator;
    assert.ok(reviewer.username && planner.username && operator.username, `the banner lists canbo.camthanh, quyhoach.qng and viettel.qng:\n${server.log()}`);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`[browser console] ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('plans need a login; the list shows the five seed plans', { timeout: 90_000 }, async () => {
    await page.goto(`${server.url}/ke-hoach`, { waitUntil: 'domcontentloaded' });
    await page.locator('.notice a[href^="/login"]').waitFor();
    assert.equal(await page.locator('[data-testid=nav-plans]').count(), 0, 'no link to plans before signing in');

    await signIn(reviewer, '/ke-hoach');
    // The page's shell comes first and the table when the plans have loaded: wait for the rows.
    await page.locator('[data-testid=plans-list] [data-testid=plan-row]').first().waitFor();
    assert.equal((await page.textContent('[data-testid=nav-plans]'))?.trim(), 'Kế hoạch');
    const rows = page.locator('[data-testid=plan-row]');
    assert.equal(await rows.count(), 5, 'Chánh Lộ, Trương Quang Trọng, Minh Long, Phú Sơn and Thủy Nguyên');
    const chanhLo = rows.filter({ hasText: 'phường Chánh Lộ' });
    assert.equal(await chanhLo.count(), 1);
    const href = await chanhLo.locator('a').first().getAttribute('href');
    planId = Number(href?.match(/\/ke-hoach\/(\d+)/)?.[1]);
    assert.ok(planId > 0, `the row links to the plan: ${href}`);
    await page.screenshot({ path: artifactPath('plans-00-list.png') });
    await checkNoPageErrors();
  });

  test("Chánh Lộ's plan: every target has a figure, a gap, a trend, a light and a source, in Vietnamese format", { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/ke-hoach/${planId}?year=2026`, { waitUntil: 'domcontentloaded' });
    await targetsShown();
    assert.match((await page.textContent('[data-testid=plan-title]')) ?? '', /Chánh Lộ/);
    const rows = page.locator('[data-testid=target-row]');
    assert.equal(await rows.count(), 13, 'the thirteen targets of the plan');
    // Every target has a figure in the demo: no grey light, none without a value.
    assert.equal(await page.locator('[data-testid=target-light][data-light=grey]').count(), 0, 'no target without a figure');
    const values = await page.locator('[data-testid=target-value]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value')));
    assert.ok(values.every((v) => v !== ''), `every target has a value: ${values.join(', ')}`);
    assert.equal(await page.locator('[data-testid=target-trend]').count(), 13, 'a trend line for every target');
    assert.equal(await page.locator('[data-testid=target-source]').count(), 13, 'a source for every figure');

    // The smartphone share is declared by the ward: 84,6 % (a comma for decimals), 80 % due in 2025, met.
    const smartphones = page.locator('[data-testid=target-row][data-indicator=adults_with_smartphone_pct][data-year="2025"]');
    assert.equal((await smartphones.locator('[data-testid=target-value] .value').textContent())?.trim(), '84,6 %');
    assert.match((await smartphones.locator('[data-testid=target-gap]').textContent()) ?? '', /vượt 4,6 điểm %/);
    assert.equal(await smartphones.getAttribute('data-status'), 'met');
    assert.equal(await smartphones.locator('[data-testid=target-light]').getAttribute('data-light'), 'green');
    assert.match((await smartphones.locator('[data-testid=target-source]').textContent()) ?? '', /Bộ phận kê khai/);
    assert.equal(await smartphones.locator('[data-testid=target-trend]').getAttribute('data-points'), '3', 'three years of figures');

    // Mobile broadband by tổ dân phố comes from the registry and the operators' filings: 11 of 12, behind.
    const mobile = page.locator('[data-testid=target-row][data-indicator=neighbourhoods_with_mobile_broadband_pct]');
    assert.match((await mobile.locator('[data-testid=target-value]').textContent()) ?? '', /91,67 %.*11\/12/s);
    assert.equal(await mobile.locator('[data-testid=target-light]').getAttribute('data-light'), 'red');
    assert.match((await mobile.locator('[data-testid=target-source]').textContent()) ?? '', /Doanh nghiệp báo cáo/);

    // The summary counts agree with the rows.
    const statuses = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')));
    for (const status of ['met', 'on_track', 'at_risk', 'behind', 'no_data']) {
      const chip = page.locator(`[data-testid=plan-summary] [data-status=${status}]`);
      assert.equal(Number(await chip.getAttribute('data-count')), statuses.filter((s) => s === status).length, `${status} counted`);
    }
    await smartphones.locator('.provenance-details summary').click();
    await page.screenshot({ path: artifactPath('plans-01-progress.png') });
    await checkNoPageErrors();
  });

  test('the figures of Cẩm Thành, which took Chánh Lộ over on 1/7/2025, include its predecessors', { timeout: 90_000 }, async () => {
    const unit = page.locator('[data-testid=plan-unit]');
    const camThanh = await unit.locator('option', { hasText: 'Cẩm Thành' }).getAttribute('value');
    assert.ok(camThanh, 'Cẩm Thành is one of the units to count in');
    await unit.selectOption(camThanh);
    await page.waitForURL((url) => url.searchParams.get('unit') === camThanh);
    await targetsShown();
    const lineage = (await page.textContent('[data-testid=plan-lineage]')) ?? '';
    assert.match(lineage, /Chánh Lộ/, `the lineage names Chánh Lộ: ${lineage}`);
    assert.match(lineage, /Nghĩa Chánh/, `and the other wards merged into Cẩm Thành: ${lineage}`);
    assert.equal(await page.locator('[data-testid=target-row]').count(), 13);
    await page.screenshot({ path: artifactPath('plans-02-cam-thanh.png') });
    await checkNoPageErrors();
  });

  test('the plan screen switches to English', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/ke-hoach/${planId}?year=2026`, { waitUntil: 'domcontentloaded' });
    await targetsShown();
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await targetsShown();
    const smartphones = page.locator('[data-testid=target-row][data-indicator=adults_with_smartphone_pct][data-year="2025"]');
    assert.match((await smartphones.textContent()) ?? '', /Adults with a smartphone/);
    assert.match((await smartphones.locator('[data-testid=target-light]').textContent()) ?? '', /Met/);
    assert.match((await page.textContent('[data-testid=plan-tab-tasks]')) ?? '', /Tasks/);
    await page.screenshot({ path: artifactPath('plans-02b-english.png') });
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    await checkNoPageErrors();
  });

  test('the coverage map colours the tổ dân phố by fibre, then by 4G/5G', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/ke-hoach/${planId}?year=2026&tab=map`, { waitUntil: 'domcontentloaded' });
    const map = page.locator('[data-testid=coverage-map]');
    await map.waitFor();
    assert.equal(await map.getAttribute('data-features'), '12', "Chánh Lộ's twelve tổ dân phố");
    await page.waitForFunction(() => document.querySelector('[data-testid=coverage-map]')?.getAttribute('data-ready') === 'true', undefined, { timeout: 60_000 });
    assert.equal(await page.locator('[data-testid=coverage-label]').count(), 12, 'a label for each tổ dân phố');
    const first = page.locator('[data-testid=coverage-label]').first();
    assert.match((await first.locator('.coverage-label-name').textContent()) ?? '', /^Tổ dân phố \d+$/);
    assert.match((await first.locator('.coverage-label-value').textContent()) ?? '', /^\d+ %$/, 'the share in whole percent');
    await page.selectOption('[data-testid=coverage-measure]', 'population_4g5g_covered_pct');
    // Tổ dân phố 11 has weak coverage in the demo: under 50 % of its people.
    await page.waitForFunction(() => /^[0-4]?\d %$/.test(document.querySelector('[data-testid=coverage-label][data-name="Tổ dân phố 11"] .coverage-label-value')?.textContent ?? ''));
    await page.locator('.coverage').screenshot({ path: artifactPath('plans-03-coverage-map.png') });
    // A click on a unit tells its figures and where they come from.
    const weak = await page.locator('[data-testid=coverage-label][data-name="Tổ dân phố 11"]').boundingBox();
    assert.ok(weak);
    await page.mouse.click(weak.x + weak.width / 2, weak.y + weak.height / 2);
    const popup = page.locator('[data-testid=coverage-popup]');
    await popup.waitFor();
    const said = (await popup.textContent()) ?? '';
    assert.match(said, /Tổ dân phố 11/);
    assert.match(said, /37,8 %/, `its 4G/5G share, with a decimal comma: ${said}`);
    assert.match(said, /MOBIFONE/, 'and who filed it');
    await page.locator('.coverage').screenshot({ path: artifactPath('plans-03b-coverage-popup.png') });
    await checkNoPageErrors();
  });

  test('the task board puts overdue tasks first; the ward saves a status with its evidence', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/ke-hoach/${planId}?tab=tasks`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=task-board]').waitFor();
    const rows = page.locator('[data-testid=task-row]');
    await rows.first().waitFor();
    const all = await rows.count();
    const overdueFlags = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-overdue')));
    const overdue = overdueFlags.filter((f) => f === 'true').length;
    assert.ok(overdue >= 1, 'the demo has overdue tasks');
    assert.deepEqual(overdueFlags.slice(0, overdue), Array(overdue).fill('true'), 'overdue tasks come first');
    assert.match((await page.textContent('[data-testid=tasks-overdue-count]')) ?? '', new RegExp(`Quá hạn: ${overdue}`));

    await page.check('[data-testid=tasks-only-overdue]');
    assert.equal(await rows.count(), overdue, 'only the overdue tasks');
    await page.uncheck('[data-testid=tasks-only-overdue]');
    assert.equal(await rows.count(), all);

    // Mark the first overdue task done, with its evidence: it leaves the overdue ones.
    const first = rows.first();
    const taskId = await first.getAttribute('data-task');
    await first.locator('[data-testid=task-status]').selectOption('done');
    await first.locator('[data-testid=task-evidence]').fill('Biên bản nghiệm thu số 12/BB-UBND (thử nghiệm)');
    await first.locator('[data-testid=task-save]').click();
    const saved = page.locator(`[data-testid=task-row][data-task="${taskId}"]`);
    await page.waitForFunction((id) => document.querySelector(`[data-testid=task-row][data-task="${id}"]`)?.getAttribute('data-overdue') === 'false', taskId);
    assert.equal(await saved.locator('[data-testid=task-status]').inputValue(), 'done');
    assert.equal(await saved.locator('[data-testid=task-evidence]').inputValue(), 'Biên bản nghiệm thu số 12/BB-UBND (thử nghiệm)');
    assert.match((await page.textContent('[data-testid=tasks-overdue-count]')) ?? '', new RegExp(`Quá hạn: ${overdue - 1}`));

    // It stays saved: after a reload the task is done.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator(`[data-testid=task-row][data-task="${taskId}"]`).waitFor();
    assert.equal(await page.locator(`[data-testid=task-row][data-task="${taskId}"] [data-testid=task-status]`).inputValue(), 'done');
    await page.screenshot({ path: artifactPath('plans-04-task-board.png') });
    await checkNoPageErrors();
  });

  test('an operator reads the tasks but cannot change them', { timeout: 90_000 }, async () => {
    await signIn(operator, `/ke-hoach/${planId}?tab=tasks`);
    await page.locator('[data-testid=task-row]').first().waitFor();
    assert.equal(await page.locator('[data-testid=task-save]').count(), 0, 'no save buttons for an operator');
    assert.equal(await page.locator('[data-testid=task-status]').first().isDisabled(), true);
    await checkNoPageErrors();
  });

  test('the reporting dates of the year, and what the operators filed', { timeout: 90_000 }, async () => {
    await signIn(planner, `/ke-hoach/${planId}?tab=duties&year=2026`);
    await page.locator('[data-testid=duties]').waitFor();
    const duties = page.locator('[data-testid=duty-row]');
    assert.ok((await duties.count()) >= 2, 'the reports to the ward and to the city');
    assert.match((await page.locator('[data-testid=duty-deadline]').first().textContent()) ?? '', /\d{2}\/\d{2}\/2026/);
    await page.screenshot({ path: artifactPath('plans-05-duties.png') });
    await page.click('[data-testid=plan-tab-filings]');
    await page.locator('[data-testid=filings-panel]').waitFor();
    const operators = await page.locator('[data-testid=filing-row]').allTextContents();
    assert.ok(operators.some((r) => /VIETTEL/.test(r)) && operators.some((r) => /VNPT/.test(r)), `the operators that filed: ${operators.join(' | ')}`);
    await checkNoPageErrors();
  });

  test('the administrative units show the 2025 reorganisation', { timeout: 90_000 }, async () => {
    await page.goto(`${server.url}/don-vi-hanh-chinh?level=ward&q=C%E1%BA%A9m%20Th%C3%A0nh`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=units-table]').waitFor();
    const camThanh = page.locator('[data-testid=unit-row]', { hasText: 'Cẩm Thành' }).first();
    await camThanh.waitFor();
    const text = (await camThanh.textContent()) ?? '';
    assert.match(text, /21025/, 'the code of 1/7/2025');
    assert.match(text, /01\/07\/2025/, 'in force from 1/7/2025');
    assert.match(text, /Chánh Lộ/, `formed from Chánh Lộ among others: ${text}`);
    assert.match(text, /1677\/NQ-UBTVQH15/, 'by Resolution 1677/NQ-UBTVQH15');
    await page.screenshot({ path: artifactPath('plans-06-admin-units.png') });

    // The old ward is still there, ended on 30/6/2025 and succeeded by Cẩm Thành.
    await page.fill('[data-testid=units-search]', 'Chánh Lộ');
    await page.press('[data-testid=units-search]', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === 'Chánh Lộ');
    const chanhLo = page.locator('[data-testid=unit-row]', { hasText: '21031' }).first();
    await chanhLo.waitFor();
    assert.match((await chanhLo.textContent()) ?? '', /30\/06\/2025.*Cẩm Thành/s, 'ended on 30/6/2025, replaced by Cẩm Thành');
    await page.screenshot({ path: artifactPath('plans-07-admin-units-ended.png') });
    await page.check('[data-testid=units-current]');
    await page.waitForURL((url) => url.searchParams.get('current') === '1');
    await page.locator('[data-testid=unit-row], .empty').first().waitFor();
    assert.equal(await page.locator('[data-testid=unit-row]', { hasText: '21031' }).count(), 0, 'ended wards are hidden when only current units are shown');
    await checkNoPageErrors();
  });
});
