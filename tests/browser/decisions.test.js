// Decision guides opened from disk: answered by clicking links with
// JavaScript off; with JavaScript on, the outcome shows the answers given
// and a printable record of decision; every kind of page passes axe.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { fileUrl, openPage, axe, setUp } = require('./lib');

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

/** Clicks the answer link with exactly this label and waits for the next page. */
async function answer(page, label) {
  const link = page.locator('a.decision-answer', { hasText: label }).filter({ hasText: new RegExp(`^\\s*${escape(label)}\\s*$`) });
  assert.equal(await link.count(), 1, `one answer "${label}" on ${page.url()}`);
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before), link.click()]);
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function node(page) {
  const main = page.locator('main');
  return { kind: await main.getAttribute('data-node'), id: await main.getAttribute('data-node-id') };
}

test('without JavaScript: answers are links from the start page to an outcome', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await openPage(context, fileUrl(site, 'decisions/lead-professional/index.html'));
  assert.deepEqual(await node(page), { kind: 'question', id: 'social-care' });
  assert.equal(await page.locator('h1').textContent(), 'Is children\'s social care, or another council, already involved with the child?');
  const route = ['None of these', 'The child has an EHCP and is in year 9'];
  for (const label of route) {
    assert.equal((await node(page)).kind, 'question');
    // The safeguarding notice is on every page of the tree.
    assert.match(await page.locator('.warning-text').textContent(), /contact children's social care or the police now/);
    await answer(page, label);
  }
  assert.deepEqual(await node(page), { kind: 'outcome', id: 'senco-transition' });
  assert.equal(await page.locator('h1').textContent(), 'The school or college leads, usually through the SENCO');
  assert.match(await page.locator('.decision-result').textContent(), /Lead Professional\s*The education setting, usually the SENCO/);
  // The JavaScript-only parts stay hidden; the guidance links work.
  assert.ok(!(await page.locator('[data-record]').isVisible()));
  assert.ok(!(await page.locator('[data-answers]').isVisible()));
  await Promise.all([page.waitForURL(/who-leads\.html$/), page.locator('.decision-guidance a', { hasText: 'Who leads at each level' }).click()]);
  assert.equal(await page.locator('h1').count(), 1);
  assert.deepEqual(page.problems.external, []);
  await context.close();
});

test('without JavaScript: Back goes to the question before, and Start again to the first', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await openPage(context, fileUrl(site, 'decisions/level-of-need/index.html'));
  await answer(page, 'No');
  await answer(page, 'No, the child or family needs extra help');
  assert.deepEqual(await node(page), { kind: 'question', id: 'complex-concern' });
  await Promise.all([page.waitForURL(/universal-met\.html$/), page.locator('a.back-link', { hasText: 'Back' }).click()]);
  await answer(page, 'No, the child or family needs extra help');
  await answer(page, 'I\'m not sure');
  assert.deepEqual(await node(page), { kind: 'outcome', id: 'level-4-consult' });
  // Two questions lead here, so without JavaScript both are offered.
  const back = page.locator('[data-back] a');
  assert.deepEqual(await back.allTextContents(), [
    'Are the needs complex or getting worse, with worries about the child\'s safety?',
    'Has a Team Around the Family plan already been tried without enough progress?',
  ]);
  await Promise.all([page.waitForURL(/level-of-need\/index\.html$/), page.locator('a', { hasText: 'Start again' }).click()]);
  assert.deepEqual(await node(page), { kind: 'question', id: 'immediate-risk' });
  await context.close();
});

test('with JavaScript: the outcome shows the answers given and a dated record of decision', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'decisions/level-of-need/index.html'));
  const route = [
    ['Is the child at immediate risk of significant harm?', 'No'],
    ['Are universal services meeting all of the child\'s needs?', 'No, the child or family needs extra help'],
    ['Are the needs complex or getting worse, with worries about the child\'s safety?', 'No'],
    ['Can one service meet the extra needs on its own?', 'No, more than one service is needed'],
    ['Has a Team Around the Family plan already been tried without enough progress?', 'Yes, things are not getting better'],
  ];
  for (const [, label] of route) await answer(page, label);
  assert.deepEqual(await node(page), { kind: 'outcome', id: 'level-4-consult' });

  // Answers so far, in order, each with a Change link.
  const given = page.locator('[data-answers]');
  assert.ok(await given.isVisible());
  const rows = given.locator('.summary-row');
  assert.equal(await rows.count(), route.length);
  for (let i = 0; i < route.length; i++) {
    assert.equal(await rows.nth(i).locator('dt').textContent(), route[i][0]);
    assert.equal(await rows.nth(i).locator('dd').first().textContent(), route[i][1]);
  }
  assert.ok(!(await page.locator('[data-answers-partial]').isVisible()));

  // Back now goes to the question actually answered, not a choice of two.
  const back = page.locator('[data-back] a');
  assert.equal(await back.count(), 1);
  assert.equal(await back.textContent(), 'Back');
  assert.match(await back.getAttribute('href'), /^plan-tried\.html$/);

  // The record of decision: guide, today's date, outcome, every answer.
  const record = page.locator('[data-record]');
  assert.ok(await record.isVisible());
  const today = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  assert.equal(await record.locator('[data-record-date]').textContent(), today);
  assert.match(await record.textContent(), /Decision guide\s*What level of need\?/);
  assert.match(await record.textContent(), /Outcome\s*Ask children's social care for advice about the child/);
  const recorded = record.locator('[data-record-answers] li');
  assert.equal(await recorded.count(), route.length);
  assert.equal(await recorded.nth(3).textContent(), route[3][0] + route[3][1]);
  assert.ok(await record.locator('[data-print]').isVisible());

  // Printed: the record and room to write, without the on-screen answers list or links.
  await page.emulateMedia({ media: 'print' });
  assert.ok(await record.isVisible());
  assert.ok(await record.locator('.write-box').isVisible());
  assert.ok(!(await given.isVisible()));
  assert.ok(!(await page.locator('.decision-links').isVisible()));
  await page.emulateMedia({ media: 'screen' });

  // Change an answer: the answers after it are forgotten.
  await Promise.all([
    page.waitForURL(/one-service\.html$/),
    rows.nth(3).locator('a', { hasText: 'Change' }).click(),
  ]);
  await answer(page, 'Yes, one service can meet them');
  assert.deepEqual(await node(page), { kind: 'outcome', id: 'level-2-early-help' });
  const changed = page.locator('[data-answers] .summary-row');
  assert.equal(await changed.count(), 4);
  assert.equal(await changed.nth(3).locator('dd').first().textContent(), 'Yes, one service can meet them');
  assert.deepEqual(page.problems.console, []);
  assert.deepEqual(page.problems.external, []);
  await context.close();
});

test('with JavaScript: an outcome opened directly says its earlier answers are unknown', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'decisions/lead-professional/camhs-lead.html'));
  assert.ok(!(await page.locator('[data-answers]').isVisible()), 'no answers to show');
  assert.ok(await page.locator('[data-record]').isVisible());
  assert.ok(await page.locator('[data-record-partial]').isVisible());
  await context.close();
});

test('question, outcome, overview, matrix and list pages have no axe violations, also at 320px', async () => {
  const pages = [
    'decisions/index.html',
    'decisions/lead-professional/index.html',
    'decisions/lead-professional/specialist.html',
    'decisions/lead-professional/care-status.html',
    'decisions/lead-professional/key-worker-lead.html',
    'decisions/lead-professional/overview.html',
    'decisions/level-of-need/level-4-consult.html',
    'decisions/level-of-need/overview.html',
    'decisions/level-of-need/levels.html',
  ];
  const failures = [];
  for (const viewport of [{ width: 1100, height: 900 }, { width: 320, height: 640 }]) {
    // axe needs JavaScript to run; the pages' markup is the same without it.
    const context = await browser.newContext({ viewport });
    for (const rel of pages) {
      const page = await openPage(context, fileUrl(site, rel));
      const violations = await axe(page);
      if (violations.length) failures.push(`${rel} (${viewport.width}px): ${JSON.stringify(violations, null, 1)}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) failures.push(`${rel} (${viewport.width}px): scrolls sideways by ${overflow}px`);
      await page.close();
    }
    await context.close();
  }
  // An outcome with its record of decision filled in, after answering.
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(site, 'decisions/level-of-need/index.html'));
  await answer(page, 'No');
  await answer(page, 'Yes, no extra help is needed');
  assert.ok(await page.locator('[data-record]').isVisible());
  const violations = await axe(page);
  if (violations.length) failures.push(`level-1-universal with record: ${JSON.stringify(violations, null, 1)}`);
  await context.close();
  assert.deepEqual(failures, []);
});

test('answer links are at least 44px tall and clearly separate', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await openPage(context, fileUrl(site, 'decisions/lead-professional/care-status.html'));
  const boxes = await page.locator('a.decision-answer').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().toJSON()));
  assert.equal(boxes.length, 4);
  for (let i = 0; i < boxes.length; i++) {
    assert.ok(boxes[i].height >= 44, `answer ${i} is ${boxes[i].height}px tall`);
    assert.ok(boxes[i].width >= 250, `answer ${i} spans the column`);
    if (i > 0) assert.ok(boxes[i].top >= boxes[i - 1].bottom + 8, 'answers do not touch');
  }
  await context.close();
});
