// A Welsh handbook from file://: with `language = "cy"`, no English word of
// the interface is left on any kind of page (compared against every string
// of templates/lang/en.toml that differs in cy.toml), in the visible text
// or in aria-label and title attributes, scripts' words included (search
// results, the error summary, decision steps, saved drafts); and axe
// passes with lang="cy". The default handbook's content stays English, so
// the parts of a page that hold content are left out of the comparison.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, buildSite, newHandbook, fileUrl, openPage, axe, setUp } = require('./lib');

/** Every string literal of a strings file (values only: keys are bare). */
function strings(lang) {
  const text = fs.readFileSync(path.join(REPO, 'templates', 'lang', `${lang}.toml`), 'utf8');
  const out = [];
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.push(JSON.parse(`"${m[1]}"`));
  }
  return out;
}

/** The pieces of each English string between its {places}, that Welsh
    lacks (names such as Enter, JSON and Atom are in the Welsh too). */
function englishFragments() {
  const welsh = strings('cy').join('\n');
  const inWelsh = (f) => new RegExp(`(^|[^\\p{L}])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(welsh);
  const out = new Set();
  for (const s of strings('en')) {
    for (let f of s.split(/\{\w+\}/)) {
      f = f.trim().replace(/^[\s.,:;()…“”]+|[\s.,:;()…“”]+$/g, '');
      if (f.length > 3 && !inWelsh(f) && /[a-z]/i.test(f)) out.add(f);
    }
  }
  return [...out];
}

const FRAGMENTS = englishFragments();

// Where a page shows the handbook's own (English) content rather than the theme's words.
const CONTENT = [
  '.prose', 'h1', '.lede', '.caption', '#site-nav a', '.breadcrumbs a', '.section-list a', '.section-list p',
  '.az-list', '.pager a', '.brand', '.label', '.legend', '.hint', '.option-label', '.guidance-title', '.form-section-title',
  '.repeat-title', '.row-item', '.repeat-head', '.print-options', '.repeat-add', '.option-details li', '.form-toc a',
  '.decision-answers', '.decision-result dd', '.record-list dd', '.decision-guidance', '.warning-text-text',
  '.search-page-title', '.search-page-where', '.search-page-snippet', '.search-option', '.glossary', '.footer-contact h3',
  '.footer-contact li', '.footer-about', '.print-footer', 'select option', '.toc a', 'title',
  // An outcome's areas ("Ardaloedd: Health, Family") are the framework's own titles.
  '.kind-outcomes .option-hint',
  // The forms a form carries on from are named by their own titles.
  '.carry-hint a',
].join(', ');

/** The theme's words on the page: visible text outside content, and labels. */
async function uiText(page) {
  return page.evaluate((content) => {
    const parts = [];
    for (const el of document.querySelectorAll('[aria-label], [title]')) {
      if (el.closest(content)) continue;
      for (const a of ['aria-label', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
    }
    const clone = document.body.cloneNode(true);
    for (const el of clone.querySelectorAll(content + ', script, template, [hidden], .print-only')) el.remove();
    // Quoted words are the content's (a question's label in an error message).
    parts.push(clone.textContent.replace(/“[^”]*”/g, ' '));
    return parts.join('\n').replace(/\s+/g, ' ');
  }, CONTENT);
}

function englishIn(text) {
  return FRAGMENTS.filter((f) => {
    const escaped = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(text);
  });
}

let site;
let browser;
setUp({
  build: false,
  ready: (s) => {
    ({ browser } = s);
    const root = newHandbook();
    const config = path.join(root, 'handbook.toml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^language = .*$/m, 'language = "cy"'));
    // The glossary's own title is content; without one it is the theme's "Geirfa".
    const glossary = path.join(root, 'glossary.toml');
    fs.writeFileSync(glossary, fs.readFileSync(glossary, 'utf8').replace(/^title = .*$/m, ''));
    site = buildSite(root, { HANDBOOK_TODAY: '2026-12-02' });
  },
});

async function check(url, act) {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, url.split('?')[0]) + (url.includes('?') ? '?' + url.split('?')[1] : ''));
  if (act) await act(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy', url);
  const text = await uiText(page);
  assert.ok(text.length > 100, `${url}: some words to look at`);
  assert.deepEqual(englishIn(text), [], `${url}: English words of the interface left on the page`);
  assert.deepEqual(await axe(page), [], `${url}: axe`);
  assert.deepEqual(page.problems, { console: [], external: [] }, url);
  await context.close();
  return text;
}

test('the English strings to look for are many, and Welsh has none of them', () => {
  assert.ok(FRAGMENTS.length > 200, `${FRAGMENTS.length}`);
  assert.ok(FRAGMENTS.includes('On this page') && FRAGMENTS.includes('Check answers'));
});

test('home, section, guidance, glossary and 404 pages', async () => {
  const home = await check('index.html');
  assert.match(home, /Adrannau'r llawlyfr/);
  assert.match(await check('assessment/index.html'), /Yn yr adran hon/);
  assert.match(await check('lead-professional/how-chosen.html'), /Ar y dudalen hon|Adolygwyd ddiwethaf/);
  assert.match(await check('glossary.html'), /Chwilio'r llawlyfr/);
  assert.match(await check('404.html'), /Os gwnaethoch deipio'r cyfeiriad gwe/);
});

test('search: the box and the results page', async () => {
  const text = await check('search.html?q=chairing', async (page) => {
    await page.locator('#search-results h2').waitFor();
  });
  assert.match(text, /canlyniad ar gyfer/);
  await check('index.html', async (page) => {
    await page.locator('#search-input').focus();
    await page.keyboard.type('zzzzqqq', { delay: 20 });
    await page.locator('.search-message').waitFor({ state: 'visible' });
    assert.match(await page.locator('.search-message').textContent(), /^Dim canlyniadau ar gyfer/);
  });
});

test('a form with its error summary after Check answers', async () => {
  const text = await check('forms/early-help-review.html', async (page) => {
    await page.locator('.form-bar [data-action=check]').first().click();
    await page.locator('#error-summary').waitFor({ state: 'visible' });
  });
  assert.match(text, /Mae problem/);
  assert.match(text, /Rhowch ateb ar gyfer/);
});

test('a decision tree step, an outcome with the record, and the saved drafts page', async () => {
  await check('decisions/level-of-need/index.html');
  const outcome = await check('decisions/level-of-need/index.html', async (page) => {
    await page.locator('.decision-answer').first().click();
    await page.waitForLoadState('load');
    while (await page.locator('main[data-node=question]').count()) {
      await page.locator('.decision-answer').first().click();
      await page.waitForLoadState('load');
    }
    await page.locator('[data-record]').waitFor({ state: 'visible' });
  });
  assert.match(outcome, /Eich atebion|Cofnod o'r penderfyniad/);
  assert.match(outcome, /Newid/);
  assert.match(await check('forms/saved.html'), /Nid oes drafftiau/);
});

test("the Early Help Assessment's genogram: its key, its empty state and the family in words", async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'forms/early-help-assessment.html'));
  const genogram = page.locator('.genogram[data-genogram-for="household_members"]');
  const key = (await genogram.locator('.genogram-key').innerText()).replace(/\s+/g, ' ');
  for (const words of [
    'Allwedd', 'Gwryw', 'Benyw', 'Rhyw heb ei wybod', 'Babi heb ei eni', 'wedi marw', "Cwpl gyda'i gilydd",
    'Cwpl wedi gwahanu', 'Cwpl wedi ysgaru', 'Plant, yr hynaf ar y chwith', 'yn byw ar yr aelwyd', 'Agos', 'Pell',
    'Gwrthdaro', 'Wedi torri cysylltiad',
  ]) {
    assert.ok(key.includes(words), `the key says ${words}: ${key}`);
  }
  const english = ['Key', 'Male', 'Female', 'Sex not known', 'Unborn baby', 'Couple', 'Children', 'household', 'Close', 'Distant', 'Conflict', 'Cut off'];
  const said = (text, w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text);
  assert.deepEqual(english.filter((w) => said(key, w)), [], `no English in the key: ${key}`);
  assert.deepEqual(englishIn(key), [], 'no English word of the interface in the key');
  assert.match(await genogram.locator('.genogram-empty').innerText(), /^Caiff y diagram ei lunio yma/);

  // One person listed: the drawing's title and the family in words are Welsh too.
  const row = page.locator('.repeat[data-field="household_members"] .repeat-rows > .repeat-row').first();
  await row.locator('[data-field="member_name"] input').fill('Leah Jones');
  await row.locator('[data-field="member_sex"] input[value=female]').check();
  await row.locator('[data-field="member_in_household"] input[value=yes]').check();
  await row.locator('[data-field="member_subject"] input[value=yes]').check();
  await genogram.locator('.genogram-words li').first().waitFor();
  const words = (await genogram.locator('.genogram-words').innerText()).replace(/\s+/g, ' ');
  assert.match(words, /Y teulu mewn geiriau/);
  assert.match(words, /Leah Jones \(benyw, y plentyn y mae'r asesiad hwn amdano, yn byw ar yr aelwyd\)/);
  assert.deepEqual(englishIn(words), [], `no English in the words: ${words}`);
  assert.equal(await genogram.locator('svg title').first().textContent(), 'Genogram: 1 person');
  assert.deepEqual(await axe(page), [], 'axe');
  assert.deepEqual(page.problems, { console: [], external: [] });
  await context.close();
});
