// `handbook serve` in a real browser: a page reloads by itself after its
// file is edited, a broken edit shows the error box over the last good page
// (accessible, no CSP violations), and fixing the file clears it; a page
// reached through another site's name (DNS rebinding) is refused.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { BIN, newHandbook, axe, setUp, launch } = require('./lib');

const PAGE = 'content/lead-professional/what-it-is.md';
const PAGE_URL = 'lead-professional/what-it-is.html';

let root;
let server;
let base;
let browser;

/** Starts `handbook serve` on a free port; resolves with its address. */
function startServer(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--port', '0', '--root', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}${err}`)), 20000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Serving .* at (http:\/\/\S+\/)/.exec(out);
      if (m && out.includes('Watching ')) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out + err });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}${err}`)));
  });
}

function edit(from, to) {
  const file = path.join(root, PAGE);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${PAGE} has "${from}"`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** A page on the preview that records console errors (CSP violations show there). */
async function open(context, rel) {
  const page = await context.newPage();
  page.problems = [];
  // Failed loads are checked by URL below (the browser's own favicon request aside).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) page.problems.push(msg.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && u.pathname !== '/favicon.ico' && u.pathname !== '/' + rel) {
      page.problems.push(`${r.status()} ${u.pathname}`);
    }
  });
  await page.goto(base + rel);
  await page.waitForSelector('html[data-handbook-live="listening"]');
  return page;
}

setUp({
  build: false,
  ready: async (s) => {
    browser = s.browser;
    root = newHandbook();
    server = await startServer(root);
    base = server.url;
  },
  done: () => {
    if (server) server.child.kill();
  },
});

test('an edited page reloads by itself with the new text', async () => {
  const context = await browser.newContext();
  const page = await open(context, PAGE_URL);
  assert.ok(!(await page.textContent('main')).includes('Reloaded by itself'));
  const reloaded = page.waitForEvent('load', { timeout: 20000 });
  edit('The role matters when', 'Reloaded by itself. The role matters when');
  await reloaded;
  assert.ok((await page.textContent('main')).includes('Reloaded by itself.'), 'the new text is shown');
  await page.waitForSelector('html[data-handbook-live="listening"]');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a broken edit shows the errors over the last good page; fixing it clears them', async () => {
  const context = await browser.newContext();
  const page = await open(context, PAGE_URL);
  edit('The role matters when', 'Broken now [a link](no-such-page.md). The role matters when');
  const box = page.locator('#handbook-live-errors');
  await box.waitFor({ state: 'visible', timeout: 20000 });
  assert.equal(await box.getAttribute('role'), 'alert');
  const text = await box.textContent();
  assert.match(text, /The handbook has an error/);
  assert.match(text, /content\/lead-professional\/what-it-is\.md:\d+:\d+/);
  assert.match(text, /no-such-page\.md/);
  // The page under it is still the last good one.
  assert.ok(!(await page.textContent('main')).includes('Broken now'));
  // The box is accessible and can be hidden by keyboard.
  assert.deepEqual(await axe(page), []);
  await page.locator('.handbook-live__hide').focus();
  await page.keyboard.press('Enter');
  assert.ok(!(await box.isVisible()), 'hidden');

  const reloaded = page.waitForEvent('load', { timeout: 20000 });
  edit('Broken now [a link](no-such-page.md).', 'Fixed now.');
  await reloaded;
  await page.waitForSelector('html[data-handbook-live="listening"]');
  assert.ok((await page.textContent('main')).includes('Fixed now.'));
  assert.equal(await page.locator('#handbook-live-errors').count(), 0, 'no error box once fixed');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('served pages pass axe, and the 404 page keeps its styles at any depth', async () => {
  const context = await browser.newContext();
  const page = await open(context, PAGE_URL);
  assert.deepEqual(await axe(page), []);
  const missing = await open(context, 'no/such/folder/page.html');
  const styled = await missing.evaluate(() =>
    Array.from(document.styleSheets).some((s) => s.href && s.href.endsWith('/assets/style.css') && s.cssRules.length > 0));
  assert.ok(styled, 'style.css loaded through <base href="/">');
  assert.match(await missing.textContent('h1'), /Page not found/);
  assert.deepEqual(page.problems.concat(missing.problems), []);
  await context.close();
});

test('a name pointed at this computer by another site is refused; localhost names are served', async () => {
  const port = new URL(base).port;
  // The rebinding attack: a name the attacker controls now resolves to 127.0.0.1.
  // (lib.launch's own arguments, plus the mapping.)
  const mapped = await launch({
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
      '--host-resolver-rules=MAP rebind.test 127.0.0.1',
    ],
  });
  try {
    const context = await mapped.newContext();
    const page = await context.newPage();
    for (const rel of [PAGE_URL, '__handbook/status', '__handbook/events']) {
      const response = await page.goto(`http://rebind.test:${port}/${rel}`);
      assert.equal(response.status(), 403, rel);
      const text = await page.textContent('body');
      assert.ok(!text.includes('Lead Professional'), `${rel}: the handbook leaked`);
      assert.ok(!text.includes('"version"'), `${rel}: the status leaked`);
    }
    assert.match(await page.textContent('h1'), /does not answer to rebind\.test/);
    assert.match(await page.textContent('main'), /--allow-host rebind\.test/);
    assert.deepEqual(await axe(page), [], 'the refusal page is accessible');
    // Chromium answers *.localhost with the loopback address itself: served, live reload and all.
    const served = await open(context, '');
    await served.goto(`http://handbook.localhost:${port}/${PAGE_URL}`);
    await served.waitForSelector('html[data-handbook-live="listening"]');
    assert.match(await served.textContent('h1'), /Lead Professional/);
    assert.deepEqual(served.problems, []);
    await context.close();
  } finally {
    await mapped.close();
  }
});
