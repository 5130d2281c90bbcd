// @ts-check
// The yearly report editor in a real browser against the real server: the
// ward's reviewer opens the report of the ward's plan for this year, reads the
// targets Hạ tầng drafted, writes the difficulties and proposals, saves,
// finalises (version 1, with its hash) and downloads the DOCX, PDF and XLSX
// annex. The PDF's pages are rendered to PNG (pdftoppm) beside the screenshots
// in test-artifacts/ (reports-*.png), to see that it looks like an office report.
//
// The plan, its report and the reviewer are the test's own (the demo's plans are read by
// plans.test.mjs, and a report is one per unit, year and plan).
//
// Run: `npm test` (every file), or `node --test reports.test.mjs` after building.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { artifactPath, browserTest, signIn } from './harness.mjs';
import { apiAs, newPlan, newUser, wardId } from './fixtures.mjs';

browserTest('the reviewer writes difficulties and proposals, finalises and downloads', { viewport: 'laptop', timeout: 5 * 60_000 }, async ({ page, shot }) => {
  // A reviewer of Cẩm Thành (21025), and a plan of the ward with targets, a task done and one
  // late, and its reporting duty; the reviewer opens the year's report of that plan.
  const reviewer = await newUser({ role: 'reviewer' });
  const year = new Date().getFullYear();
  const plan = await newPlan({
    targets: [
      { indicator: 'towers_shared_pct', target_value: 40, year: 2030, sentence: '40% trạm BTS dùng chung.' },
      { indicator: 'towers', target_value: 3, year, sentence: 'Ít nhất 3 trạm BTS.' },
    ],
    tasks: [
      { title: 'Rà soát hạ tầng dùng chung', lead: 'Phòng Kinh tế, Hạ tầng và Đô thị', due_on: `${year}-06-30`, status: 'done' },
      { title: 'Ngầm hóa tuyến Hai Bà Trưng', lead: 'Các doanh nghiệp viễn thông', operators_lead: true, due_on: `${year}-10-31` },
    ],
    duties: [{ reporter: 'UBND phường', recipient: 'UBND thành phố Quảng Ngãi', what: 'Báo cáo kết quả', due_day: 5, due_month: 12, reporter_kind: 'unit' }],
  });
  const opened = await (await apiAs(reviewer)).call('POST', '/api/v1/yearly-reports', { body: { unit: await wardId('21025'), year, plan: plan.id } });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const reportId = opened.body.id;

  await signIn(page, reviewer);
  await page.goto(`/bao-cao-nam/${reportId}`, { waitUntil: 'domcontentloaded' });
  const rows = page.locator('[data-testid=report-page] [data-testid=report-targets] tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2, 'every target of the plan');
  assert.match((await page.textContent('[data-testid=report-state]')) ?? '', /Dự thảo/);
  await page.fill('[data-testid=report-difficulties]', 'Kinh phí ngầm hóa còn hạn chế.\nThiếu cống bể trên đường Lê Lợi.');
  await page.fill('[data-testid=report-proposals]', 'Đề nghị UBND thành phố bố trí kinh phí ngầm hóa.');
  await page.fill('[data-testid=report-number]', '125/BC-UBND');
  await page.click('[data-testid=report-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=report-difficulties]')?.textContent?.includes('Lê Lợi'));
  await shot('reports-01-editor', { fullPage: true });

  await page.click('[data-testid=report-finalise]');
  await page.locator('[data-testid=confirm-dialog]').waitFor();
  await shot('reports-02-finalise');
  await page.click('[data-testid=confirm-ok]');
  await page.locator('[data-testid=report-versions]', { hasText: 'SHA-256' }).waitFor();
  assert.match((await page.textContent('[data-testid=report-state]')) ?? '', /phiên bản 1/);
  assert.match((await page.textContent('[data-testid=report-versions]')) ?? '', /SHA-256 [0-9a-f]{16}/);
  await shot('reports-03-finalised', { fullPage: true });

  // The downloads the page links to, as the signed-in reviewer.
  for (const [id, type] of [['report-docx', 'wordprocessingml'], ['report-pdf', 'application/pdf'], ['report-xlsx', 'spreadsheetml']]) {
    const href = await page.getAttribute(`[data-testid=${id}]`, 'href');
    assert.ok(href, `${id} is linked`);
    const response = await page.request.get(href);
    assert.equal(response.status(), 200, `${id}: ${href}`);
    assert.match(response.headers()['content-type'] ?? '', new RegExp(type));
    const bytes = await response.body();
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
});
