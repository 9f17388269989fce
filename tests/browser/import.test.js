// Pages made by `handbook import` from the Word documents (LibreOffice and
// pandoc; one with lettered lists kept as <ol type>, a table inside a table's
// cell and a metafile diagram) and the saved web page in
// tests/fixtures/import/: once built, each
// is valid HTML, has no axe violations, logs no console errors and asks for
// nothing outside the site, with images shown and links followed.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const vnuJar = require('vnu-jar');
const { REPO, handbook, newHandbook, buildSite, htmlFiles, fileUrl, openPage, axe, setUp } = require('./lib');

const FIXTURES = path.join(REPO, 'tests', 'fixtures', 'import');
const SECTIONS = [
  'lead-professional-guidance',
  'levels-of-need-and-who-leads',
  'team-around-the-family-meetings',
  'stepping-down-from-childrens-social-care-to-early-help',
  'sharing-information-in-early-help',
];
const ENV = { HANDBOOK_TODAY: '2026-12-01' };

let browser;
let site;

setUp({
  build: false,
  ready: (s) => {
    browser = s.browser;
    const root = newHandbook();
    // Each file on its own, as a council would bring them in one by one.
    for (const file of ['lead-professional.docx', 'levels-of-need.docx', 'taf-meetings.docx', 'step-down.html', 'information-sharing.docx']) {
      const r = handbook(['import', '--root', root, path.join(FIXTURES, file)], { env: { ...process.env, ...ENV } });
      assert.equal(r.status, 0, `import ${file}: ${r.stderr}`);
    }
    site = buildSite(root, ENV);
  },
});

function importedPages() {
  return htmlFiles(site).filter((rel) => SECTIONS.some((s) => rel.startsWith(`${s}/`)));
}

test('every imported page passes axe, logs no errors and loads nothing from outside', async () => {
  const pages = importedPages();
  assert.equal(pages.length, 20, `pages: ${pages.join(', ')}`);
  const context = await browser.newContext();
  for (const rel of pages) {
    const page = await openPage(context, fileUrl(site, rel));
    assert.deepEqual(await axe(page), [], `axe: ${rel}`);
    assert.deepEqual(page.problems.console, [], `console errors: ${rel}`);
    assert.deepEqual(page.problems.external, [], `requests outside the site: ${rel}`);
    await page.close();
  }
  await context.close();
});

test('imported images are shown, and links between imported pages arrive at their headings', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'lead-professional-guidance/choosing-the-lead-professional.html'));
  const img = page.locator('main img[alt^="A family and three practitioners"]');
  assert.equal(await img.count(), 1);
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the image loads from beside the page');
  await page.locator('main a', { hasText: 'what to do when consent is withdrawn' }).click();
  await page.waitForURL(/the-lead-professional-role\.html#when-consent-is-withdrawn$/);
  assert.equal(await page.evaluate(() => document.querySelector(':target').textContent.trim()), 'When consent is withdrawn');

  const merged = await openPage(context, fileUrl(site, 'lead-professional-guidance/choosing-the-lead-professional.html'));
  const cell = merged.locator('main td[rowspan="2"]');
  assert.equal(await cell.textContent(), 'The Lead Professional', 'the merged cell survives the build');
  assert.deepEqual(merged.problems.console, []);

  const web = await openPage(context, fileUrl(site, 'stepping-down-from-childrens-social-care-to-early-help/the-step-down-meeting.html'));
  const flow = web.locator('main img[alt^="Flowchart"]');
  assert.ok(await flow.evaluate((el) => el.complete && el.naturalWidth > 0), 'the saved page\'s image came across');
  assert.equal(await web.locator('main', { hasText: 'cookies' }).count(), 0, 'no cookie banner');
  await context.close();
});

test('a lettered list shows its letters, and a table inside a cell its rows', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'sharing-information-in-early-help/when-to-share.html'));
  const lettered = page.locator('main ol[type="a"]');
  assert.equal(await lettered.count(), 1);
  // The theme's list styles must not turn the letters the text refers to back into numbers.
  assert.equal(await lettered.evaluate((el) => getComputedStyle(el).listStyleType), 'lower-alpha');
  const tell = await openPage(context, fileUrl(site, 'sharing-information-in-early-help/who-to-tell.html'));
  assert.equal(await tell.locator('main td table td', { hasText: 'Named nurse' }).count(), 1);
  assert.deepEqual(tell.problems.console, []);
  await context.close();
});

test('every imported page is valid HTML (Nu HTML Checker)', () => {
  const files = importedPages().map((rel) => path.join(site, rel));
  const r = spawnSync('java', ['-Xss8m', '-jar', vnuJar, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const report = JSON.parse(r.stderr);
  const errors = report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${path.relative(site, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
  assert.ok(fs.existsSync(path.join(site, 'lead-professional-guidance', 'index.html')));
});
