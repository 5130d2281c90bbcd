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
// The demo's plans and figures are read, never changed: the task board that is
// worked is a plan of the test's own (newPlan), and every test signs in as a
// person of its own in the role whose work it is.
//
// Run: `npm test` (every file), or `node --test plans.test.mjs` after building.

import assert from 'node:assert/strict';
import { artifactPath, browserTest, signIn } from './harness.mjs';
import { TEST_PLAN_TITLE, admin, apiAs, newMember, newPlan, newUser } from './fixtures.mjs';

/** The five seed plans of the demo, by the unit each is for. */
const SEED_UNITS = ['Chánh Lộ', 'Minh Long', 'Phú Sơn', 'Thủy Nguyên', 'Trương Quang Trọng'];

/** @type {Promise<number> | null} */
let chanhLo = null;

/** The id of Chánh Lộ's plan in the demo (read through the API). */
function chanhLoPlan() {
  chanhLo ??= (async () => {
    const plans = await (await admin()).get('/api/v1/plans');
    const plan = plans.find((/** @type {any} */ p) => p.unit_name === 'Chánh Lộ' && !p.title.startsWith(TEST_PLAN_TITLE));
    assert.ok(plan, 'the demo has a plan for Chánh Lộ');
    return /** @type {number} */ (plan.id);
  })();
  return chanhLo;
}

/**
 * The progress table once it is drawn for the unit and year in the address (the table is
 * drawn whole, when the progress has loaded).
 * @param {import('playwright-core').Page} page
 */
async function targetsShown(page) {
  await page.locator('[data-testid=plan-targets] [data-testid=target-row]').first().waitFor();
}

browserTest('plans need a login; the list shows the five seed plans', { viewport: 'laptop' }, async ({ page, shot }) => {
  const reviewer = await newUser({ role: 'reviewer' });
  await page.goto('/ke-hoach', { waitUntil: 'domcontentloaded' });
  await page.locator('.notice a[href^="/login"]').waitFor();
  assert.equal(await page.locator('[data-testid=nav-plans]').count(), 0, 'no link to plans before signing in');

  // What the API lists now: the page lists at least these (tests running at once may add theirs).
  const api = await apiAs(reviewer);
  const before = (await api.get('/api/v1/plans')).map((/** @type {any} */ p) => p.id);
  await signIn(page, reviewer);
  await page.goto('/ke-hoach', { waitUntil: 'domcontentloaded' });
  // The page's shell comes first and the table when the plans have loaded: wait for the rows.
  await page.locator('[data-testid=plans-list] [data-testid=plan-row]').first().waitFor();
  assert.equal((await page.textContent('[data-testid=nav-plans]'))?.trim(), 'Kế hoạch');
  const rows = page.locator('[data-testid=plan-row]');
  const shown = await rows.evaluateAll((rs) =>
    rs.map((r) => ({ unit: r.getAttribute('data-unit') ?? '', title: r.querySelector('a')?.textContent ?? '', href: r.querySelector('a')?.getAttribute('href') ?? '' })),
  );
  const after = (await api.get('/api/v1/plans')).map((/** @type {any} */ p) => p.id);
  const ids = shown.map((r) => Number(r.href.match(/\/ke-hoach\/(\d+)/)?.[1]));
  for (const id of before) assert.ok(ids.includes(id), `plan ${id} of the API is listed`);
  for (const id of ids) assert.ok(after.includes(id), `plan ${id} listed is one of the API's`);
  // The demo's own: every row but the plans tests made (their titles say so) is one of the five.
  const seed = shown.filter((r) => !r.title.startsWith(TEST_PLAN_TITLE));
  assert.equal(seed.length, 5, `Chánh Lộ, Trương Quang Trọng, Minh Long, Phú Sơn and Thủy Nguyên: ${seed.map((r) => r.unit).join(', ')}`);
  assert.deepEqual(seed.map((r) => r.unit).sort(), SEED_UNITS);
  const chanhLoRow = rows.filter({ hasText: 'phường Chánh Lộ' });
  assert.equal(await chanhLoRow.count(), 1);
  const href = await chanhLoRow.locator('a').first().getAttribute('href');
  const planId = Number(href?.match(/\/ke-hoach\/(\d+)/)?.[1]);
  assert.ok(planId > 0, `the row links to the plan: ${href}`);
  assert.equal(planId, await chanhLoPlan());
  await shot('plans-00-list');
});

browserTest("Chánh Lộ's plan: every target has a figure, a gap, a trend, a light and a source, in Vietnamese format", { viewport: 'laptop' }, async ({ page, shot }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto(`/ke-hoach/${planId}?year=2026`, { waitUntil: 'domcontentloaded' });
  await targetsShown(page);
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
  await shot('plans-01-progress');
});

browserTest('the figures of Cẩm Thành, which took Chánh Lộ over on 1/7/2025, include its predecessors', { viewport: 'laptop' }, async ({ page, shot }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto(`/ke-hoach/${planId}?year=2026`, { waitUntil: 'domcontentloaded' });
  await targetsShown(page);
  const unit = page.locator('[data-testid=plan-unit]');
  const camThanh = await unit.locator('option', { hasText: 'Cẩm Thành' }).getAttribute('value');
  assert.ok(camThanh, 'Cẩm Thành is one of the units to count in');
  await unit.selectOption(camThanh);
  await page.waitForURL((url) => url.searchParams.get('unit') === camThanh);
  // The lineage is drawn with the unit's figures.
  const lineage = page.locator('[data-testid=plan-lineage]', { hasText: 'Nghĩa Chánh' });
  await lineage.waitFor();
  await targetsShown(page);
  const said = (await lineage.textContent()) ?? '';
  assert.match(said, /Chánh Lộ/, `the lineage names Chánh Lộ: ${said}`);
  assert.match(said, /Nghĩa Chánh/, `and the other wards merged into Cẩm Thành: ${said}`);
  assert.equal(await page.locator('[data-testid=target-row]').count(), 13);
  await shot('plans-02-cam-thanh');
});

browserTest('the plan screen switches to English', { viewport: 'laptop' }, async ({ page, shot }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto(`/ke-hoach/${planId}?year=2026`, { waitUntil: 'domcontentloaded' });
  await targetsShown(page);
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  // The table is drawn again in English: wait for the row in its new words.
  const smartphones = page.locator('[data-testid=target-row][data-indicator=adults_with_smartphone_pct][data-year="2025"]', { hasText: 'Adults with a smartphone' });
  await smartphones.waitFor();
  assert.match((await smartphones.locator('[data-testid=target-light]').textContent()) ?? '', /Met/);
  assert.match((await page.textContent('[data-testid=plan-tab-tasks]')) ?? '', /Tasks/);
  await shot('plans-02b-english');
  await page.click('[data-testid=lang-toggle]');
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
});

browserTest('the coverage map colours the tổ dân phố by fibre, then by 4G/5G', { viewport: 'laptop' }, async ({ page }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto(`/ke-hoach/${planId}?year=2026&tab=map`, { waitUntil: 'domcontentloaded' });
  const map = page.locator('[data-testid=coverage-map][data-features]');
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
});

browserTest('the task board puts overdue tasks first; the ward saves a status with its evidence', { viewport: 'laptop' }, async ({ page, shot }) => {
  // A plan of the test's own for Cẩm Thành, the reviewer's ward: two tasks overdue (due last
  // year, not done), two not (one due in 2030, one done), listed mixed.
  const year = new Date().getFullYear();
  const plan = await newPlan({
    tasks: [
      { title: 'Ngầm hóa tuyến cáp đường Hùng Vương', lead: 'Các doanh nghiệp viễn thông', operators_lead: true, due_on: '2030-06-30' },
      { title: 'Rà soát trạm BTS dùng chung', lead: 'Phòng Kinh tế, Hạ tầng và Đô thị', due_on: `${year - 1}-06-30` },
      { title: 'Lập danh mục tủ cáp', lead: 'Phòng Kinh tế, Hạ tầng và Đô thị', due_on: `${year - 1}-03-31`, status: 'done' },
      { title: 'Phủ sóng 5G khu dân cư mới', lead: 'Các doanh nghiệp viễn thông', operators_lead: true, due_on: `${year - 1}-12-31`, status: 'in_progress' },
    ],
  });
  await signIn(page, await newUser({ role: 'reviewer' }));
  await page.goto(`/ke-hoach/${plan.id}?tab=tasks`, { waitUntil: 'domcontentloaded' });
  const rows = page.locator('[data-testid=task-board] [data-testid=task-row]');
  await rows.first().waitFor();
  const all = await rows.count();
  assert.equal(all, 4, "the plan's four tasks");
  const overdueFlags = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-overdue')));
  const overdue = overdueFlags.filter((f) => f === 'true').length;
  assert.equal(overdue, 2, 'the two tasks past their date and not done are overdue');
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

  // It stays saved: after a reload the task is done, and the API says so.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator(`[data-testid=task-row][data-task="${taskId}"]`).waitFor();
  assert.equal(await page.locator(`[data-testid=task-row][data-task="${taskId}"] [data-testid=task-status]`).inputValue(), 'done');
  const tasks = await (await admin()).get(`/api/v1/plans/${plan.id}/tasks`);
  const stored = tasks.find((/** @type {any} */ t) => String(t.id) === taskId);
  assert.equal(stored?.status, 'done');
  assert.equal(stored?.evidence, 'Biên bản nghiệm thu số 12/BB-UBND (thử nghiệm)');
  await shot('plans-04-task-board');
});

browserTest('an operator reads the tasks but cannot change them', { viewport: 'laptop' }, async ({ page }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newMember());
  await page.goto(`/ke-hoach/${planId}?tab=tasks`, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-testid=task-row]').first().waitFor();
  assert.equal(await page.locator('[data-testid=task-save]').count(), 0, 'no save buttons for an operator');
  assert.equal(await page.locator('[data-testid=task-status]').first().isDisabled(), true);
});

browserTest('the reporting dates of the year, and what the operators filed', { viewport: 'laptop' }, async ({ page, shot }) => {
  const planId = await chanhLoPlan();
  await signIn(page, await newUser({ role: 'planner' }));
  await page.goto(`/ke-hoach/${planId}?tab=duties&year=2026`, { waitUntil: 'domcontentloaded' });
  const duties = page.locator('[data-testid=duties] [data-testid=duty-row]');
  await duties.first().waitFor();
  assert.ok((await duties.count()) >= 2, 'the reports to the ward and to the city');
  assert.match((await page.locator('[data-testid=duty-deadline]').first().textContent()) ?? '', /\d{2}\/\d{2}\/2026/);
  await shot('plans-05-duties');
  await page.click('[data-testid=plan-tab-filings]');
  await page.locator('[data-testid=filings-panel] [data-testid=filing-row]').first().waitFor();
  const operators = await page.locator('[data-testid=filing-row]').allTextContents();
  assert.ok(operators.some((r) => /VIETTEL/.test(r)) && operators.some((r) => /VNPT/.test(r)), `the operators that filed: ${operators.join(' | ')}`);
});

browserTest('the administrative units show the 2025 reorganisation', { viewport: 'laptop' }, async ({ page, shot }) => {
  await signIn(page, await newUser({ role: 'planner' }));
  await page.goto('/don-vi-hanh-chinh?level=ward&q=C%E1%BA%A9m%20Th%C3%A0nh', { waitUntil: 'domcontentloaded' });
  const camThanh = page.locator('[data-testid=units-table] [data-testid=unit-row]', { hasText: 'Cẩm Thành' }).first();
  await camThanh.waitFor();
  const text = (await camThanh.textContent()) ?? '';
  assert.match(text, /21025/, 'the code of 1/7/2025');
  assert.match(text, /01\/07\/2025/, 'in force from 1/7/2025');
  assert.match(text, /Chánh Lộ/, `formed from Chánh Lộ among others: ${text}`);
  assert.match(text, /1677\/NQ-UBTVQH15/, 'by Resolution 1677/NQ-UBTVQH15');
  await shot('plans-06-admin-units');

  // The old ward is still there, ended on 30/6/2025 and succeeded by Cẩm Thành.
  await page.fill('[data-testid=units-search]', 'Chánh Lộ');
  await page.press('[data-testid=units-search]', 'Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === 'Chánh Lộ');
  const chanhLoRow = page.locator('[data-testid=unit-row]', { hasText: '21031' }).first();
  await chanhLoRow.waitFor();
  assert.match((await chanhLoRow.textContent()) ?? '', /30\/06\/2025.*Cẩm Thành/s, 'ended on 30/6/2025, replaced by Cẩm Thành');
  await shot('plans-07-admin-units-ended');
  await page.check('[data-testid=units-current]');
  await page.waitForURL((url) => url.searchParams.get('current') === '1');
  await page.locator('[data-testid=unit-row]', { hasText: '21031' }).waitFor({ state: 'detached' });
  await page.locator('[data-testid=unit-row], .empty').first().waitFor();
  assert.equal(await page.locator('[data-testid=unit-row]', { hasText: '21031' }).count(), 0, 'ended wards are hidden when only current units are shown');
});
