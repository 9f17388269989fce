// Shared helpers for the browser tests: build a handbook with the real
// binary, open its pages from file:// in Debian's Chromium, and check them
// with axe-core. Every test file requires this module.
'use strict';

const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.HANDBOOK_BIN || path.join(REPO, 'target', 'release', 'handbook');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs the handbook binary; returns { status, stdout, stderr }. */
function handbook(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...options });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temp folder. */
function tempDir(prefix = 'handbook-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Builds a handbook folder (the repository's own default handbook unless
 * `root` is given) into a temp folder and returns the site folder.
 */
function buildSite(root = REPO, env = {}) {
  const out = path.join(tempDir('handbook-site-'), 'site');
  const r = handbook(['build', '--root', root, '--out', out], { env: { ...process.env, ...env } });
  if (r.status !== 0) {
    throw new Error(`handbook build failed (${r.status}):\n${r.stderr}`);
  }
  return out;
}

/** Copies the default handbook to a temp folder with `handbook new`. */
function newHandbook() {
  const dir = path.join(tempDir('handbook-new-'), 'hb');
  const r = handbook(['new', dir]);
  if (r.status !== 0) throw new Error(r.stderr);
  return dir;
}

/** Every .html file under `site`, relative, sorted. */
function htmlFiles(site) {
  const out = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.html')) out.push(path.relative(site, p).split(path.sep).join('/'));
    }
  })(site);
  return out.sort();
}

function fileUrl(site, rel) {
  return pathToFileURL(path.join(site, rel)).href;
}

/** Launches Chromium the only way that works here: Debian's, no downloads. */
async function launch(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
    ],
    ...options,
  });
}

/**
 * A new page that records console errors, page errors, CSP violations and
 * any request that leaves file:// (none should).
 */
async function openPage(context, url) {
  const page = await context.newPage();
  const problems = { console: [], external: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.console.push(msg.text());
  });
  page.on('pageerror', (err) => problems.console.push(String(err)));
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith('about:')) {
      problems.external.push(u);
    }
  });
  if (url) await page.goto(url);
  page.problems = problems;
  return page;
}

/** axe-core over the page for the WCAG 2.2 A and AA rules; returns violations. */
async function axe(page) {
  // preload off: axe would fetch the stylesheets itself, which the CSP rightly blocks.
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).options({ preload: false }).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}

/**
 * The set-up every browser test file shares: before the first test, build
 * the site (the default handbook, or `root`, with `env` added to the
 * environment; `build: false` for none) and launch Chromium; after the
 * last, close it. `ready(state)` is called with `{ site, browser }` once
 * both are there, and may set up more (`await`ed); `done(state)` runs
 * before Chromium closes.
 *
 *     let site, browser;
 *     setUp({ ready: (s) => ({ site, browser } = s) });
 */
function setUp({ build = true, root, env, ready, done } = {}) {
  // Required here, not at the top, so lib.js still loads outside `node --test`.
  const test = require('node:test');
  const state = { site: null, browser: null };
  test.before(async () => {
    if (build) state.site = buildSite(root, env);
    state.browser = await launch();
    if (ready) await ready(state);
  });
  test.after(async () => {
    try {
      if (done) await done(state);
    } finally {
      if (state.browser) await state.browser.close();
    }
  });
  return state;
}

/** No axe violations on the page as it is now; `state` says which state, in the failure. */
async function noViolations(page, state) {
  const violations = await axe(page);
  require('node:assert/strict').deepEqual(violations, [], `axe violations (${state}): ${JSON.stringify(violations, null, 1)}`);
}

/** No console errors and no request that left file:// (openPage records both). */
function noProblems(page) {
  const assert = require('node:assert/strict');
  assert.deepEqual(page.problems.console, [], 'no console errors');
  assert.deepEqual(page.problems.external, [], 'no request leaves file://');
}

module.exports = {
  REPO, BIN, handbook, tempDir, buildSite, newHandbook, htmlFiles, fileUrl, launch, openPage, axe, execFileSync, setUp,
  noViolations, noProblems,
};
