// The levels-of-need matrix (decisions/<tree>/levels.html) on a phone and
// on paper: at 375 and 320 px wide it stacks level by level with every
// domain named, so nothing scrolls sideways; printed on A4 every word of
// every column is on the sheet, none past its edge (read back from the PDF
// with pdftotext -bbox, from Debian's poppler-utils, installed by setup.sh).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { fileUrl, openPage, axe, tempDir, setUp } = require('./lib');

const LEVELS = 'decisions/level-of-need/levels.html';
const DOMAINS = ["Child's developmental needs", 'Parenting capacity', 'Family and environment'];

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

/** Each level's name and the items of each domain, as the page lists them. */
async function levels(page) {
  return page.locator('.levels-table tbody tr').evaluateAll((rows) =>
    rows.map((tr) => ({
      name: tr.querySelector('.level-name').textContent.trim(),
      cells: Array.from(tr.querySelectorAll('td'), (td) => Array.from(td.querySelectorAll('li'), (li) => li.textContent.trim())),
    })));
}

for (const width of [375, 320]) {
  test(`at ${width} px the matrix stacks by level and nothing scrolls sideways`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await openPage(context, fileUrl(site, LEVELS));
    const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(scroll <= width, `the page is ${scroll} px wide`);
    // Nor inside the table's own region: it fits the screen.
    const region = await page.locator('.table-scroll').evaluate((r) => [r.scrollWidth, r.clientWidth]);
    assert.ok(region[0] <= region[1], `the matrix is ${region[0]} px in a ${region[1]} px region`);
    const rows = await page.locator('.levels-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect()));
    assert.ok(rows.length >= 4, `${rows.length} levels`);
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i].top >= rows[i - 1].bottom - 1, `level ${i + 1} is below level ${i}`);
    }
    // Each level's domains one under another, each named where it is read.
    const first = page.locator('.levels-table tbody tr').first();
    const cells = await first.locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()));
    for (let i = 1; i < cells.length; i++) assert.ok(cells[i].top >= cells[i - 1].bottom - 1, 'domains stacked');
    for (const [i, domain] of DOMAINS.entries()) {
      const label = first.locator('td').nth(i).locator('.level-domain');
      assert.ok(await label.isVisible(), `${domain} is named in the stacked cell`);
      assert.equal((await label.textContent()).trim(), domain);
    }
    const words = await page.locator('.levels-table').evaluate((t) => t.getBoundingClientRect().right);
    assert.ok(words <= width, `the matrix ends at ${words} px`);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(page.problems.console, []);
    await context.close();
  });
}

test('on a wide screen it is still a table with a column per domain', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openPage(context, fileUrl(site, LEVELS));
  const cells = await page.locator('.levels-table tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()));
  assert.equal(cells.length, 3);
  assert.ok(cells[1].left >= cells[0].right - 1 && cells[2].left >= cells[1].right - 1, 'side by side');
  assert.equal(await page.locator('.levels-table thead').isVisible(), true);
  assert.equal(await page.locator('.level-domain').first().isVisible(), false, 'the column headings name the domains');
  assert.deepEqual(await axe(page), []);
  await context.close();
});

test('printed on A4, every word of every column is on the sheet, none past its edge', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, LEVELS));
  const expected = await levels(page);
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const file = path.join(tempDir('handbook-levels-'), 'levels.pdf');
  fs.writeFileSync(file, pdf);
  // Pages with their size, and every word with its box (points).
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const pages = [...html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
    words: [...m[3].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      xMin: Number(w[1]), xMax: Number(w[3]), yMax: Number(w[4]), text: w[5],
    })),
  }));
  assert.ok(pages.length >= 1);
  for (const p of pages) {
    const a4 = [[595, 842], [842, 595]].some(([w, h]) => Math.abs(p.width - w) < 2 && Math.abs(p.height - h) < 2);
    assert.ok(a4, `an A4 sheet: ${p.width} x ${p.height}`);
    for (const w of p.words) {
      assert.ok(w.xMin >= 0 && w.xMax <= p.width && w.yMax <= p.height, `"${w.text}" lies on the sheet (${w.xMin}-${w.xMax} of ${p.width})`);
    }
  }
  const decode = (s) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;|&#39;/g, "'");
  const printed = pages.flatMap((p) => p.words.map((w) => decode(w.text))).join(' ').replace(/[‘’]/g, "'");
  const squash = (s) => s.replace(/[‘’]/g, "'").replace(/\s+/g, '');
  const all = squash(printed);
  for (const domain of DOMAINS) assert.ok(all.includes(squash(domain)), `the heading ${domain}`);
  for (const level of expected) {
    assert.ok(all.includes(squash(level.name)), level.name);
    level.cells.forEach((items, i) => {
      for (const item of items) assert.ok(all.includes(squash(item)), `${level.name}, ${DOMAINS[i]}: "${item}" is printed whole`);
    });
  }
  // The last column really is there, at the right of the first.
  const last = expected[expected.length - 1].cells[2];
  assert.ok(last.length > 0, 'the last level has family and environment items');
  await context.close();
});
