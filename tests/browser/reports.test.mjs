// @ts-check
// The yearly report editor in a real browser against the real server: the
// ward's reviewer opens the report of the ward's plan for this year, reads the
// targets Hạ tầng drafted, writes the difficulties and proposals, saves,
// finalises (version 1, with its hash) and downloads the DOCX, PDF and XLSX
// annex. The PDF's pages are rendered to PNG (pdftoppm) beside the screenshots
// in test-artifacts/ (reports-*.png), to see that it looks like an office report.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { artifactPath, buildAll, launchBrowser, startServer } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import('playwright-core').Page} */
let page;
const pageErrors = [];

async function apiSession(who) {
  const login = await fetch(server.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  assert.equal(login.status, 200, `${who.username} can log in`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrf_token } = await login.json();
  const call = async (path, init = {}) => {
    const response = await fetch(server.url + path, { ...init, headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return { call, cookie };
}

describe('the yearly report editor', { timeout: 8 * 60_000 }, () => {
  /** @type {{username: string, password: string}} */
  let reviewer;
  let reportId = 0;
  let cookie = '';

  before(async () => {
    buildAll();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const admin = server.logins.find((l) => l.role === 'admin');
    const found = server.logins.find((l) => l.role === 'reviewer');
    assert.ok(admin && found, `the banner lists an admin and a reviewer:\n${server.log()}`);
    reviewer = found;
    // The reviewer's ward gets a plan with targets, a task done and one late, and its reporting duty.
    const session = await apiSession(reviewer);
    cookie = session.cookie;
    const adminApi = await apiSession(admin);
    const users = await adminApi.call('/api/v1/users');
    const account = (Array.isArray(users.body) ? users.body : users.body.users ?? []).find((u) => u.username === reviewer.username);
    const code = account?.scope?.[0];
    const wards = await adminApi.call('/api/v1/wards');
    const ward = wards.body.features.find((f) => f.properties.gso_code === code)?.id;
    assert.ok(ward, `the reviewer has a ward: ${JSON.stringify(account)}`);
    const year = new Date().getFullYear();
    const plan = await adminApi.call('/api/v1/plans', {
      method: 'POST',
      body: JSON.stringify({
        number: '45/KH-UBND', issued_on: `${year - 1}-03-10`, issuer: 'UBND phường', title: 'Kế hoạch phát triển hạ tầng số của phường', unit_id: ward,
        period_from: year - 1, period_to: 2030,
        targets: [
          { indicator: 'towers_shared_pct', target_value: 40, year: 2030, sentence: '40% trạm BTS dùng chung.' },
          { indicator: 'towers', target_value: 3, year, sentence: 'Ít nhất 3 trạm BTS.' },
        ],
        tasks: [
          { title: 'Rà soát hạ tầng dùng chung', lead: 'Phòng Kinh tế, Hạ tầng và Đô thị', due_on: `${year}-06-30`, status: 'done' },
          { title: 'Ngầm hóa tuyến Hai Bà Trưng', lead: 'Các doanh nghiệp viễn thông', operators_lead: true, due_on: `${year}-10-31` },
        ],
        duties: [{ reporter: 'UBND phường', recipient: 'UBND thành phố Quảng Ngãi', what: 'Báo cáo kết quả', due_day: 5, due_month: 12, reporter_kind: 'unit' }],
      }),
    });
    assert.equal(plan.status, 201, JSON.stringify(plan.body));
    const opened = await session.call('/api/v1/yearly-reports', { method: 'POST', body: JSON.stringify({ unit: ward, year, plan: plan.body.id }) });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    reportId = opened.body.id;
    // Sign the browser in as the reviewer.
    await page.goto(`${server.url}/login?next=${encodeURIComponent(`/bao-cao-nam/${reportId}`)}`, { waitUntil: 'domcontentloaded' });
    await page.fill('[data-testid=login-username]', reviewer.username);
    await page.fill('[data-testid=login-password]', reviewer.password);
    await page.click('[data-testid=login-submit]');
    await page.locator('[data-testid=user-name]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the reviewer writes difficulties and proposals, finalises and downloads', { timeout: 5 * 60_000 }, async () => {
    await page.goto(`${server.url}/bao-cao-nam/${reportId}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=report-page]').waitFor();
    const rows = page.locator('[data-testid=report-targets] tbody tr');
    assert.equal(await rows.count(), 2, 'every target of the plan');
    assert.match((await page.textContent('[data-testid=report-state]')) ?? '', /Dự thảo/);
    await page.fill('[data-testid=report-difficulties]', 'Kinh phí ngầm hóa còn hạn chế.\nThiếu cống bể trên đường Lê Lợi.');
    await page.fill('[data-testid=report-proposals]', 'Đề nghị UBND thành phố bố trí kinh phí ngầm hóa.');
    await page.fill('[data-testid=report-number]', '125/BC-UBND');
    await page.click('[data-testid=report-save]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=report-difficulties]'))?.textContent?.includes('Lê Lợi'));
    await page.screenshot({ path: artifactPath('reports-01-editor.png'), fullPage: true });

    await page.click('[data-testid=report-finalise]');
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    await page.screenshot({ path: artifactPath('reports-02-finalise.png') });
    await page.click('[data-testid=confirm-ok]');
    await page.locator('[data-testid=report-versions]').waitFor();
    assert.match((await page.textContent('[data-testid=report-state]')) ?? '', /phiên bản 1/);
    assert.match((await page.textContent('[data-testid=report-versions]')) ?? '', /SHA-256 [0-9a-f]{16}/);
    await page.screenshot({ path: artifactPath('reports-03-finalised.png'), fullPage: true });

    // The downloads the page links to.
    for (const [id, type] of [['report-docx', 'wordprocessingml'], ['report-pdf', 'application/pdf'], ['report-xlsx', 'spreadsheetml']]) {
      const href = await page.getAttribute(`[data-testid=${id}]`, 'href');
      const response = await fetch(server.url + href, { headers: { Cookie: cookie } });
      assert.equal(response.status, 200, `${id}: ${href}`);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(type));
      const bytes = Buffer.from(await response.arrayBuffer());
      if (id === 'report-pdf') {
        const file = artifactPath('reports-report.pdf');
        writeFileSync(file, bytes);
        execFileSync('pdftoppm', ['-r', '60', '-png', file, artifactPath('reports-pdf-page')]);
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString();
        for (const expected of ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'BÁO CÁO', 'Số: 125/BC-UBND', 'Thiếu cống bể trên đường Lê Lợi.', 'Nơi nhận:']) {
          assert.ok(text.includes(expected), `the PDF says ${expected}`);
        }
        assert.ok(!text.includes('DỰ THẢO'), 'a finalised report is not a draft');
      }
    }
    const errors = pageErrors.splice(0);
    assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
  });
});
