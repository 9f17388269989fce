// Genograms (templates/assets/genogram.js): the fixture family of the issue
// drawn from file:// under the site's CSP and read back from the SVG's
// structure; rows added and removed; the text alternative; print to PDF;
// axe; and property tests of the layout over many generated families.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { REPO, openPage, axe, tempDir, execFileSync, noViolations, setUp } = require('./lib');
const { family, inClass, problems, fromLayout } = require('./genogram-families');

const FIXTURE = path.join(REPO, 'tests', 'fixtures', 'genogram');
const PAGE = pathToFileURL(path.join(FIXTURE, 'index.html')).href;
const BLANK = pathToFileURL(path.join(FIXTURE, 'blank.html')).href;
const genogram = require(path.join(REPO, 'templates', 'assets', 'genogram.js'));

/* The words and the family, from the fixture page itself. */
const html = fs.readFileSync(path.join(FIXTURE, 'index.html'), 'utf8');
const WORDS = JSON.parse(/<script type="application\/json" class="hb-text" data-for="genogram">([\s\S]*?)<\/script>/.exec(html)[1]);
const FAMILY = JSON.parse(/<script type="application\/json" id="fixture-people">([\s\S]*?)<\/script>/.exec(html)[1]);
const TODAY = '2025-06-01';
const byName = Object.fromEntries(FAMILY.map((p) => [p.name, p]));
const nameOf = Object.fromEntries(FAMILY.map((p) => [p.id, p.name]));

let browser;
setUp({ build: false, ready: (s) => ({ browser } = s) });

async function open(url = PAGE, options = {}) {
  const context = await browser.newContext(options);
  const page = await openPage(context, url);
  await page.waitForSelector(url === BLANK ? '.genogram' : '.genogram-svg');
  return { context, page };
}

function clean(page) {
  assert.deepEqual(page.problems.console, [], 'no console errors (a CSP violation would be one)');
  assert.deepEqual(page.problems.external, [], 'no request leaves file://');
}

/** What the SVG says: people (shape, marks, real bounding boxes) and family lines. */
function readSvg(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.genogram-svg');
    const segs = (d) => {
      const out = [];
      const re = /([ML])\s*(-?[\d.]+)\s+(-?[\d.]+)/g;
      let m, last = null;
      while ((m = re.exec(d))) {
        const pt = [parseFloat(m[2]), parseFloat(m[3])];
        if (m[1] === 'L' && last) out.push([last, pt]);
        last = pt;
      }
      return out;
    };
    const people = [...svg.querySelectorAll('.genogram-person')].map((g) => {
      const b = g.getBBox();
      const sb = g.querySelector('.genogram-symbol').getBBox();
      return {
        cx: sb.x + sb.width / 2, cy: sb.y + sb.height / 2,
        id: g.dataset.id, shape: g.dataset.shape,
        subject: !!g.querySelector('.genogram-subject'), died: !!g.querySelector('.genogram-died'),
        text: [...g.querySelectorAll('tspan')].map((t) => t.textContent),
        box: { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height },
      };
    });
    const key = (ids) => ids.slice().sort().join('+');
    const lines = [];
    const couples = [...svg.querySelectorAll('.genogram-couple')].map((g) => {
      const ends = [g.dataset.a, g.dataset.b];
      segs(g.querySelector('.genogram-couple-line').getAttribute('d')).forEach(([p, q]) => lines.push({ family: key(ends), ends, p, q }));
      return { a: g.dataset.a, b: g.dataset.b, status: g.dataset.status, marks: g.querySelectorAll('.genogram-mark').length };
    });
    const children = [...svg.querySelectorAll('.genogram-children')].map((g) => {
      const parents = g.dataset.parents.split(' ');
      const [descent, bar] = segs(g.querySelector('.genogram-descent').getAttribute('d'));
      lines.push({ family: key(parents), ends: parents, p: descent[0], q: descent[1] });
      lines.push({ family: key(parents), ends: [], p: bar[0], q: bar[1] });
      const kids = [...g.querySelectorAll('.genogram-drop')].map((d) => {
        segs(d.getAttribute('d')).forEach(([p, q]) => lines.push({ family: key(parents), ends: [d.dataset.child], p, q }));
        return d.dataset.child;
      });
      return { parents, kids };
    });
    const relations = [...svg.querySelectorAll('.genogram-relation')].map((g) => ({ a: g.dataset.a, b: g.dataset.b, quality: g.dataset.quality, paths: g.querySelectorAll('path').length }));
    return {
      people, couples, children, relations, lines,
      household: svg.querySelectorAll('.genogram-household').length,
      title: svg.querySelector('title').textContent,
      labelledBy: svg.getAttribute('aria-labelledby'), role: svg.getAttribute('role'),
    };
  });
}

function count(list, f) { return list.filter(f).length; }
function sameSet(a, b) { return a.slice().sort().join() === b.slice().sort().join(); }

test('the fixture family draws the right symbols, couples and child lines, read from the SVG', async () => {
  const { context, page } = await open();
  const d = await readSvg(page);
  // 5 men, 7 women, Riley (sex not given) a diamond; Leah the subject; Alan has died.
  assert.equal(d.people.length, FAMILY.length);
  assert.equal(count(d.people, (p) => p.shape === 'square'), 5);
  assert.equal(count(d.people, (p) => p.shape === 'circle'), 7);
  assert.equal(count(d.people, (p) => p.shape === 'diamond'), 1);
  assert.equal(await page.locator('.genogram-person[data-shape="square"] > rect.genogram-symbol').count(), 5, 'squares are <rect>');
  assert.equal(await page.locator('.genogram-person[data-shape="circle"] > circle.genogram-symbol').count(), 7, 'circles are <circle>');
  assert.equal(await page.locator('.genogram-person[data-shape="diamond"] > polygon.genogram-symbol').count(), 1, 'the diamond is a <polygon>');
  assert.deepEqual(d.people.filter((p) => p.subject).map((p) => p.id), [byName['Leah Jones'].id]);
  assert.deepEqual(d.people.filter((p) => p.died).map((p) => p.id), [byName['Alan Price'].id]);
  assert.equal(d.people.find((p) => p.shape === 'diamond').id, byName['Riley Jones'].id);
  // Names and ages under each symbol, ages counted to the page's "today".
  const label = (name) => d.people.find((p) => p.id === byName[name].id).text;
  assert.deepEqual(label('Leah Jones'), ['Leah Jones', 'age 15']);
  assert.deepEqual(label('Alan Price'), ['Alan Price', 'died aged 71']);
  assert.deepEqual(label('Riley Jones'), ['Riley Jones', 'age 1']);

  // Couples: one slash separated, two divorced, none together.
  const couple = (x, y) => d.couples.find((c) => sameSet([c.a, c.b], [byName[x].id, byName[y].id]));
  assert.equal(d.couples.length, 5);
  assert.equal(couple('Kerry Jones', 'Dean Jones').marks, 1);
  assert.equal(couple('Kerry Jones', 'Dean Jones').status, 'separated');
  assert.equal(couple('Brian Jones', 'Susan Jones').marks, 2);
  assert.equal(couple('Brian Jones', 'Susan Jones').status, 'divorced');
  for (const [x, y] of [['Alan Price', 'Margaret Price'], ['Kerry Jones', 'Mark Smith'], ['Dean Jones', 'Chloe Evans']]) {
    assert.equal(couple(x, y).marks, 0, `${x} and ${y} together`);
  }

  // Every child hangs from their own parents' line: the half-sister from her own father.
  for (const p of FAMILY.filter((x) => x.mother || x.father)) {
    const g = d.children.find((c) => c.kids.includes(p.id));
    assert.ok(g, `${p.name} has a child line`);
    assert.ok(sameSet(g.parents, [p.mother, p.father].filter(Boolean)), `${p.name} hangs from ${g.parents.map((i) => nameOf[i])}`);
  }
  // Children in birth order, oldest on the left.
  const x = (name) => d.people.find((p) => p.id === byName[name].id).cx;
  assert.ok(x('Leah Jones') < x('Sam Jones'), 'Leah (older) left of Sam');
  assert.ok(x('Lisa Price') < x('Kerry Jones'), 'Lisa (older) left of Kerry');
  // A person with two partners sits between them; the earlier (separated) partnership on the left.
  assert.ok(x('Mark Smith') < x('Kerry Jones') && x('Kerry Jones') < x('Dean Jones') || x('Dean Jones') < x('Kerry Jones') && x('Kerry Jones') < x('Mark Smith'), 'Kerry between Dean and Mark');
  assert.ok(x('Kerry Jones') < x('Dean Jones') && x('Dean Jones') < x('Chloe Evans'), 'Dean between Kerry and Chloe');
  // Generations: grandparents, parents, children in three rows.
  const y = (name) => d.people.find((p) => p.id === byName[name].id).cy;
  assert.ok(y('Alan Price') < y('Kerry Jones') && y('Kerry Jones') < y('Leah Jones'));
  assert.equal(y('Brian Jones'), y('Alan Price'));
  assert.equal(y('Mark Smith'), y('Kerry Jones'));
  assert.equal(y('Chloe Evans'), y('Dean Jones'));
  assert.equal(y('Riley Jones'), y('Ella Smith'));

  // Relationships, with the usual line styles, and the household boundary.
  const rel = (a, b) => d.relations.find((r) => sameSet([r.a, r.b], [byName[a].id, byName[b].id]));
  assert.equal(rel('Margaret Price', 'Leah Jones').quality, 'close');
  assert.equal(rel('Margaret Price', 'Leah Jones').paths, 2, 'close: two parallel lines');
  assert.equal(rel('Leah Jones', 'Mark Smith').quality, 'conflict');
  assert.equal(rel('Dean Jones', 'Brian Jones').quality, 'cut_off');
  assert.equal(rel('Dean Jones', 'Brian Jones').paths, 4, 'cut off: two pieces of line and two bars');
  assert.equal(rel('Kerry Jones', 'Lisa Price').quality, 'distant');
  assert.equal(d.household, 1, 'one dashed household path');

  // No two people (symbol with name and age, as rendered) overlap; no family lines cross.
  assert.deepEqual(problems(d.people, d.lines), []);
  assert.equal(d.role, 'img');
  assert.match(d.title, /13 people/);
  clean(page);
  await context.close();
});

test('the text alternative lists every person and every relationship in words', async () => {
  const { context, page } = await open();
  const items = await page.locator('.genogram-people-list > li').allTextContents();
  assert.equal(items.length, FAMILY.length);
  const item = (name) => items.find((t) => t.startsWith(name + ' '));
  assert.equal(item('Kerry Jones'), 'Kerry Jones (female, age 35, lives in the household): daughter of Margaret Price and Alan Price; '
    + 'mother of Leah Jones and Sam Jones with Dean Jones; mother of Ella Smith with Mark Smith; separated from Dean Jones; partner of Mark Smith; distant from Lisa Price.');
  assert.match(item('Leah Jones'), /^Leah Jones \(female, age 15, the child this assessment is about, lives in the household\): daughter of Kerry Jones and Dean Jones; close to Margaret Price; in conflict with Mark Smith\.$/);
  assert.match(item('Alan Price'), /died aged 71/);
  assert.match(item('Riley Jones'), /^Riley Jones \(age 1, does not live in the household\): child of Chloe Evans and Dean Jones\.$/);
  // Every link of the data is said, from both sides.
  const phrase = { together: 'partner of', separated: 'separated from', divorced: 'divorced from' };
  const quality = { close: 'close to', distant: 'distant from', conflict: 'in conflict with', cut_off: 'cut off from' };
  for (const p of FAMILY) {
    for (const l of p.partners || []) {
      assert.ok(item(p.name).includes(`${phrase[l.status]} ${nameOf[l.id]}`), `${p.name}: ${l.status} ${nameOf[l.id]}`);
      assert.ok(item(nameOf[l.id]).includes(`${phrase[l.status]} ${p.name}`), `${nameOf[l.id]}: ${l.status} ${p.name}`);
    }
    for (const l of p.relations || []) {
      assert.ok(item(p.name).includes(`${quality[l.quality]} ${nameOf[l.id]}`), `${p.name}: ${l.quality} ${nameOf[l.id]}`);
      assert.ok(item(nameOf[l.id]).includes(`${quality[l.quality]} ${p.name}`), `${nameOf[l.id]}: ${l.quality} ${p.name}`);
    }
    for (const role of ['mother', 'father']) {
      if (!p[role]) continue;
      assert.match(item(nameOf[p[role]]), new RegExp(`${role} of [^;]*${p.name}`), `${nameOf[p[role]]} is ${role} of ${p.name}`);
      assert.match(item(p.name), new RegExp(`(daughter|son|child) of [^;]*${nameOf[p[role]]}`), `${p.name} child of ${nameOf[p[role]]}`);
    }
  }
  assert.equal(await page.locator('.genogram-summary').textContent(), '13 people; 5 live in the household.');
  assert.equal(await page.locator('.genogram-notes').count(), 0, 'nothing to report for good data');
  // The drawing is an image with a name; keyboard users can scroll it but never need it.
  const drawing = page.locator('.genogram-drawing');
  assert.equal(await drawing.getAttribute('role'), 'group');
  assert.equal(await drawing.getAttribute('tabindex'), '0');
  clean(page);
  await context.close();
});

test('adding and removing a row redraws the diagram and its words', async () => {
  const { context, page } = await open();
  // A new baby for Kerry and Mark, from the controls (keyboard only).
  await page.locator('#add-name').fill('Baby Smith');
  await page.locator('#add-sex').selectOption('male');
  await page.locator('#add-dob').fill('2025-02-10');
  await page.locator('#add-mother').selectOption({ label: 'Kerry Jones' });
  await page.locator('#add-father').selectOption({ label: 'Mark Smith' });
  await page.locator('#add-household').check();
  await page.locator('#add-person').focus();
  await page.keyboard.press('Enter');
  let d = await readSvg(page);
  assert.equal(d.people.length, 14);
  assert.equal(count(d.people, (p) => p.shape === 'square'), 6);
  const baby = d.people.find((p) => p.text[0] === 'Baby Smith');
  assert.deepEqual(baby.text, ['Baby Smith', '3 months old']);
  const g = d.children.find((c) => c.kids.includes(baby.id));
  assert.ok(sameSet(g.parents, [byName['Kerry Jones'].id, byName['Mark Smith'].id]), 'the baby hangs from Kerry and Mark');
  assert.deepEqual(g.kids.map((k) => d.people.find((p) => p.id === k).text[0]), ['Ella Smith', 'Baby Smith'], 'after his older sister');
  assert.deepEqual(problems(d.people, d.lines), []);
  assert.match(d.title, /14 people/);
  assert.ok((await page.locator('.genogram-people-list > li').allTextContents()).some((t) => t.startsWith('Baby Smith (male, 3 months old, lives in the household): son of Kerry Jones and Mark Smith.')));
  assert.equal(await page.locator('.genogram-summary').textContent(), '14 people; 6 live in the household.');
  await noViolations(page, 'after adding a row');

  // Chloe's row removed: Riley now hangs from Dean alone, and the words say why.
  await page.getByRole('button', { name: 'Remove Chloe Evans' }).click();
  d = await readSvg(page);
  assert.equal(d.people.length, 13);
  assert.ok(!d.people.some((p) => p.text[0] === 'Chloe Evans'));
  const riley = d.children.find((c) => c.kids.includes(byName['Riley Jones'].id));
  assert.deepEqual(riley.parents, [byName['Dean Jones'].id]);
  assert.ok(!d.couples.some((c) => c.a === byName['Chloe Evans'].id || c.b === byName['Chloe Evans'].id));
  assert.deepEqual(problems(d.people, d.lines), []);
  const notes = await page.locator('.genogram-notes > li').allTextContents();
  assert.ok(notes.includes('The mother chosen for Riley Jones is no longer in the list, so that link is not drawn.'), notes.join('\n'));

  // Everyone removed: the drawing goes, the empty message shows.
  for (;;) {
    const b = page.locator('.fixture-remove').first();
    if (!(await b.count())) break;
    await b.click();
  }
  assert.equal(await page.locator('.genogram-svg').count(), 0);
  assert.equal(await page.locator('.genogram').getAttribute('data-state'), 'empty');
  assert.ok(await page.locator('.genogram-empty').isVisible());
  await noViolations(page, 'with nobody listed');
  clean(page);
  await context.close();
});

test('axe finds nothing on the fixture, wide and at 320 px, and the page does not scroll sideways', async () => {
  for (const width of [1024, 320]) {
    const { context, page } = await open(PAGE, { viewport: { width, height: 800 } });
    await noViolations(page, `${width} px`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `no sideways scroll of the page at ${width} px (${over})`);
    clean(page);
    await context.close();
  }
  const { context, page } = await open(BLANK);
  await noViolations(page, 'blank');
  clean(page);
  await context.close();
});

/** The PDF's text: `layout` keeps things side by side (a row of the
    diagram on one line); `flow` follows reading order with spaces for line
    breaks (an entry of the key, wrapped in its column, in one piece). */
function pdfText(pdf) {
  const dir = tempDir('genogram-pdf-');
  const file = path.join(dir, 'out.pdf');
  fs.writeFileSync(file, pdf);
  const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const flow = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  return { layout, flow };
}

test('printed on A4, the filled diagram fits the page with its key and words', async () => {
  const { context, page } = await open();
  await page.emulateMedia({ media: 'print' });
  const fit = await page.evaluate(() => {
    const svg = document.querySelector('.genogram-svg').getBoundingClientRect();
    const body = document.querySelector('main').getBoundingClientRect();
    return { svg: svg.width, page: body.width, blank: getComputedStyle(document.querySelector('.genogram-blank')).display };
  });
  assert.ok(fit.svg <= fit.page + 1, `the drawing fits the page (${fit.svg} of ${fit.page})`);
  assert.equal(fit.blank, 'none', 'no blank box when the diagram is drawn');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/, 'A4 pages');
  const text = pdfText(pdf);
  // The diagram: each generation a row of names side by side, ages under them, each once.
  assert.match(text.layout, /Alan Price +Margaret Price +Brian Jones +Susan Jones\n +died aged 71 +age 73 +age 68 +age 64\n/);
  assert.match(text.layout, /Lisa Price +Mark Smith +Kerry Jones +Dean Jones +Chloe Evans\n/);
  assert.match(text.layout, /Ella Smith +Leah Jones +Sam Jones +Riley Jones\n +age 3 +age 15 +age 11 +age 1\n/);
  // The key.
  for (const k of ['Key', 'Male', 'Female', 'Couple separated (one slash)', 'Couple divorced (two slashes)', 'Dashed outline: lives in the household', 'Conflict', 'Cut off']) {
    assert.ok(text.flow.includes(k), `the key's "${k}" is printed`);
  }
  // The words.
  assert.ok(text.flow.includes('The family in words'));
  assert.ok(text.flow.includes('Kerry Jones (female, age 35, lives in the household): daughter of Margaret Price and Alan Price;'));

  // Seven more children for Lisa: too wide to stay legible across portrait, so the diagram gets a landscape page.
  await page.emulateMedia({ media: 'screen' });
  for (let i = 1; i <= 7; i++) {
    await page.locator('#add-name').fill(`Child ${i} Price`);
    await page.locator('#add-mother').selectOption({ label: 'Lisa Price' });
    await page.locator('#add-person').click();
  }
  assert.ok(Number(await page.locator('.genogram-svg').getAttribute('width')) > 790);
  await page.emulateMedia({ media: 'print' });
  const wide = await page.pdf({ preferCSSPageSize: true });
  assert.match(wide.toString('latin1'), /\/MediaBox \[0 0 84[12]\.\d+ 59[45]\.\d+\]/, 'a landscape A4 page');
  assert.match(pdfText(wide).layout, /Child 1 Price +Child 2 Price +Child 3 Price/);
  clean(page);
  await context.close();
});

test('the fixture pages carry the site\'s Content-Security-Policy', () => {
  const csp = /pub const CSP: &str = "([^"]+)";/.exec(fs.readFileSync(path.join(REPO, 'src', 'render', 'mod.rs'), 'utf8'))[1];
  for (const file of ['index.html', 'blank.html']) {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(fs.readFileSync(path.join(FIXTURE, file), 'utf8'))[1];
    assert.equal(meta, csp, file);
  }
});

test('a blank printed form keeps a framed space to draw by hand, with the key', async () => {
  const { context, page } = await open(BLANK);
  await page.emulateMedia({ media: 'print' });
  const box = await page.evaluate(() => {
    const b = document.querySelector('.genogram-blank');
    const s = getComputedStyle(b);
    return { display: s.display, border: s.borderTopStyle, height: b.getBoundingClientRect().height };
  });
  assert.equal(box.display, 'block');
  assert.equal(box.border, 'solid');
  // 120 mm (453 px): half a sheet and more, so the key and the next section can share its page.
  assert.ok(box.height >= 115 * 96 / 25.4, `a tall space to draw in (${box.height} px)`);
  const text = pdfText(await page.pdf({ format: 'A4' })).flow;
  assert.ok(text.includes('Draw the family here'));
  for (const k of ['Key', 'Male', 'Female', 'Couple divorced (two slashes)', 'Cut off']) assert.ok(text.includes(k), `key: ${k}`);
  assert.ok(!text.includes('The diagram is drawn here'), 'the on-screen message is not printed');
  clean(page);
  await context.close();
});

/* ------------------------------------------------------------ no browser */

test('layout: random families of up to 20 people over 4 generations never overlap, and those in the class never cross', () => {
  let inside = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const people = family(seed);
    const lay = genogram.layout(people, { words: WORDS, today: TODAY });
    const { people: boxes, lines } = fromLayout(lay);
    const found = problems(boxes, lines);
    assert.equal(lay.people.length, people.length, `seed ${seed}: everyone drawn`);
    assert.deepEqual(found.filter((f) => !f.startsWith('crossing')), [], `seed ${seed}: no overlap, no line through a person`);
    if (inClass(people)) {
      inside++;
      assert.deepEqual(found, [], `seed ${seed}: in the class, so no crossing (${JSON.stringify(people)})`);
      assert.equal(lay.crossings, 0, `seed ${seed}`);
    } else if (found.length) {
      assert.ok(lay.crossings > 0, `seed ${seed}: a crossing the layout did not report`);
      const d = genogram.describe(people, WORDS, { today: TODAY, layout: lay });
      assert.ok(d.notes.includes(WORDS.problem_crossing), `seed ${seed}: the words say lines cross`);
    }
    const rows = Object.keys(lay.rows).length;
    assert.ok(rows <= 4, `seed ${seed}: at most four generations (${rows})`);
  }
  assert.ok(inside >= 260, `most generated families are in the class (${inside} of 300)`);
});

test('layout: bad data is drawn as far as it can be and reported, never thrown', () => {
  const cases = [
    ['a cycle of parents', [{ id: 'a', name: 'Ann', mother: 'b' }, { id: 'b', name: 'Bea', mother: 'a' }], /Ann is given as a parent of Bea, but is also among Bea's descendants/],
    ['own parent', [{ id: 'a', name: 'Ann', mother: 'a' }], /Ann is chosen as their own parent/],
    ['a missing id', [{ id: 'a', name: 'Ann', father: 'gone', partners: [{ id: 'gone2', status: 'divorced' }] }], /The father chosen for Ann is no longer in the list/],
    ['two mothers', [{ id: 'k', name: 'Kerry', sex: 'female', mother_of: ['c'] }, { id: 'j', name: 'Jane', sex: 'female' }, { id: 'c', name: 'Cal', mother: 'j' }],
      /Kerry is given as the mother of Cal, but Cal's own details give Jane as mother: Cal is drawn as Jane's child/],
    ['the same id twice', [{ id: 'a', name: 'Ann' }, { id: 'a', name: 'Annie' }], /Annie and Ann have the same reference/],
    ['not people', [null, 'x', 3, { name: 'Only a name' }], /Entry 1 in the list is not a person/],
    ['partner and child', [{ id: 'm', name: 'Mo', partners: [{ id: 'c' }] }, { id: 'c', name: 'Cy', mother: 'm' }], /does not fit the generations/],
  ];
  for (const [what, people, note] of cases) {
    const lay = genogram.layout(people, { words: WORDS, today: TODAY });
    const d = genogram.describe(people, WORDS, { today: TODAY, layout: lay });
    assert.match(d.notes.join('\n'), note, what);
    const { people: boxes, lines } = fromLayout(lay);
    assert.deepEqual(problems(boxes, lines).filter((f) => !f.startsWith('crossing')), [], what);
    assert.equal(d.people.length, lay.people.length, what);
  }
  // Not a list at all, and values of the wrong type.
  for (const junk of [undefined, null, 'people', 42, {}, [{ id: {}, name: ['x'], sex: 3, born: '2020-13-45', age: -4, died: 'maybe', partners: 'x', relations: [null, 1] }]]) {
    const lay = genogram.layout(junk, { words: WORDS, today: TODAY });
    assert.ok(Array.isArray(lay.people));
    genogram.describe(junk, WORDS, { today: TODAY });
  }
  // Someone with three partners, each with a child: drawn, and the crossing said.
  const three = [{ id: 'p', name: 'P', sex: 'male', partners: [{ id: 'a', status: 'divorced' }, { id: 'b', status: 'separated' }, { id: 'c' }] },
    { id: 'a', name: 'A', sex: 'female' }, { id: 'b', name: 'B', sex: 'female' }, { id: 'c', name: 'C', sex: 'female' },
    { id: 'k1', name: 'K1', mother: 'a', father: 'p' }, { id: 'k2', name: 'K2', mother: 'b', father: 'p' }, { id: 'k3', name: 'K3', mother: 'c', father: 'p' }];
  const lay = genogram.layout(three, { words: WORDS, today: TODAY });
  assert.equal(lay.people.length, 7);
  assert.ok(genogram.describe(three, WORDS, { today: TODAY, layout: lay }).notes.includes(WORDS.problem_crossing));
});

test('layout: a long list (far beyond a household) still lays out without overlaps', () => {
  let people = [];
  for (let s = 1; people.length < 200; s++) {
    const suffix = (id) => id && id + '_' + s;
    people = people.concat(family(s).map((p) => ({ ...p, id: suffix(p.id), mother: suffix(p.mother), father: suffix(p.father), partners: p.partners.map((l) => ({ ...l, id: suffix(l.id) })), relations: [] })));
  }
  const lay = genogram.layout(people, { words: WORDS, today: TODAY });
  assert.equal(lay.people.length, people.length);
  const { people: boxes, lines } = fromLayout(lay);
  assert.deepEqual(problems(boxes, lines).filter((f) => f.startsWith('overlap')), []);
});

test('fromRows: household rows become people, with the ids the pickers store', () => {
  const rows = [
    { member_id: 'r1', member_name: 'Kerry Jones', member_sex: 'female', member_dob: '1990-05-14', member_in_household: 'yes', member_partner: 'r2', member_partner_status: 'separated', member_relation: 'r3', member_relation_quality: 'close' },
    { member_id: 'r2', member_name: 'Dean Jones', member_sex: 'male', member_in_household: 'no', member_age: '36' },
    { member_id: 'r3', member_name: 'Leah Jones', member_mother: 'r1', member_father: 'r2', member_subject: 'yes', member_died: 'no' },
    { member_id: 'r4', member_name: 'Alan Price', member_died: 'yes', member_died_age: '71', member_partners: [{ partner: 'r5', status: 'divorced' }] },
    { member_id: 'r5', member_name: 'Pat Price' },
  ];
  const people = genogram.fromRows(rows);
  assert.deepEqual(people[0], {
    id: 'r1', name: 'Kerry Jones', sex: 'female', born: '1990-05-14', age: undefined, died: false, died_age: undefined,
    in_household: true, subject: false, mother: '', father: '', partners: [{ id: 'r2', status: 'separated' }], relations: [{ id: 'r3', quality: 'close' }],
  });
  assert.equal(people[1].in_household, false);
  assert.equal(people[2].subject, true);
  assert.deepEqual(people[3].partners, [{ id: 'r5', status: 'divorced' }]);
  const d = genogram.describe(people, WORDS, { today: TODAY });
  assert.match(d.people[0].text, /separated from Dean Jones/);
  assert.match(d.people[1].text, /age 36/);
  assert.match(d.people[3].text, /died aged 71.*divorced from Pat Price/);
  assert.match(d.people[2].text, /child of Kerry Jones and Dean Jones/);
});

test('layout: an unborn baby, twins, a single parent, a great-grandparent and someone with no name', () => {
  const people = [
    { id: 'gg1', name: 'Edna Hill', sex: 'female', born: '1930-03-01', died: true, died_on: '2018-03-10', partners: [{ id: 'gg2' }] },
    { id: 'gg2', name: 'Walter Hill', sex: 'male', died: true, age: 80 },
    { id: 'g1', name: 'June Hill', sex: 'female', born: '1955-05-05', mother: 'gg1', father: 'gg2', partners: [{ id: 'g2', status: 'divorced' }, { id: 'g3', status: 'together' }] },
    { id: 'g2', name: 'Roy Baker', sex: 'male', born: '1952-02-02' },
    { id: 'g3', name: 'Colin Ward', sex: 'male', age: 75 },
    { id: 'a1', name: 'Tina Baker', sex: 'female', born: '1978-07-07', mother: 'g1', father: 'g2' },
    { id: 'a2', name: 'Paul Ward', sex: 'male', born: '1982-08-08', mother: 'g1', father: 'g3', in_household: true, partners: [{ id: 'a3' }] },
    { id: 'a3', name: 'Sophie Ward', sex: 'female', born: '1985-09-09', in_household: true },
    { id: 'c1', name: 'Amy Ward', sex: 'female', born: '2012-04-04', mother: 'a3', father: 'a2', subject: true },
    { id: 'c2', name: 'Ben Ward', sex: 'male', born: '2012-04-04', mother: 'a3', father: 'a2', subject: true },
    { id: 'c3', name: '', born: '2025-11-20', mother: 'a3', father: 'a2' },
    { id: 'c4', name: 'Jade Baker', sex: 'not_said', born: '2001-01-01', mother: 'a1' },
    { id: 'c5', name: 'Kai Baker', sex: 'male', born: '2024-12-01', mother: 'a1' },
  ];
  const lay = genogram.layout(people, { words: WORDS, today: TODAY });
  const p = (id) => lay.people.find((x) => x.id === id);
  assert.equal(Object.keys(lay.rows).length, 4, 'four generations');
  assert.deepEqual(p('c3').lines, ['Person 11', 'due November 2025']);
  assert.equal(p('c3').shape, 'triangle', 'an unborn baby is a triangle');
  assert.equal(p('c4').shape, 'diamond', 'prefers not to say: a diamond');
  assert.deepEqual(p('gg1').lines, ['Edna Hill', 'died aged 88'], 'age at death from the two dates');
  assert.deepEqual(p('gg2').lines, ['Walter Hill', 'died aged 80'], 'for someone who died, the age given is the age they died at');
  assert.deepEqual(p('c5').lines, ['Kai Baker', '6 months old']);
  assert.deepEqual(p('g3').lines, ['Colin Ward', 'age 75']);
  assert.ok(p('c1').subject && p('c2').subject, 'two children the assessment is about');
  // The twins' lines leave the bar from one point; their younger sibling's does not.
  const kids = lay.children.find((c) => c.drops.some((d) => d.child === 'c1'));
  const start = (id) => kids.drops.find((d) => d.child === id).path[0];
  assert.deepEqual(start('c1'), start('c2'));
  assert.notDeepEqual(start('c3'), start('c1'));
  // Tina's children hang from her alone, from below her name.
  const tina = lay.children.find((c) => c.drops.some((d) => d.child === 'c4'));
  assert.deepEqual(tina.parents, ['a1']);
  assert.ok(tina.descent[0][1] >= p('a1').box.y2, 'below her label');
  assert.equal(tina.descent[0][0], p('a1').x);
  // Single children straight under their parents' line.
  for (const id of ['g1', 'a1', 'a2']) {
    const c = lay.children.find((x) => x.drops.some((d) => d.child === id));
    assert.ok(Math.abs(c.descent[0][0] - p(id).x) < 0.5, `${id} straight below`);
  }
  const { people: boxes, lines } = fromLayout(lay);
  assert.deepEqual(problems(boxes, lines), []);
  const d = genogram.describe(people, WORDS, { today: TODAY });
  assert.match(d.people.find((x) => x.id === 'c3').text, /^Person 11 \(unborn baby, due November 2025\): child of Sophie Ward and Paul Ward\.$/);
  assert.match(d.people.find((x) => x.id === 'c4').text, /prefers not to say their sex, age 24/);
  assert.match(d.people.find((x) => x.id === 'g1').text, /mother of Tina Baker with Roy Baker; mother of Paul Ward with Colin Ward; divorced from Roy Baker; partner of Colin Ward/);
});
