// @ts-check
// A refusal shows the server's reason in the person's language (issue 12): the
// app words `error.reason` and `error.params` (here `not_own_operator` with the
// operator's code), in Vietnamese and in English, instead of a generic
// "không có quyền" or the server's English text.
//
// Run alone: cd tests/browser && node --test problems.test.mjs

import assert from 'node:assert/strict';
import { browserTest, signIn } from './harness.mjs';
import { apiAs, newMember, newPole } from './fixtures.mjs';

browserTest('an operator saving another operator’s pole is told why it is refused, in Vietnamese and in English', {}, async ({ page, server, shot }) => {
  const owner = await newMember();
  const pole = await newPole(await apiAs(owner), { operator: owner.operator.code });
  const other = await newMember();
  const otherApi = await apiAs(other);

  // What the server says to this person for this change.
  const current = await otherApi.call('GET', `/api/v1/poles/${pole.id}`);
  const refused = await otherApi.call('PATCH', `/api/v1/poles/${pole.id}`, {
    headers: { 'If-Match': current.etag ?? '' },
    contentType: 'application/merge-patch+json',
    body: { properties: { note: 'thử' } },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.reason, 'not_own_operator');
  assert.equal(refused.body.error.params.operator, other.operator.code);

  await signIn(page, other);
  for (const [lang, expected] of [
    ['vi', `${other.operator.code} chỉ được thay đổi tài sản của chính mình; tài sản này thuộc doanh nghiệp khác.`],
    ['en', `${other.operator.code} may change only its own assets; this one belongs to another operator.`],
  ]) {
    await page.goto(`${server.url}/?edit=poles:${pole.id}`, { waitUntil: 'domcontentloaded' });
    if (lang === 'en') {
      await page.evaluate(() => localStorage.setItem('hatang.lang', 'en'));
      await page.reload({ waitUntil: 'domcontentloaded' });
    }
    await page.locator('[data-testid=field-note]').waitFor();
    await page.fill('[data-testid=field-note]', 'Đã kiểm tra tại hiện trường');
    await page.click('[data-testid=edit-save]');
    const alert = page.locator('.notice-error[role=alert]').filter({ hasText: other.operator.code });
    await alert.waitFor();
    assert.equal((await alert.textContent())?.trim(), expected);
    await shot(`problems-refused-${lang}`);
  }
  const after = await otherApi.get(`/api/v1/poles/${pole.id}`);
  assert.equal(after.properties.note, null, 'nothing was saved');
});
