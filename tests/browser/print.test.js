// Paper: the forms and course packs printed to PDF on A4 in Chromium and
// read back with pdftotext (Debian's poppler-utils, installed by setup.sh),
// as a practitioner would print them for a meeting; and the forms on a
// phone (320 and 375 px wide): 40px radios and checkboxes, the 1 to 10 scale
// in order, zero axe violations.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { fileUrl, openPage, axe, tempDir, setUp } = require('./lib');

const EHA = 'forms/early-help-assessment.html';
const REVIEW = 'forms/early-help-review.html';
const PACK = 'packs/chairing-taf.html';
const MM = 96 / 25.4; // CSS px in a millimetre
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let site;
let browser;

setUp({ ready: (s) => ({ site, browser } = s) });

async function open(rel, options = {}) {
  const context = await browser.newContext(options);
  const page = await openPage(context, fileUrl(site, rel));
  return { context, page };
}

/** Prints the page to an A4 PDF as the browser's Print would; returns its pages' text (pdftotext -layout). */
async function printed(page) {
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/, 'A4 pages');
  const file = path.join(tempDir('handbook-print-'), 'out.pdf');
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages[pages.length - 1].trim() === '') pages.pop();
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.equal(pages.length, Number(/Pages:\s+(\d+)/.exec(info)[1]), 'one text page per PDF page');
  return pages.map((p) => p.split('\n').map((l) => l.trim()).filter(Boolean));
}

function today() {
  const d = new Date();
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** The first and last lines of each sheet are the running header and footer. */
function assertRunning(pages, { title, footer, family }) {
  pages.forEach((lines, i) => {
    const head = lines[0];
    const foot = lines[lines.length - 1];
    const where = `sheet ${i + 1}: ${head} ... ${foot}`;
    assert.ok(head.startsWith(title), `${where}: the title at the top`);
    assert.ok(head.endsWith(`Printed ${today()}`), `${where}: the date printed at the top`);
    if (family) assert.ok(head.includes(`Family: ${family}`), `${where}: the family at the top`);
    else assert.ok(!head.includes('Family:'), `${where}: no family label when none is typed`);
    assert.ok(foot.startsWith(footer), `${where}: the footer`);
    assert.ok(foot.endsWith(`Page ${i + 1} of ${pages.length}`), `${where}: page numbers`);
    assert.ok(lines.length > 2, `${where}: not a blank sheet`);
  });
}

const BROWSER_ONLY = [/save draft/i, /download/i, /clear (this|the) form/i, /open answers/i, /check answers/i, /in this browser/i, /add another/i, /\bremove\b/i];

test('a blank Early Help Assessment prints in at most 8 A4 sheets, each with the title, page numbers and date printed', async () => {
  const { context, page } = await open(EHA);
  const pages = await printed(page);
  assert.ok(pages.length <= 8, `${pages.length} sheets`);
  assertRunning(pages, { title: 'Early Help Assessment', footer: 'Anytown Council · Version 1.2' });
  const all = pages.flat().join('\n');
  for (const words of BROWSER_ONLY) assert.doesNotMatch(all, words, 'browser-only instructions never print');
  // Numbered sections, in order, as in the list of sections.
  const numbers = [...all.matchAll(/^(\d+)\. (About this assessment|The family’s details|The family's details|Consent|Family members|First Team Around the Family meeting|Signatures)\b/gm)].map((m) => [m[1], m[2].replace('’', "'")]);
  assert.deepEqual(numbers, [
    ['1', 'About this assessment'], ['2', "The family's details"], ['3', 'Consent'], ['4', 'Family members'],
    ['16', 'First Team Around the Family meeting'], ['17', 'Signatures'],
  ]);
  // The family's name or reference has a line to write it on.
  assert.match(all, /Family name or case reference/);
  // Household members: 8 numbered rows under one line of column headings.
  assert.match(all, /Full name\s+Date of\s+Who they/);
  // A table that runs onto the next sheet repeats its column headings there.
  const from = pages.findIndex((lines) => lines.includes('Household members'));
  const rowNumbers = [];
  for (const lines of pages.slice(from, from + 2)) {
    const rows = lines.filter((l) => /^\d\s+Yes\s+No\b/.test(l)).map((l) => l[0]);
    if (rows.length) assert.ok(lines.some((l) => /^Full name\s+Date of\s+Who they/.test(l)), 'the column headings on every sheet of the table');
    rowNumbers.push(...rows);
  }
  assert.deepEqual(rowNumbers, ['1', '2', '3', '4', '5', '6', '7', '8'], 'eight household member rows, one line each');
  await context.close();
});

test('a blank review prints in at most 4 sheets, one attendee per row of a table', async () => {
  const { context, page } = await open(REVIEW);
  const pages = await printed(page);
  assert.ok(pages.length <= 4, `${pages.length} sheets`);
  assertRunning(pages, { title: 'Early Help Review (Team Around the Family meeting)', footer: 'Anytown Council · Version 1.1' });
  const sheet = pages.find((lines) => lines.includes('People invited'));
  const at = sheet.indexOf('People invited');
  assert.match(sheet[at + 1], /^Name\s+Role\s+Agency\s+Attendance$/, 'the column headings on one line');
  const attendees = sheet.filter((l) => /^\d\s+Present\s+Sent apologies$/.test(l));
  assert.equal(attendees.length, 8, 'eight attendee rows, each on one line, on one sheet');
  for (const words of BROWSER_ONLY) assert.doesNotMatch(pages.flat().join('\n'), words);

  // The same in the page: each row is one line of cells side by side, not a box of questions.
  await page.emulateMedia({ media: 'print' });
  const rows = await page.$$eval('.repeat[data-field="attendees"] :is(.repeat-row, .print-row)', (list) => list.map((row) => {
    const cells = [...row.querySelectorAll(':scope > .form-group')].map((c) => c.getBoundingClientRect());
    return { height: row.getBoundingClientRect().height, tops: cells.map((c) => Math.round(c.top)), lefts: cells.map((c) => c.left) };
  }));
  assert.equal(rows.length, 8);
  for (const r of rows) {
    assert.equal(new Set(r.tops).size, 1, 'the cells share one line');
    assert.deepEqual([...r.lefts].sort((a, b) => a - b), r.lefts, 'in the order of the questions');
    assert.ok(r.height < 15 * MM, `a row is under 15 mm (${(r.height / MM).toFixed(1)} mm)`);
  }
  await context.close();
});

test('no sheet ends with a section heading, and headings of repeats stay with their table', async () => {
  for (const rel of [EHA, REVIEW]) {
    const { context, page } = await open(rel);
    const titles = await page.$$eval('.form-section-title', (hs) => hs.map((h, i) => `${i + 1}. ${h.textContent.trim()}`));
    const repeats = await page.$$eval('.repeat-title', (hs) => hs.map((h) => h.textContent.trim()));
    const pages = await printed(page);
    pages.forEach((lines, i) => {
      const body = lines.slice(1, -1);
      const last = body[body.length - 1];
      assert.ok(!titles.includes(last) && !repeats.includes(last), `${rel} sheet ${i + 1} ends with the heading "${last}"`);
    });
    assert.ok(titles.every((t) => pages.flat().includes(t)), `${rel}: every numbered section heading prints`);
    await context.close();
  }
});

test('the family label typed at the top of the form and the date printed head every sheet', async () => {
  const { context, page } = await open(REVIEW);
  // The family-label field belongs to the form's toolbar (forms-privacy);
  // any element carrying data-family-label is read, so add one if the
  // page does not have it yet.
  if (!(await page.locator('[data-family-label]').count())) {
    await page.evaluate(() => {
      const label = document.createElement('label');
      label.htmlFor = 'test-family-label';
      label.textContent = 'Family';
      const input = document.createElement('input');
      input.id = 'test-family-label';
      input.setAttribute('data-family-label', '');
      document.querySelector('main').prepend(label, input);
    });
  }
  await page.locator('[data-family-label]').first().fill('The Bloggs family');
  await page.fill('#early-help-review--meeting_chair', 'Priya Shah');
  let pages = await printed(page);
  assertRunning(pages, { title: 'Early Help Review', footer: 'Anytown Council · Version 1.1', family: 'The Bloggs family' });
  assert.ok(pages.flat().some((l) => l.includes('Priya Shah')), 'the typed answer prints as text');

  // Typed text can neither end the CSS string nor add a rule.
  const hostile = '"} * { display: none } \\A "';
  await page.locator('[data-family-label]').first().fill(hostile);
  pages = await printed(page);
  assertRunning(pages, { title: 'Early Help Review', footer: 'Anytown Council · Version 1.1', family: hostile.replace(/\s+/g, ' ').trim() });
  assert.ok(pages.flat().includes('1. Meeting details'), 'the form still prints');
  assert.deepEqual(page.problems.console, []);
  await context.close();
});

test('without JavaScript a blank form still prints its title, footer and page numbers', async () => {
  const { context, page } = await open(REVIEW, { javaScriptEnabled: false });
  const pages = await printed(page);
  assert.ok(pages.length <= 4, `${pages.length} sheets`);
  pages.forEach((lines, i) => {
    assert.ok(lines[0].startsWith('Early Help Review (Team Around the Family meeting)'), `sheet ${i + 1} title`);
    assert.ok(lines[lines.length - 1].endsWith(`Page ${i + 1} of ${pages.length}`), `sheet ${i + 1} page number`);
  });
  await context.close();
});

test('a filled assessment prints its answers as text, its rows without the blank ones, chosen options in words', async () => {
  const { context, page } = await open(EHA);
  const P = '#early-help-assessment--';
  await page.fill(`${P}assessor_name`, 'Priya Shah');
  await page.fill(`${P}assessment_date`, '2025-03-14');
  await page.check(`${P}consent_assessment`);
  const members = page.locator('.repeat[data-field="household_members"] .repeat-rows > .repeat-row');
  await members.nth(0).locator('[data-field="member_name"] input').fill('Jo Bloggs');
  await members.nth(0).locator('[data-field="member_included"] input[value=yes]').check();
  await page.getByRole('button', { name: 'Add another household member' }).click();
  await members.nth(1).locator('[data-field="member_name"] input').fill('Alex Bloggs');
  await members.nth(1).locator('[data-field="member_included"] input[value=no]').check();
  await members.nth(1).locator('[data-field="member_not_included_reason"] textarea').fill('With his dad.');
  const pages = await printed(page);
  const all = pages.flat().join('\n');
  // An answer may wrap within its column of the household table.
  const flat = all.replace(/\s+/g, ' ');
  for (const answer of ['Priya Shah', '14 March 2025', 'Jo Bloggs', 'Alex Bloggs', 'With his dad.', 'Yes (chosen)']) {
    assert.ok(flat.includes(answer), `prints ${answer}`);
  }
  const sheet = pages.find((lines) => lines.includes('Household members'));
  const numbered = sheet.filter((l) => /^\d\s/.test(l)).map((l) => l[0]);
  assert.deepEqual(numbered.slice(0, 2), ['1', '2']);
  assert.ok(!sheet.some((l) => /^3\s+Yes\s+No$/.test(l)), 'no blank rows once rows are filled in');
  assert.ok(pages.length <= 8);
  await context.close();
});

test('a course pack: page numbers on every sheet, numbered contents matching numbered headings and running headers', async () => {
  const { context, page } = await open(PACK);
  const contents = await page.locator('.pack-contents a').allTextContents();
  const pages = await printed(page);
  pages.forEach((lines, i) => {
    assert.ok(lines[lines.length - 1].endsWith(`Page ${i + 1} of ${pages.length}`), `sheet ${i + 1} page number`);
    assert.ok(lines[0].endsWith(`Printed ${today()}`), `sheet ${i + 1} date printed`);
  });
  assert.ok(pages[0][0].startsWith('Chairing a Team Around the Family meeting'), 'the cover is headed by the pack title');
  const listed = pages.flat().filter((l) => /^\d+\. /.test(l));
  contents.forEach((title, i) => {
    const numbered = `${i + 1}. ${title}`;
    assert.ok(listed.some((l) => l.startsWith(numbered)), `the contents list gives ${numbered}`);
    // The item's own first sheet: its number and title head the sheet and the page.
    const first = pages.findIndex((lines) => lines[0].startsWith(numbered));
    assert.ok(first > 0, `a sheet headed "${numbered}"`);
    const top = pages[first].slice(1, 5).join(' ').replace(/\s+/g, ' ');
    assert.ok(top.includes(numbered), `its heading reads "${numbered}" on sheet ${first + 1}: ${top}`);
  });
  // Every sheet after the contents is headed by the item it belongs to, in order.
  const heads = pages.map((lines) => Number((/^(\d+)\. /.exec(lines[0]) || [])[1] || 0));
  assert.deepEqual([...heads].sort((a, b) => a - b), heads, 'item numbers only go up');
  await context.close();
});

for (const width of [320, 375]) {
  test(`at ${width} px: 40px radios and checkboxes, the scale in order, no sideways scrolling, no axe violations`, async () => {
    for (const rel of [EHA, REVIEW]) {
      const { context, page } = await open(rel, { viewport: { width, height: 740 } });
      const sizes = await page.$$eval('form.hb-form .repeat-rows .option-input, form.hb-form > section > .form-fields > .form-group .option-input', (inputs) =>
        inputs.filter((i) => i.getClientRects().length).map((i) => [i.getBoundingClientRect().width, i.getBoundingClientRect().height]));
      assert.ok(sizes.length > 10);
      for (const [w, h] of sizes) assert.ok(w >= 40 && h >= 40, `${rel}: a ${w}x${h} control`);
      const scales = await page.$$eval('.options-scale', (lists) => lists.filter((l) => l.getClientRects().length).map((l) =>
        [...l.querySelectorAll('.option-input')].map((i) => ({ x: Math.round(i.getBoundingClientRect().left), y: Math.round(i.getBoundingClientRect().top) }))));
      assert.ok(scales.length >= 1);
      for (const s of scales) {
        assert.equal(s.length, 10);
        const oneColumn = new Set(s.map((p) => p.x)).size === 1 && s.every((p, i) => i === 0 || p.y > s[i - 1].y);
        const oneRow = new Set(s.map((p) => p.y)).size === 1 && s.every((p, i) => i === 0 || p.x > s[i - 1].x);
        assert.ok(oneColumn || oneRow, `${rel}: 1 to 10 in one column or one row, in order: ${JSON.stringify(s)}`);
      }
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok((await overflow()) <= 0, `${rel} scrolls sideways at ${width}px`);
      assert.deepEqual(await axe(page), [], `${rel} at ${width}px`);
      await page.getByRole('button', { name: 'Check answers', exact: true }).click();
      assert.ok((await overflow()) <= 0, `${rel} scrolls sideways at ${width}px with errors showing`);
      assert.deepEqual(await axe(page), [], `${rel} at ${width}px with errors showing`);
      await context.close();
    }
  });
}

test('on a wide screen the scale is one row from 1 to 10', async () => {
  const { context, page } = await open(EHA, { viewport: { width: 1280, height: 800 } });
  const s = await page.$$eval('[data-field="family_confidence"] .option-input', (inputs) => inputs.map((i) => ({ x: i.getBoundingClientRect().left, y: i.getBoundingClientRect().top })));
  assert.equal(new Set(s.map((p) => Math.round(p.y))).size, 1, 'one row');
  assert.ok(s.every((p, i) => i === 0 || p.x > s[i - 1].x), 'in order');
  await context.close();
});
