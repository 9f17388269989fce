// The default handbook opened from disk: every page accessible, quiet and
// self-contained; the skip link and the Menu button work by keyboard.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { htmlFiles, fileUrl, openPage, axe, setUp } = require('./lib');

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

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

test('served from a sub-path of a web server, every page finds its styles, scripts and links', async () => {
  const prefix = '/council/early-help/handbook/';
  const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = decodeURIComponent(url.pathname.slice(prefix.length));
    const file = path.join(site, rel);
    if (!url.pathname.startsWith(prefix) || !file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  const context = await browser.newContext();
  const failures = [];
  try {
    for (const rel of htmlFiles(site)) {
      const page = await context.newPage();
      page.on('response', (r) => {
        if (r.status() >= 400) failures.push(`${rel}: ${r.status()} ${r.url()}`);
      });
      page.on('request', (r) => {
        if (!r.url().startsWith(base) && !r.url().startsWith('data:')) failures.push(`${rel}: request outside the sub-path: ${r.url()}`);
      });
      await page.goto(base + rel);
      const state = await page.evaluate(() => ({
        js: document.documentElement.classList.contains('js'),
        header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
      }));
      if (!state.js) failures.push(`${rel}: nav.js did not run`);
      if (state.header !== 'rgb(29, 79, 145)') failures.push(`${rel}: the theme colours did not load (${state.header})`);
      // Every link inside the site lands on a page that is there.
      const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href).filter((h) => h.startsWith(location.origin)));
      for (const link of new Set(links)) {
        const target = new URL(link);
        if (!target.pathname.startsWith(prefix)) failures.push(`${rel}: link leaves the sub-path: ${link}`);
        else if (target.pathname.includes('/forms/') || target.pathname.includes('/decisions/')) continue; // issues 3 and 4
        else if (!fs.existsSync(path.join(site, decodeURIComponent(target.pathname.slice(prefix.length))))) failures.push(`${rel}: broken link ${link}`);
      }
      await page.close();
    }
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
  }
  assert.deepEqual(failures, []);
});
