// Glossary marks, the glossary and amendments pages, and the overdue
// notice, as a reader meets them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { buildSite, fileUrl, openPage, axe, setUp } = require('./lib');

let browser;
setUp({ build: false, ready: (s) => ({ browser } = s) });

test('a term is an abbreviation with its expansion, linked to its glossary entry', async () => {
  const site = buildSite(undefined, { HANDBOOK_TODAY: '2026-12-01' });
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'team-around-the-family/index.html'));
  const abbr = page.locator('main abbr', { hasText: /^TAF$/ });
  assert.equal(await abbr.count(), 1, 'marked once on the page');
  assert.equal(await abbr.getAttribute('title'), 'Team Around the Family');
  assert.equal(await page.locator('main h1 abbr, main h2 abbr, main h3 abbr').count(), 0);
  await abbr.click();
  await page.waitForURL(/glossary\.html#taf$/);
  assert.equal(await page.evaluate(() => document.querySelector(':target').textContent.trim()), 'TAF (Team Around the Family)');
  assert.deepEqual(await axe(page), [], 'glossary page');

  for (const rel of ['team-around-the-family/the-meeting.html', 'amendments.html']) {
    const p = await openPage(context, fileUrl(site, rel));
    assert.deepEqual(await axe(p), [], rel);
  }
  await context.close();
});

test('a page past its review date shows the notice, and it passes axe', async () => {
  const site = buildSite(undefined, { HANDBOOK_TODAY: '2027-10-02' });
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'lead-professional/changing.html'));
  assert.equal(await page.locator('.review-notice').count(), 0, 'reviewed November 2026: not yet due');
  await page.goto(fileUrl(site, 'team-around-the-family/the-meeting.html'));
  const notice = page.locator('.review-notice');
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /This page is due for review\. It was last reviewed on 1 October 2026 and was due for review on 1 October 2027\./);
  assert.match(await page.locator('.page-meta').textContent(), /Last reviewed 1 October 2026/);
  assert.deepEqual(await axe(page), []);
  await context.close();
});
