#!/usr/bin/env node
// Search on a big handbook: generates PAGES pages (default 10,000) of
// text whose words follow Zipf's law (the default handbook's own words are
// the common ones, made-up words the long tail), builds it with the release
// binary, reports the index size against the site's text, and times
// queries in Chromium from file://, cold (loading shards) and warm.
//
//   cargo build --release && (cd tests/browser && bash setup.sh)
//   node tests/bench/search.js            # PAGES=1000 node tests/bench/search.js for a quicker run
//
// A benchmark, not a test: it prints numbers and asserts nothing.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { handbook, tempDir, newHandbook, fileUrl, launch, REPO } = require('../browser/lib');

const PAGES = Number(process.env.PAGES || 10000);
const PER_SECTION = 100;
const VOCABULARY = 60000;

// A small seeded generator, so every run builds the same handbook.
let seed = 42;
function random() { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function defaultWords() {
  const words = new Map();
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) {
        const body = fs.readFileSync(p, 'utf8').split('+++').pop();
        for (const w of body.match(/[A-Za-z]+/g) || []) words.set(w.toLowerCase(), (words.get(w.toLowerCase()) || 0) + 1);
      }
    }
  })(path.join(REPO, 'content'));
  return [...words.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0]);
}

function vocabulary() {
  const words = defaultWords();
  const syllables = ['ba', 'ce', 'di', 'fo', 'gu', 'ha', 'je', 'ki', 'lo', 'mu', 'na', 'pe', 'ri', 'so', 'tu', 'va', 'we', 'xi', 'yo', 'za', 'tion', 'ment', 'ing', 'er'];
  const seen = new Set(words);
  while (words.length < VOCABULARY) {
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    if (!seen.has(w)) { seen.add(w); words.push(w); }
  }
  // Cumulative Zipf weights (s = 1) for sampling by rank.
  const cumulative = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) { total += 1 / r; cumulative.push(total); }
  return { words, cumulative, total };
}

function sampler(v) {
  return function word() {
    const x = random() * v.total;
    let lo = 0;
    let hi = v.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v.cumulative[mid] < x) lo = mid + 1; else hi = mid;
    }
    return v.words[lo];
  };
}

function sentence(word, n) {
  const words = [];
  for (let i = 0; i < n; i++) words.push(word());
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

function generate(root) {
  const word = sampler(vocabulary());
  const content = path.join(root, 'content', 'bench');
  for (let p = 0; p < PAGES; p++) {
    const section = path.join(content, `s${String(Math.floor(p / PER_SECTION)).padStart(3, '0')}`);
    if (p % PER_SECTION === 0) {
      fs.mkdirSync(section, { recursive: true });
      fs.writeFileSync(path.join(section, 'index.md'), `+++\ntitle = "Section ${Math.floor(p / PER_SECTION)} ${word()} ${word()}"\n+++\n\n${sentence(word, 20)}\n`);
    }
    let body = `+++\ntitle = "${sentence(word, 4).slice(0, -1)}"\ndescription = "${sentence(word, 14)}"\nweight = ${p % PER_SECTION}\n+++\n\n`;
    for (let h = 0; h < 5; h++) {
      body += `## ${sentence(word, 3).slice(0, -1)}\n\n`;
      for (let para = 0; para < 2; para++) {
        const sentences = [];
        for (let s = 0; s < 3; s++) sentences.push(sentence(word, 8 + Math.floor(random() * 10)));
        body += sentences.join(' ') + '\n\n';
      }
    }
    fs.writeFileSync(path.join(section, `p${p}.md`), body);
  }
}

function htmlText(html) {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;

async function main() {
  const root = newHandbook();
  console.log(`Generating ${PAGES} pages in ${root}...`);
  generate(root);
  const out = path.join(tempDir('handbook-bench-'), 'site');
  const started = Date.now();
  const r = handbook(['build', '--root', root, '--out', out]);
  if (r.status !== 0) throw new Error(r.stderr);
  console.log(`Build: ${((Date.now() - started) / 1000).toFixed(1)} s (${r.stdout.trim()})`);

  const files = walk(out);
  let text = 0;
  let html = 0;
  for (const f of files) {
    if (f.endsWith('.html') && !f.includes(`${path.sep}packs${path.sep}`)) {
      html++;
      text += Buffer.byteLength(htmlText(fs.readFileSync(f, 'utf8')));
    }
  }
  const size = (f) => fs.statSync(f).size;
  const shards = files.filter((f) => /assets[\\/]search[\\/]i\d+\.js$/.test(f));
  const docs = files.filter((f) => /assets[\\/]search[\\/]d\d+\.js$/.test(f));
  const manifest = size(path.join(out, 'assets', 'search-index.js'));
  const index = manifest + shards.reduce((a, f) => a + size(f), 0);
  const docBytes = docs.reduce((a, f) => a + size(f), 0);
  const largest = Math.max(...shards.map(size));
  console.log(`Pages: ${html}; visible text of all pages: ${mb(text)}`);
  console.log(`Index: ${mb(index)} (${(100 * index / text).toFixed(1)}% of the text) in ${shards.length} shards, largest ${kb(largest)}; search-index.js ${manifest} bytes`);
  console.log(`Result texts: ${mb(docBytes)} in ${docs.length} files, average ${kb(docBytes / docs.length)}; loaded only for results shown`);

  const browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(fileUrl(out, 'index.html'));
  await page.waitForFunction(() => window.HandbookSearch);
  const queries = ['lead professional', 'meeting', 'consent', 'families', 'ch', 'assessment plan review', 'safeguarding', 'tion', 'bakilo', 'zzqx'];
  console.log('\nquery                       results  cold ms  warm ms  files loaded  KB loaded');
  const scripts = () => page.evaluate(() => Array.from(document.scripts).map((s) => s.src).filter((s) => /assets\/search/.test(s)));
  for (const q of queries) {
    const before = new Set(await scripts());
    const m = await page.evaluate(async (q) => {
      let t = performance.now();
      const cold = await window.HandbookSearch.query(q, 8);
      const coldMs = performance.now() - t;
      t = performance.now();
      await window.HandbookSearch.query(q, 8);
      return { total: cold.total, coldMs, warmMs: performance.now() - t };
    }, q);
    const fresh = (await scripts()).filter((s) => !before.has(s));
    const bytes = fresh.reduce((a, s) => a + size(require('node:url').fileURLToPath(s)), 0);
    console.log(`${q.padEnd(28)}${String(m.total).padStart(7)}  ${m.coldMs.toFixed(1).padStart(7)}  ${m.warmMs.toFixed(1).padStart(7)}  ${String(fresh.length).padStart(12)}  ${(bytes / 1024).toFixed(0).padStart(9)}`);
  }
  // Bytes a first search loads: the manifest, the shard(s) and 8 result texts.
  const avgShard = index / shards.length;
  console.log(`\nA first search loads about ${kb(manifest + avgShard + 8 * docBytes / docs.length)}: search-index.js, one shard (~${kb(avgShard)}) and 8 result texts.`);
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
