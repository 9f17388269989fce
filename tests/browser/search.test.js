// Search from file://: the header box as an ARIA combobox, by keyboard,
// the index loaded only when needed, the search page's own results, and
// the no-JavaScript fallback to the A to Z.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildSite, newHandbook, fileUrl, openPage, axe, setUp } = require('./lib');

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

async function typeQuery(page, text) {
  const input = page.locator('#search-input');
  await input.focus();
  await page.keyboard.type(text, { delay: 20 });
  await page.locator('#search-listbox [role=option]').first().waitFor({ state: 'visible' });
  return input;
}

async function clearBox(page) {
  await page.locator('#search-input').fill('');
  await page.locator('.search-panel').waitFor({ state: 'hidden' });
}

test('type, ArrowDown, Enter: the first result opens, and the combobox says what it is doing', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'lead-professional/how-chosen.html'));
  const input = page.locator('#search-input');

  assert.equal(await input.getAttribute('type'), 'search');
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.equal(await input.getAttribute('aria-autocomplete'), 'list');
  const controls = await input.getAttribute('aria-controls');
  assert.equal(await page.locator(`#${controls}`).getAttribute('role'), 'listbox');
  assert.ok(await page.locator(`#${controls}`).getAttribute('aria-label'));

  await typeQuery(page, 'chairing');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const options = page.locator('#search-listbox [role=option]');
  assert.ok((await options.count()) >= 2, 'several pages mention chairing');
  // The page titled "Chairing a meeting" ranks first: a title match beats body text.
  assert.match(await options.first().locator('.search-option-title').textContent(), /^Chairing a meeting$/);
  assert.equal(await options.first().locator('.search-option-where').textContent(), 'Team Around the Family');
  // The match is marked in the title and in the snippet.
  assert.equal((await options.first().locator('.search-option-title mark').textContent()).toLowerCase(), 'chairing');
  const snippets = await page.locator('#search-listbox .search-option-snippet mark').allTextContents();
  assert.ok(snippets.length > 0 && snippets.every((m) => /^chair/i.test(m)), `marked words: ${snippets}`);
  // Nothing chosen yet.
  assert.equal(await input.getAttribute('aria-activedescendant'), null);
  assert.equal(await page.locator('#search-listbox [aria-selected=true]').count(), 0);
  // The live region announces the number of results.
  await page.waitForFunction(() => /\d+ results? found/.test(document.getElementById('search-status').textContent));
  assert.equal(await page.locator('#search-status').getAttribute('role'), 'status');

  await page.keyboard.press('ArrowDown');
  const first = await options.first().getAttribute('id');
  assert.equal(await input.getAttribute('aria-activedescendant'), first);
  assert.equal(await options.first().getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', 'focus stays in the box');

  await page.keyboard.press('ArrowDown');
  assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
  assert.equal(await options.first().getAttribute('aria-selected'), 'false');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), first);

  await Promise.all([page.waitForURL(/team-around-the-family\/chairing\.html/), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').textContent(), 'Chairing a meeting');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.external, []);
  await context.close();
});

test('the index is loaded only when the box is used, and Escape closes the results', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'index.html'));
  const loaded = () => page.evaluate(() => Array.from(document.scripts).map((s) => s.src).filter((s) => /search-index|assets\/search\//.test(s)));
  assert.deepEqual(await loaded(), [], 'no index before the box is used');
  await typeQuery(page, 'minutes');
  const scripts = await loaded();
  assert.ok(scripts.some((s) => s.endsWith('assets/search-index.js')));
  assert.ok(scripts.some((s) => /assets\/search\/i\d+\.js\?v=[0-9a-f]{16}$/.test(s)), scripts.join(' '));
  // Only the text of results shown is loaded, never every document.
  const docs = scripts.filter((s) => /assets\/search\/d\d+\.js\?v=/.test(s)).length;
  const shards = fs.readdirSync(path.join(site, 'assets', 'search')).filter((f) => /^d\d+\.js$/.test(f)).length;
  assert.ok(docs >= 1 && docs <= 10 && docs < shards / 2, `${docs} of ${shards} document files loaded`);

  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#search-input').getAttribute('aria-expanded'), 'false');
  assert.ok(!(await page.locator('#search-listbox').isVisible()));
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#search-input').inputValue(), '', 'a second Escape clears the box');
  await context.close();
});

test('plurals and word starts match, and a search with no results says so', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'index.html'));
  await typeQuery(page, 'families');
  const titles = await page.locator('#search-listbox .search-option-title').allTextContents();
  assert.ok(titles.includes('Working with families'), titles.join(' | '));

  await clearBox(page);
  await typeQuery(page, 'genog');
  const marks = await page.locator('#search-listbox mark').allTextContents();
  assert.ok(marks.some((m) => /^genogram/i.test(m)), `prefix marks: ${marks}`);

  await clearBox(page);
  await page.keyboard.type('zzqxv', { delay: 20 });
  await page.locator('.search-message').waitFor({ state: 'visible' });
  // The box searches as it is typed: wait for the whole word's answer.
  await page.waitForFunction(() => /zzqxv/.test(document.querySelector('.search-message').textContent));
  assert.match(await page.locator('.search-message').textContent(), /No results for “zzqxv”/);
  assert.equal(await page.locator('#search-input').getAttribute('aria-expanded'), 'false');
  await page.waitForFunction(() => /No results/.test(document.getElementById('search-status').textContent));
  await context.close();
});

test('results show indexed text as text, never as markup', async () => {
  const root = newHandbook();
  fs.writeFileSync(
    path.join(root, 'content', 'markup.md'),
    '+++\ntitle = "Pasted markup"\n+++\n\nThe text `<img src=x id=injected>` and <b>bold</b> quxword here.\n',
  );
  const own = buildSite(root);
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(own, 'index.html'));
  await typeQuery(page, 'quxword');
  const snippet = await page.locator('#search-listbox .search-option-snippet').first().textContent();
  assert.match(snippet, /<img src=x id=injected>/);
  assert.equal(await page.locator('#injected').count(), 0, 'no element made from indexed text');
  await context.close();
});

test('Enter without choosing a result opens search.html with the results listed', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'assessment/index.html'));
  await typeQuery(page, 'minutes');
  await Promise.all([page.waitForURL(/search\.html\?q=minutes/), page.keyboard.press('Enter')]);
  const results = page.locator('#search-results');
  await results.locator('.search-page-list li').first().waitFor();
  assert.match(await results.locator('h2').textContent(), /\d+ results? for “minutes”/);
  const first = results.locator('.search-page-list a').first();
  assert.equal(await first.textContent(), 'Taking minutes');
  assert.equal(await page.locator('#search-input').inputValue(), 'minutes');
  // The A to Z is still there below.
  assert.ok((await page.locator('.az-list a').count()) > 20);
  await Promise.all([page.waitForURL(/team-around-the-family\/minutes\.html/), first.click()]);
  await context.close();
});

test('without JavaScript the box leads to the A to Z of every page', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await openPage(context, fileUrl(site, 'team-around-the-family/index.html'));
  const input = page.locator('#search-input');
  assert.equal(await input.getAttribute('role'), null, 'a plain search box, no combobox promises');
  await input.fill('chairing');
  await Promise.all([page.waitForURL(/search\.html\?q=chairing/), input.press('Enter')]);
  assert.equal(await page.locator('h1').textContent(), 'A to Z');
  assert.ok(await page.locator('#search-results').isHidden());
  const entries = await page.locator('.az-list a').allTextContents();
  assert.ok(entries.includes('Chairing a meeting'));
  assert.ok(entries.includes('Glossary'));
  assert.ok(entries.length >= 25, `${entries.length} entries`);
  await context.close();
});

test('no axe violations with results showing, in the box and on the search page', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'lead-professional/index.html'));
  await typeQuery(page, 'assessment');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await axe(page), []);

  const narrow = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const phone = await openPage(narrow, fileUrl(site, 'index.html'));
  await typeQuery(phone, 'consent');
  const box = await phone.locator('.search-panel').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 320, `results fit a 320px screen: ${JSON.stringify(box)}`);
  assert.deepEqual(await axe(phone), []);

  const results = await openPage(context, fileUrl(site, 'search.html') + '?q=consent');
  await results.locator('.search-page-list li').first().waitFor();
  assert.deepEqual(await axe(results), []);
  await narrow.close();
  await context.close();
});

/** The results search.html?q=... lists: [title, where] for each, in order. */
async function listed(context, q) {
  const page = await openPage(context, fileUrl(site, 'search.html') + '?q=' + encodeURIComponent(q));
  await page.locator('#search-results h2').waitFor();
  const items = await page.locator('.search-page-list li').evaluateAll((lis) =>
    lis.map((li) => [li.querySelector('a').textContent, (li.querySelector('.search-page-where') || { textContent: '' }).textContent]));
  return { page, items };
}

/** Every result for which `about` holds comes before every result for which it does not. */
function assertFirst(items, about, what) {
  const flags = items.map(about);
  const firstOther = flags.indexOf(false);
  const lateAbout = firstOther < 0 ? -1 : flags.indexOf(true, firstOther);
  assert.ok(flags[0], `${what}: the first result ${JSON.stringify(items[0])}`);
  assert.equal(lateAbout, -1, `${what}: ${JSON.stringify(items[lateAbout])} comes after ${JSON.stringify(items[firstOther])}\n${items.map((i) => i.join(' @ ')).join('\n')}`);
}

test('"TAF" finds the Team Around the Family pages first, above pages that only mention it', async () => {
  const context = await browser.newContext();
  const { page, items } = await listed(context, 'TAF');
  const about = ([title, where]) => /Team Around the Family/.test(title) || /(^| › )Team Around the Family$/.test(where.split(' › ')[0]);
  assertFirst(items, about, 'TAF');
  assert.equal(items[0][0], 'Team Around the Family', 'the section page first');
  const taf = items.filter(about).map(([t]) => t);
  for (const page of ['Before the meeting', 'The meeting', 'Chairing a meeting', 'Taking minutes', 'Early Help Review (Team Around the Family meeting)']) {
    assert.ok(taf.includes(page), `${page} is among the TAF pages: ${taf}`);
  }
  assert.ok(items.length > taf.length, 'pages that mention TAF are found too, after them');
  // The page is titled as search results.
  assert.equal(await page.locator('h1').textContent(), 'Search results');
  assert.match(await page.title(), /^Search results for “TAF” - /);
  assert.doesNotMatch(await page.title(), /A to Z/);
  assert.deepEqual(page.problems.console, []);
  await context.close();
});

test('"lead professional" lists the pages titled with it first, the role\'s own section page near the top', async () => {
  const context = await browser.newContext();
  const { items } = await listed(context, 'lead professional');
  // The home page carries the handbook's own name ("Lead Professional
  // handbook"), not a page about the role: it may rank anywhere.
  const home = ([, where]) => where === 'If you are worried about a child';
  assertFirst(items.filter((i) => !home(i)), ([title]) => /Lead Professionals?\b/.test(title), 'lead professional');
  const section = items.findIndex(([title]) => title === 'The Lead Professional role');
  assert.ok(section >= 0 && section < 5, `the section page is in the first five: ${section}`);
  const inSection = ([title, where]) => title === 'The Lead Professional role' || where.split(' › ')[0] === 'The Lead Professional role';
  assert.ok(items.slice(0, 7).every(inSection), `the first seven are the role's pages: ${JSON.stringify(items.slice(0, 7))}`);
  await context.close();
});

test('"consent" puts the consent guidance first and the assessment form that asks for it next', async () => {
  const context = await browser.newContext();
  const { items } = await listed(context, 'consent');
  assert.equal(items[0][0], 'Consent and sharing information');
  assert.ok(items.slice(0, 3).some(([title, where]) => title === 'Early Help Assessment' && where.split(' › ')[0] === 'Forms'), JSON.stringify(items.slice(0, 3)));
  await context.close();
});

test('a malformed query (search.html?q=%) shows no results instead of throwing', async () => {
  const context = await browser.newContext();
  for (const q of ['%', '%zz', '100%', '%E2%80', 'consent%']) {
    const page = await openPage(context, fileUrl(site, 'search.html') + '?q=' + q);
    await page.locator('#search-results h2').waitFor();
    assert.deepEqual(page.problems.console, [], `?q=${q}: no errors`);
    const heading = await page.locator('#search-results h2').textContent();
    if (q === 'consent%') {
      // The good part of the query still searches.
      assert.match(heading, /\d+ results? for “consent%”/);
    } else {
      assert.match(heading, /^No results for “/, `?q=${q}: ${heading}`);
      assert.equal(await page.locator('.search-page-list li').count(), 0);
    }
    assert.equal(await page.locator('h1').textContent(), 'Search results');
    assert.ok((await page.locator('.az-list a').count()) > 20, 'the A to Z is still there');
    assert.ok(await page.locator('#a-to-z').isVisible(), 'under its own heading');
    assert.deepEqual(await axe(page), []);
    await page.close();
  }
  await context.close();
});
