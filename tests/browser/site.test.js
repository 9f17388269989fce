// The default handbook opened from disk: every page accessible, quiet and
// self-contained; the skip link and the Menu button work by keyboard.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { buildSite, htmlFiles, fileUrl, launch, openPage, axe } = require('./lib');

let site;
let browser;

test.before(async () => {
  site = buildSite();
  browser = await launch();
});

test.after(async () => {
  if (browser) await browser.close();
});

test('every page: no axe violations, no console errors, no request leaves file://', async () => {
  const context = await browser.newContext();
  const pages = htmlFiles(site);
  assert.ok(pages.length >= 20, `expected a full handbook, got ${pages.length} pages`);
  const failures = [];
  for (const rel of pages) {
    const page = await openPage(context, fileUrl(site, rel));
    const violations = await axe(page);
    if (violations.length) failures.push(`${rel}: ${JSON.stringify(violations, null, 1)}`);
    if (page.problems.console.length) failures.push(`${rel}: console: ${page.problems.console.join(' | ')}`);
    if (page.problems.external.length) failures.push(`${rel}: external requests: ${page.problems.external.join(' ')}`);
    assert.equal(await page.locator('h1').count(), 1, `${rel} has one h1`);
    // Scripts from the site's own folder run under the CSP from file://.
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('js')), true, `${rel}: nav.js ran`);
    await page.close();
  }
  await context.close();
  assert.deepEqual(failures, []);
});

test('the skip link is the first thing Tab reaches and moves focus to main', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'lead-professional/how-chosen.html'));
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.textContent.trim());
  assert.equal(focused, 'Skip to main content');
  assert.ok(await page.locator('.skip-link').isVisible(), 'skip link visible when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await context.close();
});

test('on a narrow screen the contents sit behind a Menu button that works by keyboard', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await openPage(context, fileUrl(site, 'lead-professional/how-chosen.html'));
  const nav = page.locator('#site-nav');
  const button = page.locator('.nav-toggle');
  assert.ok(await button.isVisible());
  assert.ok(!(await nav.isVisible()), 'contents hidden until asked for');
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await nav.isVisible(), 'Enter opens the contents');
  await page.keyboard.press('Space');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await nav.isVisible()), 'Space closes them again');
  // No sideways scrolling at 320 px.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 320px`);
  await context.close();
});

test('without JavaScript the contents are simply shown', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  const page = await openPage(context, fileUrl(site, 'index.html'));
  assert.ok(await page.locator('#site-nav').isVisible());
  assert.ok(!(await page.locator('.nav-toggle').isVisible()));
  await context.close();
});

test('print: no navigation chrome, the footer line says printed copies may be out of date', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'team-around-the-family/the-meeting.html'));
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '#site-nav', '.breadcrumbs', '.pager']) {
    assert.ok(!(await page.locator(sel).isVisible()), `${sel} hidden in print`);
  }
  const footer = page.locator('.print-footer');
  assert.ok(await footer.isVisible());
  const text = await footer.textContent();
  assert.match(text, /Lead Professional handbook/);
  assert.match(text, /Last reviewed \d+ \w+ \d{4}/);
  assert.match(text, /Printed copies may be out of date/);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  // Table rows are kept whole, and a long table repeats its header row on each sheet.
  await page.goto(fileUrl(site, 'thresholds/who-leads.html'));
  const table = await page.evaluate(() => {
    const tr = document.querySelector('.prose table tr');
    const thead = document.querySelector('.prose table thead');
    return { tr: getComputedStyle(tr).breakInside, thead: thead && getComputedStyle(thead).display };
  });
  assert.deepEqual(table, { tr: 'avoid', thead: 'table-header-group' });
  await context.close();
});

test('print: links to other sites show where they go', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'about/privacy.html'));
  await page.emulateMedia({ media: 'print' });
  const links = await page.evaluate(() =>
    [...document.querySelectorAll('.prose a[href^="http"], .prose a[href^="mailto:"]')].map((a) => ({
      href: a.getAttribute('href'),
      after: getComputedStyle(a, '::after').content,
    })),
  );
  assert.ok(links.length > 0, 'the privacy notice links elsewhere');
  for (const l of links) assert.equal(l.after, `" (${l.href})"`, `printed target of ${l.href}`);
  await page.emulateMedia({ media: 'screen' });
  const screen = await page.evaluate(() => getComputedStyle(document.querySelector('.prose a[href^="http"], .prose a[href^="mailto:"]'), '::after').content);
  assert.equal(screen, 'none', 'on screen the address is not repeated');
  await context.close();
});
