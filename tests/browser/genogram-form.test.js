// The genogram on the built Early Help Assessment, from file://, filled in
// as a practitioner would through the form itself: the family over
// three generations (grandparents, one of whom has died; a separated couple
// and their children; the mother's new partner and their baby, the
// children's half-sister). The drawing is read from the SVG's structure
// (symbols by shape, couples and their marks, which children hang from
// which parents), never from pixels.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fileUrl, openPage, axe, tempDir, execFileSync, setUp, noViolations, noProblems } = require('./lib');
const { fillDate, downloadAnswers, openAnswers, assertValid } = require('./forms-lib');

const EHA = 'forms/early-help-assessment.html';

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

// sex, date of birth, lives in the household, a child the assessment is about,
// died (and the age), mother, father, partner (and status), relationship.
const FAMILY = [
  { name: 'Alan Price', sex: 'Male', dob: [11, 2, 1948], home: 'no', died: 71, partner: ['Margaret Price', 'Together'] },
  { name: 'Margaret Price', sex: 'Female', dob: [30, 7, 1951], home: 'no', relation: ['Leah Jones', 'Close'] },
  { name: 'Kerry Jones', sex: 'Female', dob: [14, 5, 1990], home: 'yes', mother: 'Margaret Price', father: 'Alan Price', partner: ['Dean Jones', 'Separated'], relation: ['Dean Jones', 'In conflict'] },
  { name: 'Dean Jones', sex: 'Male', dob: [3, 9, 1988], home: 'no' },
  { name: 'Leah Jones', sex: 'Female', dob: [2, 3, 2012], home: 'yes', subject: true, mother: 'Kerry Jones', father: 'Dean Jones' },
  { name: 'Sam Jones', sex: 'Male', dob: [20, 8, 2015], home: 'yes', subject: true, mother: 'Kerry Jones', father: 'Dean Jones' },
  { name: 'Mark Ellis', sex: 'Male', dob: [10, 1, 1986], home: 'yes', partner: ['Kerry Jones', 'Together'] },
  { name: 'Ruby Ellis', sex: 'Female', dob: [1, 4, 2023], home: 'yes', mother: 'Kerry Jones', father: 'Mark Ellis' },
  { name: 'Jordan Price', sex: 'Prefer not to say', dob: [6, 6, 1993], home: 'no', mother: 'Margaret Price', father: 'Alan Price' },
];

function rows(page) {
  return page.locator('.repeat[data-field="household_members"] .repeat-rows > .repeat-row');
}

function field(row, id) {
  return row.locator(`[data-field="${id}"]`);
}

/** Adds a row (the first is there already) and fills the person's name and facts, not yet their links. */
async function addPerson(page, p, i) {
  if (i > 0) await page.getByRole('button', { name: 'Add another household member', exact: true }).click();
  const row = rows(page).nth(i);
  await field(row, 'member_name').locator('input').fill(p.name);
  await fillDate(row, 'member_dob', ...p.dob);
  await field(row, 'member_sex').getByLabel(p.sex, { exact: true }).check();
  await field(row, 'member_in_household').locator(`input[value=${p.home}]`).check();
  await field(row, 'member_subject').locator(`input[value=${p.subject ? 'yes' : 'no'}]`).check();
  await field(row, 'member_included').locator('input[value=yes]').check();
  if (p.died) {
    await field(row, 'member_died').locator('input[value=yes]').check();
    await field(row, 'member_died_age').locator('input').fill(String(p.died));
  }
}

/** Picks each person's mother, father, partner and relationship from the lists of the other rows. */
async function linkPerson(page, p, i) {
  const row = rows(page).nth(i);
  const pick = (id, label) => field(row, id).locator('select').selectOption({ label });
  if (p.mother) await pick('member_mother', p.mother);
  if (p.father) await pick('member_father', p.father);
  if (p.partner) {
    await pick('member_partner', p.partner[0]);
    await pick('member_partner_status', p.partner[1]);
  }
  if (p.relation) {
    await pick('member_relation', p.relation[0]);
    await pick('member_relation_quality', p.relation[1]);
  }
}

async function fillFamily(page) {
  for (const [i, p] of FAMILY.entries()) await addPerson(page, p, i);
  for (const [i, p] of FAMILY.entries()) await linkPerson(page, p, i);
}

/** The drawing's structure, by name rather than by the rows' random ids. */
async function drawing(page) {
  return page.evaluate(() => {
    const names = {};
    for (const row of document.querySelectorAll('.repeat[data-field="household_members"] .repeat-rows > .repeat-row')) {
      names[row.querySelector('[data-field="member_id"] input').value] = row.querySelector('[data-field="member_name"] input').value;
    }
    const svg = document.querySelector('.genogram .genogram-drawing svg');
    if (!svg) return null;
    const byName = (id) => names[id] || id;
    const pair = (a, b) => [byName(a), byName(b)].sort().join(' + ');
    const people = [...svg.querySelectorAll('.genogram-person')].map((g) => {
      const box = g.querySelector('.genogram-symbol').getBBox();
      const label = g.querySelector('.genogram-label').getBBox();
      return {
        name: byName(g.getAttribute('data-id')),
        shape: g.getAttribute('data-shape'),
        subject: !!g.querySelector('.genogram-subject'),
        died: !!g.querySelector('.genogram-died'),
        box: [box.x, box.y, box.width, box.height],
        label: [label.x, label.y, label.width, label.height],
      };
    });
    const couples = [...svg.querySelectorAll('.genogram-couple')].map((g) => ({
      pair: pair(g.getAttribute('data-a'), g.getAttribute('data-b')),
      status: g.getAttribute('data-status'),
      marks: g.querySelectorAll('.genogram-mark').length,
    })).sort((a, b) => a.pair.localeCompare(b.pair));
    const children = [...svg.querySelectorAll('.genogram-children')].map((g) => ({
      parents: g.getAttribute('data-parents').split(' ').map(byName).sort().join(' + '),
      children: [...g.querySelectorAll('.genogram-drop')].map((d) => byName(d.getAttribute('data-child'))),
    })).sort((a, b) => a.parents.localeCompare(b.parents));
    const relations = [...svg.querySelectorAll('.genogram-relation')].map((g) => ({
      pair: pair(g.getAttribute('data-a'), g.getAttribute('data-b')),
      quality: g.getAttribute('data-quality'),
    })).sort((a, b) => a.pair.localeCompare(b.pair));
    return {
      title: svg.querySelector('title').textContent,
      people,
      couples,
      children,
      relations,
      household: svg.querySelectorAll('.genogram-household').length,
      words: [...document.querySelectorAll('.genogram-words li')].map((li) => li.textContent),
    };
  });
}

function shapes(d) {
  const count = {};
  for (const p of d.people) count[p.shape] = (count[p.shape] || 0) + 1;
  return count;
}

function overlaps(a, b) {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

function assertFamily(d) {
  assert.ok(d, 'the diagram is drawn');
  assert.equal(d.title, 'Genogram of 9 people');
  assert.deepEqual(shapes(d), { square: 4, circle: 4, diamond: 1 }, 'squares for males, circles for females, a diamond for Jordan');
  assert.deepEqual(d.people.filter((p) => p.subject).map((p) => p.name).sort(), ['Leah Jones', 'Sam Jones'], 'a double outline for the children the assessment is about');
  assert.deepEqual(d.people.filter((p) => p.died).map((p) => p.name), ['Alan Price'], 'a cross for the grandfather who has died');
  assert.deepEqual(d.couples, [
    { pair: 'Alan Price + Margaret Price', status: 'together', marks: 0 },
    { pair: 'Dean Jones + Kerry Jones', status: 'separated', marks: 1 },
    { pair: 'Kerry Jones + Mark Ellis', status: 'together', marks: 0 },
  ]);
  assert.deepEqual(d.children, [
    { parents: 'Alan Price + Margaret Price', children: ['Kerry Jones', 'Jordan Price'] },
    { parents: 'Dean Jones + Kerry Jones', children: ['Leah Jones', 'Sam Jones'] },
    { parents: 'Kerry Jones + Mark Ellis', children: ['Ruby Ellis'] },
  ], 'children hang from their own parents\u2019 line, oldest first');
  assert.deepEqual(d.relations, [
    { pair: 'Dean Jones + Kerry Jones', quality: 'conflict' },
    { pair: 'Leah Jones + Margaret Price', quality: 'close' },
  ]);
  assert.equal(d.household, 1, 'a dashed line round the household');
  // No two symbols, or labels, overlap.
  for (const [i, a] of d.people.entries()) {
    for (const b of d.people.slice(i + 1)) {
      assert.ok(!overlaps(a.box, b.box), `${a.name} and ${b.name}: symbols apart`);
      assert.ok(!overlaps(a.label, b.label), `${a.name} and ${b.name}: labels apart`);
    }
  }
  // The text alternative: every person, and every relationship in words.
  assert.equal(d.words.length, 9);
  const said = (name) => d.words.find((w) => w.startsWith(name + ' ('));
  assert.match(said('Kerry Jones'), /female, age \d+, lives in the household\)/);
  for (const phrase of [
    'daughter of Margaret Price and Alan Price', 'mother of Leah Jones and Sam Jones with Dean Jones', 'mother of Ruby Ellis with Mark Ellis',
    'separated from Dean Jones', 'partner of Mark Ellis', 'in conflict with Dean Jones',
  ]) assert.ok(said('Kerry Jones').includes(phrase), `Kerry: ${phrase} in ${said('Kerry Jones')}`);
  assert.match(said('Alan Price'), /male, died aged 71, does not live in the household\): .*partner of Margaret Price/);
  assert.match(said('Margaret Price'), /close to Leah Jones/);
  assert.match(said('Leah Jones'), /the child this assessment is about/);
  assert.match(said('Leah Jones'), /daughter of Kerry Jones and Dean Jones/);
  assert.match(said('Ruby Ellis'), /daughter of Kerry Jones and Mark Ellis/);
  assert.match(said('Jordan Price'), /prefers not to say their sex/);
}

test('the household rows draw the three-generation family: shapes, couples, children, relationships and the words', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, EHA));
  const genogram = page.locator('.genogram[data-genogram-for="household_members"]');
  assert.equal(await genogram.getAttribute('data-state'), 'empty', 'nobody listed yet');
  assert.ok(await genogram.locator('.genogram-empty').isVisible());
  await noViolations(page, 'empty genogram');

  await fillFamily(page);
  const d = await drawing(page);
  assertFamily(d);
  assert.equal(await genogram.getAttribute('data-state'), 'filled');

  // A person list offers the other rows by name, never the row itself, and follows a name being corrected.
  const mother = field(rows(page).nth(4), 'member_mother').locator('select');
  const offered = await mother.locator('option').allTextContents();
  assert.deepEqual(offered, ['Nobody chosen', ...FAMILY.map((p) => p.name).filter((n) => n !== 'Leah Jones')]);
  await field(rows(page).nth(2), 'member_name').locator('input').fill('Kerry Ellis');
  assert.equal(await mother.locator('option:checked').textContent(), 'Kerry Ellis', 'the choice stays with the person as her name changes');
  assert.ok((await drawing(page)).words.some((w) => w.startsWith('Leah Jones (') && w.includes('daughter of Kerry Ellis and Dean Jones')), 'and the diagram redraws');
  await field(rows(page).nth(2), 'member_name').locator('input').fill('Kerry Jones');

  await noViolations(page, 'filled genogram');
  await noProblems(page);
  await context.close();
});

test('adding and removing a row redraws, and Undo puts the person and their links back', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, EHA));
  await fillFamily(page);
  await addPerson(page, { name: 'Tom Ellis', sex: 'Male', dob: [5, 5, 2010], home: 'no' }, FAMILY.length);
  await linkPerson(page, { father: 'Mark Ellis' }, FAMILY.length);
  let d = await drawing(page);
  assert.equal(d.people.length, 10);
  assert.equal(shapes(d).square, 5);
  assert.ok(d.children.some((c) => c.parents === 'Mark Ellis' && c.children.join() === 'Tom Ellis'), 'Tom hangs from his father alone');

  await rows(page).nth(FAMILY.length).getByRole('button', { name: `Remove household member ${FAMILY.length + 1}` }).click();
  assertFamily(await drawing(page));

  // Removing Kerry takes her links out of the drawing; Undo brings them back.
  await rows(page).nth(2).getByRole('button', { name: 'Remove household member 3' }).click();
  d = await drawing(page);
  assert.equal(d.people.length, 8);
  assert.ok(!d.couples.some((c) => c.pair.includes('Kerry')));
  await page.getByRole('button', { name: 'Undo removing household member 3' }).click();
  assertFamily(await drawing(page));
  await noProblems(page);
  await context.close();
});

test('the answers file holds only the rows, and opening it draws the same diagram', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await openPage(context, fileUrl(site, EHA));
  await fillFamily(page);
  const before = await drawing(page);
  const { name, text } = await downloadAnswers(page);
  const file = JSON.parse(text);
  assert.doesNotMatch(text, /<svg|genogram|viewBox/i, 'no drawing in the file');
  assert.ok(!('family_genogram' in file.answers), 'the genogram holds no answer of its own');
  const members = file.answers.household_members;
  assert.equal(members.length, 9);
  const ids = members.map((m) => m.member_id);
  assert.ok(ids.every((id) => /^[a-z0-9]{2,40}$/.test(id)) && new Set(ids).size === 9, `stable, distinct row ids: ${ids}`);
  const kerry = members.find((m) => m.member_name === 'Kerry Jones');
  const byId = (id) => members.find((m) => m.member_id === id).member_name;
  assert.equal(byId(kerry.member_mother), 'Margaret Price', 'a link is the other row\u2019s id');
  assert.equal(kerry.member_partner_status, 'separated');
  assertValid(site, 'early-help-assessment', file);

  const other = await browser.newContext();
  const again = await openPage(other, fileUrl(site, EHA));
  await openAnswers(again, name, text);
  assert.match(await again.locator('#form-status').textContent(), /filled in its answers/);
  const after = await drawing(again);
  assert.deepEqual({ ...after, people: after.people.map((p) => p.name) }, { ...before, people: before.people.map((p) => p.name) }, 'the same diagram');
  assert.deepEqual(after.people, before.people, 'in the same places');
  // The ids came back with the rows: downloading again gives the same ones.
  const second = JSON.parse((await downloadAnswers(again)).text);
  assert.deepEqual(second.answers.household_members.map((m) => m.member_id), ids);
  await noProblems(page);
  await noProblems(again);
  await context.close();
  await other.close();
});

/** Prints the page to an A4 PDF; returns the text of each sheet (pdftotext -layout). */
async function printed(page) {
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const file = path.join(tempDir('handbook-print-'), 'out.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
}

test('printed, a filled assessment has the diagram with its key; a blank one a framed space to draw in, with the key', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, EHA));
  await page.emulateMedia({ media: 'print' });
  const genogram = page.locator('.genogram');
  assert.ok(await genogram.locator('.genogram-blank').isVisible(), 'the framed space prints while nobody is listed');
  const frame = await genogram.locator('.genogram-blank').boundingBox();
  // At least 115 mm: half a sheet and more, so the key and the next section can share its page.
  assert.ok(frame.height >= 115 * 96 / 25.4, `room to draw: ${frame.height}px`);
  let sheets = await printed(page);
  let sheet = sheets.find((s) => s.includes('Draw the family here'));
  assert.ok(sheet, 'the blank form prints the space to draw the family');
  assert.match(sheet, /Key/);
  for (const words of [/Couple together/, /Couple separated/, /Dashed outline/, /Cut off/]) assert.match(sheet, words, 'the key prints');

  await page.emulateMedia({ media: 'screen' });
  await fillFamily(page);
  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await genogram.locator('.genogram-blank').isVisible()), 'no empty frame once the family is drawn');
  const svg = await genogram.locator('svg.genogram-svg').boundingBox();
  assert.ok(svg.width > 300, `the diagram prints at a legible width: ${svg.width}px`);
  // Text in the drawing stays at 7 pt or more on paper (11 user units scaled to the printed width).
  const scale = await page.evaluate(() => {
    const s = document.querySelector('svg.genogram-svg');
    return s.getBoundingClientRect().width / s.viewBox.baseVal.width;
  });
  assert.ok(11 * scale * 0.75 >= 7, `label text ${(11 * scale * 0.75).toFixed(1)} pt`);
  sheets = await printed(page);
  const all = sheets.join('\n');
  assert.doesNotMatch(all, /Draw the family here/);
  sheet = sheets.find((s) => s.includes('Family diagram (genogram)'));
  assert.ok(sheet, 'the diagram\u2019s heading prints');
  const diagramSheets = sheets.filter((s) => /Alan Price/.test(s) && /Key/.test(s) && /Couple divorced/.test(s));
  assert.ok(diagramSheets.length >= 1, 'the names in the drawing print on a sheet with the key');
  assert.match(all, /The family in words/);
  assert.match(all, /separated from Dean Jones/);
  await noProblems(page);
  await context.close();
});
