// HTML pasted from Word (tests/fixtures/word-paste) in a real browser: the
// page and the course pack that prints it show no console error (a blocked
// inline style or script is one), stay where they are (a pasted
// `<meta http-equiv="refresh">` is gone), never run the script beside the
// page, and keep the table's structure.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { REPO, newHandbook, fileUrl, openPage, axe, setUp } = require('./lib');

const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'word-paste');

const hb = newHandbook();
// At the top of content/, as the fixture's own links expect.
for (const name of ['who-to-contact.md', 'x.js']) {
  fs.copyFileSync(path.join(FIXTURE, name), path.join(hb, 'content', name));
}
fs.appendFileSync(
  path.join(hb, 'handbook.toml'),
  '\n[[pack]]\nid = "pasted"\ntitle = "Pasted from Word"\ncontents = ["content/who-to-contact.md"]\n',
);

let site, browser;
setUp({ root: hb, ready: (s) => ({ site, browser } = s) });

for (const rel of ['who-to-contact.html', 'packs/pasted.html']) {
  test(`${rel}: no console error, no redirect, no pasted script, the table kept`, async () => {
    const context = await browser.newContext();
    const url = fileUrl(site, rel);
    const page = await openPage(context, url);
    // Long enough for a pasted meta refresh (they are usually 0 to 1 s) to fire.
    await page.waitForTimeout(1500);
    assert.strictEqual(page.url(), url, 'the page stays where it is');
    assert.deepStrictEqual(page.problems.console, [], 'no console errors');
    assert.deepStrictEqual(page.problems.external, [], 'no requests leave the site');
    const ran = await page.evaluate(() => document.documentElement.getAttribute('data-pasted-script-ran'));
    assert.strictEqual(ran, null, 'the script beside the page never runs');
    const shape = await page.evaluate(() => {
      const main = document.querySelector('main');
      return {
        headers: main.querySelectorAll('table thead th').length,
        rows: main.querySelectorAll('table tbody tr').length,
        styled: main.querySelectorAll('[style]').length,
        scripts: main.querySelectorAll('script, iframe, meta').length,
        wordTags: main.innerHTML.includes('<o:p') || /class="?Mso/.test(main.innerHTML),
      };
    });
    assert.ok(shape.headers >= 3, `the header row is kept (${shape.headers} th)`);
    assert.ok(shape.rows >= 2, `the rows are kept (${shape.rows})`);
    assert.strictEqual(shape.styled, 0, 'no inline styles');
    assert.strictEqual(shape.scripts, 0, 'no script, iframe or meta in the content');
    assert.strictEqual(shape.wordTags, false, "no Word tags or classes");
    assert.deepStrictEqual(await axe(page), [], 'axe: no violations');
    await context.close();
  });
}
