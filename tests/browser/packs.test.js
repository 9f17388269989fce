// Course packs: one document whose links stay inside it, and in print
// every page and form starts on a new sheet.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { fileUrl, openPage, axe, setUp } = require('./lib');

let site;
let browser;
setUp({ env: { HANDBOOK_TODAY: '2026-12-01' }, ready: (s) => ({ site, browser } = s) });

async function inView(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight;
  }, selector);
}

test('links between pages in a pack jump within the document', async () => {
  const context = await browser.newContext();
  const url = fileUrl(site, 'packs/chairing-taf.html');
  const page = await openPage(context, url);
  const contents = await page.locator('.pack-contents a').allTextContents();
  assert.deepEqual(contents, [
    'Team Around the Family', 'Before the meeting', 'The meeting', 'Chairing a meeting', 'Taking minutes',
    'Early Help Assessment', 'Early Help Review (Team Around the Family meeting)',
  ]);

  // From the contents list.
  await page.locator('.pack-contents a', { hasText: 'Taking minutes' }).click();
  assert.equal(page.url(), url + '#pack-team-around-the-family-minutes');
  assert.ok(await inView(page, '#pack-team-around-the-family-minutes'));

  // From a link in one page of the pack to a heading of another.
  const link = page.locator('#pack-team-around-the-family-the-meeting a[href="#pack-team-around-the-family-before-the-meeting--agree-a-chair-and-minute-taker"]').first();
  await link.scrollIntoViewIfNeeded();
  await link.click();
  assert.equal(page.url(), url + '#pack-team-around-the-family-before-the-meeting--agree-a-chair-and-minute-taker', 'still the same document');
  assert.ok(await inView(page, '#pack-team-around-the-family-before-the-meeting--agree-a-chair-and-minute-taker'));
  assert.deepEqual(page.problems.console, []);
  await context.close();
});

test('printed, the cover and every page and form start a new sheet', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'packs/chairing-taf.html'));
  await page.emulateMedia({ media: 'print' });
  const breaks = await page.$$eval('.pack-item', (items) => items.map((i) => getComputedStyle(i).breakBefore));
  assert.equal(breaks.length, 7);
  assert.deepEqual(breaks, Array(7).fill('page'));
  assert.equal(await page.$eval('.pack-cover', (c) => getComputedStyle(c).breakAfter), 'page');
  for (const sel of ['.site-header', '#site-nav', '.breadcrumbs', '.pack-print-note']) {
    assert.ok(!(await page.locator(sel).isVisible()), `${sel} hidden in print`);
  }
  const pdf = await page.pdf({ format: 'A4' });
  const sheets = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(sheets >= 9, `cover, contents and 7 items need at least 9 sheets, got ${sheets}`);
  await context.close();
});

test('no axe violations on the packs index and every pack', async () => {
  const context = await browser.newContext();
  for (const rel of ['packs/index.html', 'packs/chairing-taf.html', 'packs/lead-professional-induction.html']) {
    const page = await openPage(context, fileUrl(site, rel));
    assert.deepEqual(await axe(page), [], rel);
    await page.close();
  }
  await context.close();
});
