// The forms, used as a practitioner would from file://: conditional
// questions, rows, Check answers, drafts kept in the browser, answers
// files, Clear, Print, and zero axe violations in each state. The privacy
// promises of drafts (encryption, families kept apart, expiry) are tested
// in drafts.test.js.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildSite, newHandbook, fileUrl, openPage, axe, noViolations, noProblems, setUp } = require('./lib');
const { button, action, keep, unlock, fillDate, downloadAnswers, openAnswers, schemaValidator, assertValid } = require('./forms-lib');

const EHA = 'forms/early-help-assessment.html';
const REVIEW = 'forms/early-help-review.html';
const P = '#early-help-assessment--';

let site;
let browser;

setUp({ ready: (s) => ({ site, browser } = s) });

/** A fresh browser profile (its own localStorage) with the page open. */
async function open(rel = EHA, options = {}) {
  const context = await browser.newContext(options);
  const page = await openPage(context, fileUrl(site, rel));
  return { context, page };
}

function repeat(page, id) {
  return page.locator(`.repeat[data-field="${id}"]`);
}

function rows(page, id) {
  return repeat(page, id).locator('.repeat-rows > .repeat-row');
}

function inRow(row, field, extra = 'input, textarea, select') {
  return row.locator(`[data-field="${field}"]`).locator(extra);
}

/** Answers that satisfy every required question of the assessment, with two household members. */
async function fillAssessment(page) {
  await page.fill(`${P}assessment_date`, '2025-03-14');
  await page.fill(`${P}assessor_name`, 'Priya Shah');
  await page.fill(`${P}assessor_email`, 'priya.shah@example.org');
  await page.check(`${P}consent_assessment`);
  await page.check(`${P}consent_share`);
  await page.fill(`${P}consent_exclusions`, 'Not the housing officer.\nAsk again in May.');
  await page.fill(`${P}consent_signature`, 'Jo Bloggs');
  await page.fill(`${P}consent_signature-date`, '2025-03-14');
  const members = rows(page, 'household_members');
  await inRow(members.nth(0), 'member_name').fill('Jo Bloggs');
  await fillDate(members.nth(0), 'member_dob', 1, 5, 1990);
  await inRow(members.nth(0), 'member_included', 'input[value=yes]').check();
  await button(page, 'Add another household member').click();
  await inRow(members.nth(1), 'member_name').fill('Alex Bloggs');
  await inRow(members.nth(1), 'member_included', 'input[value=no]').check();
  await inRow(members.nth(1), 'member_not_included_reason').fill('Lives with his father most of the week.');
  await page.fill(`${P}assessment_reason`, 'School asked for help with attendance.');
  await page.check(`${P}requested_by-3`);
  await page.check(`${P}family_confidence-7`);
  await page.check(`${P}plan_outcomes-6`);
  const actions = rows(page, 'actions');
  await inRow(actions.nth(0), 'action_what').fill('Meet Sam and his mum to agree a morning plan.');
  await inRow(actions.nth(0), 'action_who').fill('Head of year');
  await inRow(actions.nth(0), 'action_when').fill('2025-04-01');
  await page.fill(`${P}signature_parent`, 'Jo Bloggs');
  await page.fill(`${P}signature_parent-date`, '2025-03-14');
  await page.fill(`${P}signature_assessor`, 'Priya Shah');
  await page.fill(`${P}signature_assessor-date`, '2025-03-14');
}

test('each form page: no axe violations empty, nothing leaves file://, a blank form without JavaScript', async () => {
  for (const rel of [EHA, REVIEW, 'forms/outcomes.html', 'forms/index.html']) {
    const { context, page } = await open(rel);
    await noViolations(page, `${rel} empty`);
    await noProblems(page);
    await context.close();
  }
  const { context, page } = await open(EHA, { javaScriptEnabled: false });
  assert.ok(!(await page.locator('.form-toolbar').isVisible()), 'no buttons that cannot work');
  assert.ok(!(await button(page, 'Add another household member').isVisible()));
  // Every question is there, the conditional one with a note saying when to answer it.
  const reason = rows(page, 'household_members').nth(0).locator('[data-field="member_not_included_reason"]');
  assert.ok(await reason.isVisible());
  assert.match(await reason.locator('.condition-note').textContent(), /Answer only if “Is this person included in this assessment\?” is “No”/);
  assert.equal(await page.locator('form.hb-form').getAttribute('novalidate'), '');
  assert.equal(await page.locator('form.hb-form [required]').count(), 0, 'no required attributes');
  // Printed without JavaScript: boxes to write in, blank rows, no outcome details.
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator(`${P}assessor_name + .print-answer`).isVisible());
  assert.ok(await repeat(page, 'household_members').locator('.repeat-print-rows').isVisible());
  assert.ok(!(await page.locator(`${P}plan_outcomes-details`).isVisible()));
  assert.ok(await reason.locator('.condition-note').isVisible());
  await context.close();
});

test('zero axe violations on each form with a saved draft and with the error summary showing', async () => {
  for (const [rel, repeatId, text] of [[EHA, 'household_members', 'assessor_name'], [REVIEW, 'attendees', 'meeting_venue']]) {
    const { context, page } = await open(rel);
    await page.locator(`[data-field="${text}"] input`).fill('Some words');
    await repeat(page, repeatId).locator('.repeat-add').click();
    await rows(page, repeatId).nth(0).locator('input[type=text]').first().fill('Row one');
    await rows(page, repeatId).nth(1).locator('input[type=text]').first().fill('Row two');
    await keep(page);
    await noViolations(page, `${rel} draft saved`);
    const again = await openPage(context, page.url());
    await unlock(again);
    await again.locator('#form-status:not(:empty)').waitFor();
    assert.match(await again.locator('#form-status').textContent(), /We opened this draft/);
    assert.equal(await rows(again, repeatId).count(), 2);
    await noViolations(again, `${rel} reopened with a draft`);
    await button(again, 'Check answers').click();
    assert.ok(await again.locator('#error-summary').isVisible());
    await noViolations(again, `${rel} error summary showing`);
    await noProblems(again);
    await context.close();
  }
});

test('at 320 px wide (400% zoom) the forms need no sideways scrolling, even with errors showing', async () => {
  for (const rel of [EHA, REVIEW, 'forms/outcomes.html']) {
    const { context, page } = await open(rel, { viewport: { width: 320, height: 640 } });
    if (rel !== 'forms/outcomes.html') await action(page, 'Check answers');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${rel} scrolls sideways by ${overflow}px at 320px`);
    await context.close();
  }
});

test('the Print button prints the page', async () => {
  const { context, page } = await open(REVIEW);
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await button(page, 'Print').click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await context.close();
});

test('show_if: a question appears only for the answer it depends on', async () => {
  const { context, page } = await open();
  const row = rows(page, 'household_members').nth(0);
  const reason = row.locator('[data-field="member_not_included_reason"]');
  assert.ok(!(await reason.isVisible()), 'hidden until answered');
  await inRow(row, 'member_included', 'input[value=no]').check();
  assert.ok(await reason.isVisible(), 'shown for No');
  assert.ok(!(await reason.locator('.condition-note').isVisible()), 'no note needed on screen');
  await inRow(row, 'member_included', 'input[value=yes]').check();
  assert.ok(!(await reason.isVisible()), 'hidden again for Yes');
  await context.close();

  const review = await open(REVIEW);
  const summary = review.page.locator('[data-field="closing_summary"]');
  const stepUp = review.page.locator('[data-field="step_up_reason"]');
  assert.ok(!(await summary.isVisible()));
  await review.page.getByLabel('Close early help support').check();
  assert.ok(await summary.isVisible(), 'closing summary shown when closing');
  assert.ok(!(await stepUp.isVisible()));
  await review.page.getByLabel(/Step up to children.s social care/).check();
  assert.ok(!(await summary.isVisible()));
  assert.ok(await stepUp.isVisible());
  // Outcomes show their indicators once chosen.
  await review.context.close();
  const eha = await open();
  const details = eha.page.locator(`${P}plan_outcomes-details`);
  assert.ok(!(await details.isVisible()));
  await eha.page.getByLabel('Good mental health', { exact: true }).check();
  assert.ok(await details.isVisible());
  assert.match(await details.textContent(), /Indicators of concern/);
  await noProblems(eha.page);
  await eha.context.close();
});

test('Add another and Remove rows, within min and max', async () => {
  const { context, page } = await open();
  const members = rows(page, 'household_members');
  assert.equal(await members.count(), 1);
  const removeFirst = members.nth(0).getByRole('button', { name: /^Remove household member 1$/ });
  assert.ok(!(await removeFirst.isVisible()), 'cannot remove below min = 1');
  await button(page, 'Add another household member').click();
  assert.equal(await members.count(), 2);
  assert.equal((await members.nth(1).locator('legend.row-legend').textContent()).trim(), 'Household member 2');
  const focused = await page.evaluate(() => document.activeElement.closest('.repeat-row').querySelector('legend').textContent.trim());
  assert.equal(focused, 'Household member 2', 'focus moves into the new row');
  await inRow(members.nth(1), 'member_name').fill('Second');
  // Radios in different rows are separate questions.
  await inRow(members.nth(0), 'member_included', 'input[value=yes]').check();
  await inRow(members.nth(1), 'member_included', 'input[value=no]').check();
  assert.ok(await inRow(members.nth(0), 'member_included', 'input[value=yes]').isChecked());
  // Labels are tied to the copied row's own inputs.
  await members.nth(1).getByLabel('Full name').fill('Second person');
  assert.equal(await inRow(members.nth(1), 'member_name').inputValue(), 'Second person');
  await members.nth(0).getByRole('button', { name: 'Remove household member 1' }).click();
  assert.equal(await members.count(), 1);
  assert.equal((await members.nth(0).locator('legend.row-legend').textContent()).trim(), 'Household member 1', 'renumbered');
  assert.equal(await inRow(members.nth(0), 'member_name').inputValue(), 'Second person');
  assert.ok(await inRow(members.nth(0), 'member_not_included_reason').isVisible(), 'its own show_if still works');
  // max = 20: the button goes once the limit is reached.
  for (let i = 1; i < 20; i++) await button(page, 'Add another household member').click();
  assert.equal(await members.count(), 20);
  assert.ok(!(await button(page, 'Add another household member').isVisible()), 'no more than max');
  // min = 0: every agency row can go.
  const agencies = rows(page, 'agencies_involved');
  await agencies.nth(0).getByRole('button', { name: 'Remove agency 1' }).click();
  assert.equal(await agencies.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Add another agency');
  await noProblems(page);
  await context.close();
});

test('Check answers: error summary at the top, focused, linked; messages beside fields; "Error: " in the title', async () => {
  const { context, page } = await open();
  const title = await page.title();
  await inRow(rows(page, 'household_members').nth(0), 'member_included', 'input[value=no]').check();
  await page.fill(`${P}assessor_email`, 'not-an-email');
  await button(page, 'Check answers').click();
  const summary = page.locator('#error-summary');
  assert.ok(await summary.isVisible());
  assert.equal((await summary.locator('h2').textContent()).trim(), 'There is a problem');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary', 'summary focused');
  assert.equal(await page.title(), `Error: ${title}`);
  assert.ok(await page.evaluate(() => document.getElementById('error-summary').getBoundingClientRect().top < document.querySelector('h1').getBoundingClientRect().top), 'summary above the title');
  const links = summary.locator('a');
  const messages = await links.allTextContents();
  assert.ok(messages.includes('Enter date of assessment'), messages.join(' | '));
  assert.ok(messages.includes('Select an answer to “Does the family agree to this assessment?”'));
  assert.ok(messages.includes('Household member 1: Answer “Why is this person not included?”'), 'row questions say which row');
  assert.ok(messages.includes('Enter an email address in the correct format, like name@example.com'));
  assert.ok(messages.includes('Enter the name and the date for “Parent or carer’s consent”') || messages.includes("Enter the name and the date for “Parent or carer's consent”"));
  assert.ok(messages.includes('Select at least one answer to “Which outcomes will the plan work towards?”'));
  assert.ok(!messages.some((m) => m.includes('Assessor’s name') || m.includes("Assessor's name")), 'optional questions are not errors');
  // The same message beside the field, tied to it by aria-describedby.
  const date = page.locator(`${P}assessment_date`);
  const errorId = 'early-help-assessment--assessment_date-error';
  assert.ok((await date.getAttribute('aria-describedby')).split(' ').includes(errorId));
  assert.equal((await page.locator(`#${errorId}`).textContent()).trim(), 'Error: Enter date of assessment');
  assert.ok(await page.locator(`#${errorId}`).isVisible());
  // A link moves focus to its field.
  await links.filter({ hasText: 'Enter date of assessment' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'early-help-assessment--assessment_date');
  await links.filter({ hasText: 'Household member 1: Answer' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'household_members.0.member_not_included_reason');
  await noViolations(page, 'error summary showing');
  // Put everything right: the summary and the title prefix go.
  await page.reload();
  await fillAssessment(page);
  await button(page, 'Check answers').click();
  assert.ok(!(await summary.isVisible()));
  assert.equal(await page.title(), title);
  assert.match(await page.locator('#form-status').textContent(), /There are no problems with the answers/);
  assert.equal(await page.locator('.error-message:visible').count(), 0);
  await noProblems(page);
  await context.close();
});

test('Keep in this browser saves as you type; the draft\'s page opens it again after the passphrase and says so', async () => {
  const { context, page } = await open();
  await fillAssessment(page);
  await keep(page);
  const status = page.locator('#save-status');
  assert.match(await status.textContent(), /^Saved in this browser at \d\d:\d\d$/);
  assert.match(page.url(), /\?draft=[A-Za-z0-9_-]{24}$/, 'the address names the draft, so a reload finds it');
  const stored = await page.evaluate(() => Object.keys(localStorage));
  assert.equal(stored.length, 1);
  assert.match(stored[0], /^handbook:hb-[0-9a-f]{16}:draft:[A-Za-z0-9_-]{24}$/, 'keyed by the handbook and a random id, not the form');
  // A change later is saved too, without asking again.
  await page.fill(`${P}assessor_role`, 'Learning mentor');
  await page.waitForFunction(() => !document.querySelector('.save-status.is-unsaved'));
  await page.waitForTimeout(800);

  const again = await openPage(context, page.url());
  await unlock(again);
  await again.locator('#form-status:not(:empty)').waitFor();
  assert.match(await again.locator('#form-status').textContent(), /We opened this draft, last saved in this browser at \d\d:\d\d on \d+ \w+ \d{4}/);
  assert.equal(await again.inputValue(`${P}assessor_name`), 'Priya Shah');
  assert.equal(await again.inputValue(`${P}assessor_role`), 'Learning mentor');
  assert.equal(await again.inputValue(`${P}consent_exclusions`), 'Not the housing officer.\nAsk again in May.');
  assert.ok(await again.isChecked(`${P}family_confidence-7`));
  const members = rows(again, 'household_members');
  assert.equal(await members.count(), 2, 'both rows back');
  assert.equal(await inRow(members.nth(1), 'member_name').inputValue(), 'Alex Bloggs');
  assert.equal(await members.nth(0).getByLabel('Year').inputValue(), '1990');
  assert.ok(await inRow(members.nth(1), 'member_not_included_reason').isVisible(), 'conditional answer shown');
  await noViolations(again, 'with a saved draft');
  // A form opened afresh is a new form for another family: nothing is filled in.
  const review = await openPage(context, fileUrl(site, REVIEW));
  assert.equal(await review.locator('#form-status').textContent(), '');
  const fresh = await openPage(context, fileUrl(site, EHA));
  assert.equal(await fresh.inputValue(`${P}assessor_name`), '');
  await noProblems(again);
  await context.close();
});

test('Clear form asks first, then empties every field and deletes the draft', async () => {
  const { context, page } = await open();
  await fillAssessment(page);
  await keep(page);
  const url = page.url();
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await action(page, 'Clear form');
  assert.match(asked, /Clear every answer in this form and delete this family’s draft/);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Priya Shah', 'Cancel changes nothing');
  page.once('dialog', (d) => d.accept());
  await action(page, 'Clear form');
  assert.match(await page.locator('#form-status').textContent(), /cleared and the draft saved in this browser has been deleted/);
  const values = await page.evaluate(() => Array.from(document.querySelectorAll('form.hb-form input, form.hb-form textarea, form.hb-form select'))
    .filter((c) => c.type !== 'radio' && c.type !== 'checkbox' && c.type !== 'hidden').map((c) => c.value).filter(Boolean));
  assert.deepEqual(values, [], 'every answer is empty (the new row has only the id the page gives it)');
  assert.equal(await page.locator('form.hb-form input:checked').count(), 0);
  assert.equal(await rows(page, 'household_members').count(), 1, 'back to the rows a new form has');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), []);
  assert.ok(!page.url().includes('draft='), 'the address no longer names it');
  const again = await openPage(context, url);
  assert.match(await again.locator('#form-status').textContent(), /no longer saved in this browser/, 'nothing to restore');
  assert.equal(await again.inputValue(`${P}assessor_name`), '');
  await context.close();
});

test('Download answers, then Open answers file into an empty form restores everything', async () => {
  const { context, page } = await open();
  await fillAssessment(page);
  await page.getByLabel('Good school development').check();
  const { name, text } = await downloadAnswers(page);
  assert.match(name, /^early-help-assessment-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(text);
  assert.equal(file.form, 'early-help-assessment');
  assert.equal(file.version, '1.2');
  assert.ok(Math.abs(Date.now() - Date.parse(file.saved)) < 600000, 'saved time is now');
  assert.equal(file.answers.assessor_name, 'Priya Shah');
  assert.equal(file.answers.assessment_date, '2025-03-14');
  assert.equal(file.answers.consent_assessment, 'yes');
  assert.equal(file.answers.family_confidence, 7);
  assert.deepEqual(file.answers.plan_outcomes, ['school-development', 'secure-housing']);
  assert.deepEqual(file.answers.consent_signature, { name: 'Jo Bloggs', date: '2025-03-14' });
  assert.equal(file.answers.household_members.length, 2);
  const { member_id: alexId, ...alex } = file.answers.household_members[1];
  assert.match(alexId, /^p[a-z0-9]{6}$/, 'each row has the id the page gave it');
  assert.notEqual(alexId, file.answers.household_members[0].member_id);
  assert.deepEqual(alex, {
    member_name: 'Alex Bloggs', member_dob: '', member_relationship: '', member_setting: '', member_gp: '', member_needs: '',
    member_included: 'no', member_not_included_reason: 'Lives with his father most of the week.',
    // The genogram's questions, unanswered.
    member_age: null, member_sex: '', member_in_household: '', member_subject: '', member_died: '', member_died_age: null,
    member_mother: '', member_father: '', member_partner: '', member_partner_status: '', member_relation: '', member_relation_quality: '',
  });
  assert.deepEqual(file.answers.agencies_involved, [], 'empty rows are left out');
  assert.ok(!('consent_guidance' in file.answers), 'guidance has no answer');
  assert.match(await page.locator('#form-status').textContent(), new RegExp(`downloaded as ${name}`));
  // The file matches the schema the site publishes for case-management systems.
  assertValid(site, 'early-help-assessment', file);
  assert.ok(schemaValidator(site, 'early-help-assessment')({ ...file, answers: { ...file.answers, family_confidence: 11 } }).length > 0, 'the check can fail');

  const fresh = await open();
  await openAnswers(fresh.page, name, text);
  const p = fresh.page;
  assert.match(await p.locator('#form-status').textContent(), /We opened “early-help-assessment-.*\.json” \(saved at .*\) and filled in its answers/);
  assert.equal(await p.inputValue(`${P}assessor_name`), 'Priya Shah');
  assert.equal(await p.inputValue(`${P}assessment_date`), '2025-03-14');
  assert.equal(await p.inputValue(`${P}consent_exclusions`), 'Not the housing officer.\nAsk again in May.');
  assert.equal(await p.inputValue(`${P}consent_signature-date`), '2025-03-14');
  assert.ok(await p.isChecked(`${P}consent_share`));
  assert.ok(await p.isChecked(`${P}family_confidence-7`));
  assert.ok(await p.getByLabel('Good school development').isChecked());
  assert.ok(await p.getByLabel('Secure housing').isChecked());
  const members = rows(p, 'household_members');
  assert.equal(await members.count(), 2);
  assert.deepEqual(await inRow(members.nth(0), 'member_dob').evaluateAll((c) => c.map((x) => x.value)), ['1', '5', '1990']);
  assert.ok(await inRow(members.nth(1), 'member_included', 'input[value=no]').isChecked());
  assert.equal(await inRow(members.nth(1), 'member_not_included_reason').inputValue(), 'Lives with his father most of the week.');
  assert.equal(await rows(p, 'agencies_involved').count(), 0);
  assert.equal(await inRow(rows(p, 'actions').nth(0), 'action_who').inputValue(), 'Head of year');
  // Downloading again gives the same answers.
  const second = JSON.parse((await downloadAnswers(p)).text);
  assert.deepEqual(second.answers, file.answers);
  await noProblems(p);
  await fresh.context.close();
  await context.close();
});

test('a file for another form, or a malformed file, changes nothing and says so', async () => {
  const review = await open(REVIEW);
  await review.page.getByLabel('Date of meeting').fill('2025-05-01');
  const reviewFile = (await downloadAnswers(review.page)).text;
  await review.context.close();

  const { context, page } = await open();
  await page.fill(`${P}assessor_name`, 'Kept');
  await openAnswers(page, 'review.json', reviewFile);
  const status = page.locator('#form-status');
  assert.match(await status.textContent(), /holds answers to a different form \(Early Help Review \(Team Around the Family meeting\)\), not to Early Help Assessment.*Nothing in this form has been changed/);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Kept');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'form-status', 'the message is where focus goes');

  for (const [file, contents] of [['broken.json', '{"form": "early-help-assessment", "answers": {'], ['notes.json', '[1, 2, 3]'], ['photo.json', 'GIF89a\u0000\u0001']]) {
    await page.evaluate(() => { document.getElementById('form-status').textContent = ''; });
    await openAnswers(page, file, contents);
    assert.match(await status.textContent(), new RegExp(`“${file.replace('.', '\\.')}” could not be opened: it is not an answers file .* Nothing in the form has been changed`));
    assert.equal(await page.inputValue(`${P}assessor_name`), 'Kept');
  }
  await noProblems(page);
  await context.close();
});

test('a file from an older version fills what it can and lists what it could not place', async () => {
  const old = {
    form: 'early-help-assessment',
    version: '0.9',
    saved: '2024-11-02T09:30:00.000Z',
    answers: {
      assessor_name: 'Old Name',
      family_confidence: 4,
      requested_by: 'school',
      removed_question: 'An answer to a question that has gone',
      household_members: [
        { member_name: 'Jo', member_included: 'yes', member_pet: 'Cat' },
        { member_name: '<img src=x id=injected>', member_included: 'no', member_not_included_reason: '<b>bold</b>' },
      ],
    },
  };
  const { context, page } = await open();
  await openAnswers(page, 'old.json', JSON.stringify(old));
  const status = page.locator('#form-status');
  const text = await status.textContent();
  assert.match(text, /saved from version 0\.9 of this form and this is version 1\.2, so we filled in every answer whose question is still on the form/);
  const listed = await status.locator('li').allTextContents();
  assert.deepEqual(listed.sort(), [
    'Household member 1, member_pet: Cat',
    'Who asked for this assessment?: school',
    'removed_question: An answer to a question that has gone',
  ].sort());
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Old Name');
  assert.ok(await page.isChecked(`${P}family_confidence-4`));
  const members = rows(page, 'household_members');
  assert.equal(await members.count(), 2);
  // Imported text is text, never markup.
  assert.equal(await inRow(members.nth(1), 'member_name').inputValue(), '<img src=x id=injected>');
  assert.equal(await inRow(members.nth(1), 'member_not_included_reason').inputValue(), '<b>bold</b>');
  assert.equal(await page.locator('#injected').count(), 0);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await inRow(members.nth(1), 'member_name', '.print-answer').textContent(), '<img src=x id=injected>');
  assert.equal(await page.locator('form b').count(), 0);
  await noProblems(page);
  await context.close();
});

test('opening a file over answers asks first', async () => {
  const { context, page } = await open();
  const file = { form: 'early-help-assessment', version: '1.2', saved: new Date().toISOString(), answers: { assessor_name: 'From file' } };
  await page.fill(`${P}assessor_name`, 'Typed');
  page.once('dialog', (d) => d.dismiss());
  await openAnswers(page, 'a.json', JSON.stringify(file), { wait: false });
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Typed', 'Cancel keeps the answers');
  page.once('dialog', (d) => d.accept());
  await openAnswers(page, 'a.json', JSON.stringify(file));
  assert.equal(await page.inputValue(`${P}assessor_name`), 'From file');
  await context.close();
});

test('print: a filled form prints its answers as text, with chosen options marked', async () => {
  const { context, page } = await open();
  await fillAssessment(page);
  const long = 'First line of a long answer.\n' + 'Every word of it must be printed. '.repeat(40);
  await page.fill(`${P}family_voice`, long);
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '#site-nav', '.breadcrumbs', '.form-toolbar', '.form-actions-end', '.form-toc']) {
    assert.ok(!(await page.locator(sel).first().isVisible()), `${sel} hidden in print`);
  }
  assert.ok(!(await page.locator(`${P}assessor_name`).isVisible()), 'text boxes give way to printed text');
  const printed = page.locator(`${P}assessor_name + .print-answer`);
  assert.ok(await printed.isVisible());
  assert.equal(await printed.textContent(), 'Priya Shah');
  assert.equal(await page.locator(`${P}family_voice + .print-answer`).textContent(), long, 'long answers print whole');
  assert.equal(await page.locator(`${P}assessment_date + .print-answer`).textContent(), '14 March 2025');
  // Chosen radios and checkboxes stay visible and are marked in words, which print without backgrounds.
  const chosen = page.locator(`${P}consent_assessment`);
  assert.ok(await chosen.isVisible());
  assert.ok(await chosen.isChecked());
  const mark = await page.evaluate((id) => getComputedStyle(document.querySelector(`label[for="${id}"]`), '::after').content, 'early-help-assessment--consent_assessment');
  assert.equal(mark, '" (chosen)"');
  const unchosen = await page.evaluate((id) => getComputedStyle(document.querySelector(`label[for="${id}"]`), '::after').content, 'early-help-assessment--consent_assessment-2');
  assert.equal(unchosen, 'none');
  // Only the chosen outcomes show their detail; blank rows for writing are dropped once rows are filled.
  assert.ok(await page.locator(`${P}plan_outcomes-6-details`).isVisible());
  assert.ok(!(await page.locator(`${P}plan_outcomes-details`).isVisible()));
  assert.ok(!(await repeat(page, 'household_members').locator('.repeat-print-rows').isVisible()));
  // Hidden conditional questions whose answer is known stay hidden.
  assert.ok(!(await page.locator('[data-field="member_not_included_reason"]').first().isVisible()));
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/, 'A4 pages');
  await context.close();
});

test('print: a blank form has room to write, blank rows, every conditional question, and keeps headings with what follows', async () => {
  const { context, page } = await open();
  await page.emulateMedia({ media: 'print' });
  const box = (sel) => page.locator(sel).boundingBox();
  const one = await box(`${P}assessor_name + .print-answer`);
  const three = await box(`${P}consent_exclusions + .print-answer`);
  const six = await box(`${P}assessment_reason + .print-answer`);
  assert.ok(one.height >= 35, `one line of room (${one.height}px)`);
  assert.ok(three.height > 2.5 * one.height, 'print_lines = 3 gives three lines');
  assert.ok(six.height > 1.8 * three.height, 'print_lines = 6 gives six lines');
  assert.ok(await page.locator(`${P}assessment_date + .print-answer`).isVisible());
  // The select-free forms have no Choose box; radios print as options to tick.
  assert.ok(await page.locator(`${P}requested_by`).isVisible());
  // Household members: the real row and blank rows up to eight (print_rows).
  const blanks = repeat(page, 'household_members').locator('.repeat-print-rows .print-row');
  assert.equal(await blanks.count(), 7);
  assert.ok(await blanks.first().isVisible());
  // A conditional question prints while its answer is blank, with its note.
  const reason = rows(page, 'household_members').nth(0).locator('[data-field="member_not_included_reason"]');
  assert.ok(await reason.isVisible());
  assert.ok(await reason.locator('.condition-note').isVisible());
  // A section heading never ends a page.
  const styles = await page.evaluate(() => {
    const h = document.querySelector('.form-section-title');
    const start = document.querySelector('#about .section-start');
    return { after: getComputedStyle(h).breakAfter, inside: getComputedStyle(start).breakInside };
  });
  assert.deepEqual(styles, { after: 'avoid', inside: 'avoid' });
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.ok(pdf.length > 10000);
  await context.close();

  // The review form: the decision's follow-up questions all print blank.
  const review = await open(REVIEW);
  await review.page.emulateMedia({ media: 'print' });
  assert.ok(await review.page.locator('[data-field="closing_summary"]').isVisible());
  assert.ok(await review.page.locator('[data-field="step_up_reason"]').isVisible());
  await review.context.close();
});

const EVERY_KIND = `id = "every-kind"
title = "Every kind of field"
version = "2"

[[section]]
id = "all"
title = "All of them"

[[section.field]]
id = "t"
kind = "text"
label = "Text"
required = true

[[section.field]]
id = "ta"
kind = "textarea"
label = "Long text"

[[section.field]]
id = "d"
kind = "date"
label = "Date"

[[section.field]]
id = "n"
kind = "number"
label = "Number"

[[section.field]]
id = "e"
kind = "email"
label = "Email"

[[section.field]]
id = "p"
kind = "tel"
label = "Phone"

[[section.field]]
id = "c"
kind = "choice"
label = "One colour"
options = ["Red", { value = "b", label = "Blue" }]

[[section.field]]
id = "cs"
kind = "choices"
label = "Many colours"
options = ["Red", "Green", "Blue"]

[[section.field]]
id = "green_why"
kind = "text"
label = "Why green?"
show_if = { field = "cs", value = "Green" }

[[section.field]]
id = "yn"
kind = "yesno"
label = "Yes or no?"

[[section.field]]
id = "s"
kind = "select"
label = "Pick"
required = true
options = [{ value = "x", label = "Ex" }, { value = "y", label = "Why" }]

[[section.field]]
id = "sc"
kind = "scale"
label = "Scale"
low = "Low"
high = "High"

[[section.field]]
id = "o"
kind = "outcomes"
label = "Outcomes"

[[section.field]]
id = "sig"
kind = "signature"
label = "Signed"

[[section.field]]
id = "r"
kind = "repeat"
label = "Rows"
item = "thing"
max = 3

[[section.field.field]]
id = "r_s"
kind = "select"
label = "Row pick"
options = ["One", "Two"]

[[section.field.field]]
id = "r_two"
kind = "number"
label = "How many twos?"
show_if = { field = "r_s", value = "Two" }
`;

test('every kind of field: checked, downloaded, opened again and printed', async () => {
  const root = newHandbook();
  fs.writeFileSync(path.join(root, 'forms', 'every-kind.toml'), EVERY_KIND);
  const kindsSite = buildSite(root);
  const context = await browser.newContext();
  const page = await openPage(context, fileUrl(kindsSite, 'forms/every-kind.html'));
  const Q = '#every-kind--';
  await noViolations(page, 'every kind, empty');
  // Check answers knows each kind's mistakes.
  await page.fill(`${Q}e`, 'nobody@');
  await page.locator(`${Q}n`).pressSequentially('12e');
  await button(page, 'Check answers').click();
  const messages = await page.locator('#error-summary a').allTextContents();
  assert.deepEqual(messages, [
    'Enter text',
    'The answer to “Number” must be a number',
    'Enter an email address in the correct format, like name@example.com',
    'Select pick',
  ]);
  await noViolations(page, 'every kind, errors');
  // Fill in one of everything.
  await page.fill(`${Q}t`, 'Words');
  await page.fill(`${Q}ta`, 'Line 1\nLine 2');
  await page.fill(`${Q}d`, '2025-02-03');
  await page.fill(`${Q}n`, '-2.5');
  await page.fill(`${Q}e`, 'someone@example.org');
  await page.fill(`${Q}p`, '01234 567890');
  await page.getByLabel('Blue', { exact: true }).first().check();
  assert.ok(!(await page.locator('[data-field="green_why"]').isVisible()));
  await page.locator(`[data-field="cs"] input[value="Green"]`).check();
  await page.locator(`[data-field="cs"] input[value="Blue"]`).check();
  assert.ok(await page.locator('[data-field="green_why"]').isVisible(), 'show_if on a checkbox answer');
  await page.fill(`${Q}green_why`, 'Calm');
  await page.check(`${Q}yn-2`);
  await page.selectOption(`${Q}s`, 'y');
  await page.check(`${Q}sc-10`);
  await page.getByLabel('Secure housing').check();
  await page.fill(`${Q}sig`, 'A Person');
  await page.fill(`${Q}sig-date`, '2025-02-04');
  const things = rows(page, 'r');
  await inRow(things.nth(0), 'r_s').selectOption('Two');
  await inRow(things.nth(0), 'r_two').fill('3');
  await button(page, 'Add another thing').click();
  await inRow(things.nth(1), 'r_s').selectOption('One');
  assert.ok(!(await inRow(things.nth(1), 'r_two').isVisible()), 'show_if on a select in a row');
  await button(page, 'Check answers').click();
  assert.ok(!(await page.locator('#error-summary').isVisible()));
  const { name, text } = await downloadAnswers(page);
  const file = JSON.parse(text);
  assert.deepEqual(file.answers, {
    t: 'Words', ta: 'Line 1\nLine 2', d: '2025-02-03', n: -2.5, e: 'someone@example.org', p: '01234 567890',
    c: 'b', cs: ['Green', 'Blue'], green_why: 'Calm', yn: 'no', s: 'y', sc: 10, o: ['secure-housing'],
    sig: { name: 'A Person', date: '2025-02-04' },
    r: [{ r_s: 'Two', r_two: 3 }, { r_s: 'One', r_two: null }],
  });
  assertValid(kindsSite, 'every-kind', file);
  // Print: the select prints its chosen label; the blank form lists the choices to circle.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator(`${Q}s + .print-answer`).textContent(), 'Why');
  assert.ok(!(await page.locator('[data-field="s"] .print-options').isVisible()));
  assert.equal(await page.locator(`${Q}d + .print-answer`).textContent(), '3 February 2025');

  const fresh = await openPage(await browser.newContext(), fileUrl(kindsSite, 'forms/every-kind.html'));
  await fresh.emulateMedia({ media: 'print' });
  assert.ok(await fresh.locator('[data-field="s"] .print-options').isVisible());
  await fresh.emulateMedia({ media: 'screen' });
  await openAnswers(fresh, name, text);
  assert.match(await fresh.locator('#form-status').textContent(), /filled in its answers/);
  const again = JSON.parse((await downloadAnswers(fresh)).text);
  assert.deepEqual(again.answers, file.answers, 'every kind restored');
  assert.ok(await inRow(rows(fresh, 'r').nth(0), 'r_two').isVisible());
  await noProblems(page);
  await noProblems(fresh);
  await context.close();
});
