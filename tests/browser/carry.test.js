// From assessment to review to closure, from file://: a practitioner fills
// in the assessment and downloads its answers file, opens the review and
// starts it from that file, then downloads the review and starts the
// closure from it and from the assessment. What carries is checked field
// by field, typed answers are never replaced without asking, every
// downloaded file validates against its published schema with ajv, and
// the closure form has no axe violations in each state.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tempDir, fileUrl, openPage, axe, setUp, noViolations } = require('./lib');
const { fillDate, downloadAnswers, assertValid, keep, unlock } = require('./forms-lib');

const EHA = 'forms/early-help-assessment.html';
const REVIEW = 'forms/early-help-review.html';
const CLOSURE = 'forms/early-help-closure.html';
const A = '#early-help-assessment--';
const R = '#early-help-review--';
const C = '#early-help-closure--';

let site;
let browser;
setUp({ ready: (s) => ({ site, browser } = s) });

async function open(context, rel) {
  return openPage(context, fileUrl(site, rel));
}

function rows(page, id) {
  return page.locator(`.repeat[data-field="${id}"] .repeat-rows > .repeat-row`);
}

function inRow(row, field, extra = 'input, textarea, select') {
  return row.locator(`[data-field="${field}"]`).locator(extra);
}

function write(name, text) {
  const file = path.join(tempDir('handbook-carry-'), name);
  fs.writeFileSync(file, text);
  return file;
}

/** Start from an earlier form with `file`; returns the status text once it speaks. */
async function startFrom(page, file) {
  await page.evaluate(() => { document.getElementById('form-status').textContent = ''; });
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Start from an earlier form', exact: true }).click(),
  ]);
  await chooser.setFiles(file);
  await page.locator('#form-status:not(:empty)').waitFor({ timeout: 30000 });
  return page.locator('#form-status').textContent();
}

async function fillAssessment(page) {
  await page.locator('#family-label').fill('The Bloggs family');
  await page.fill(`${A}assessment_date`, '2025-03-14');
  await page.fill(`${A}assessor_name`, 'Priya Shah');
  await page.fill(`${A}lead_name`, 'Priya Shah, Hill School');
  await page.fill(`${A}lead_phone`, '01632 960123');
  await page.fill(`${A}lead_email`, 'priya.shah@example.org');
  await page.check(`${A}consent_assessment`);
  await page.check(`${A}consent_share`);
  await page.fill(`${A}consent_signature`, 'Jo Bloggs');
  await page.fill(`${A}consent_signature-date`, '2025-03-14');
  const members = rows(page, 'household_members');
  await inRow(members.nth(0), 'member_name').fill('Jo Bloggs');
  await fillDate(members.nth(0), 'member_dob', 1, 5, 1990);
  await inRow(members.nth(0), 'member_relationship').fill('Mother');
  await inRow(members.nth(0), 'member_included', 'input[value=yes]').check();
  await page.getByRole('button', { name: 'Add another household member', exact: true }).click();
  await inRow(members.nth(1), 'member_name').fill('Sam Bloggs');
  await fillDate(members.nth(1), 'member_dob', 27, 3, 2013);
  await inRow(members.nth(1), 'member_setting').fill('Hill School');
  await inRow(members.nth(1), 'member_included', 'input[value=yes]').check();
  await page.getByRole('button', { name: 'Add another agency', exact: true }).click();
  const agencies = rows(page, 'agencies_involved');
  await inRow(agencies.nth(0), 'agency_name').fill('Health visiting');
  await inRow(agencies.nth(0), 'agency_worker').fill('Dee Okafor');
  await inRow(agencies.nth(0), 'agency_role').fill('Health visitor');
  await page.fill(`${A}assessment_reason`, 'School asked for help with attendance.');
  await page.check(`${A}family_confidence-4`);
  await page.check(`${A}plan_outcomes-6`);
  await page.check(`${A}plan_outcomes-2`);
  const actions = rows(page, 'actions');
  await inRow(actions.nth(0), 'action_what').fill('Meet Sam and his mum to agree a morning plan.');
  await inRow(actions.nth(0), 'action_who').fill('Head of year');
  await inRow(actions.nth(0), 'action_when').fill('2025-04-01');
  await page.fill(`${A}signature_parent`, 'Jo Bloggs');
  await page.fill(`${A}signature_parent-date`, '2025-03-14');
  await page.fill(`${A}signature_assessor`, 'Priya Shah');
  await page.fill(`${A}signature_assessor-date`, '2025-03-14');
}

test('assessment to review to closure: each starts from the last one’s answers file', async () => {
  const context = await browser.newContext({ acceptDownloads: true });

  // 1. The assessment, downloaded as a practitioner would.
  const eha = await open(context, EHA);
  assert.equal(await eha.locator('[data-action="carry"]').count(), 0, 'the assessment continues nothing');
  await fillAssessment(eha);
  const assessment = await downloadAnswers(eha);
  const assessmentFile = JSON.parse(assessment.text);
  assertValid(site, 'early-help-assessment', assessmentFile);
  assert.equal(assessmentFile.answers.plan_outcomes.length, 2);
  const assessmentPath = write(assessment.name, assessment.text);

  // 2. The review starts from it: Lead Professional and the actions to review.
  const review = await open(context, REVIEW);
  await review.fill(`${R}meeting_venue`, 'At school');
  let said = await startFrom(review, assessmentPath);
  assert.match(said, /We started this form from “.*” \(Early Help Assessment, saved at/);
  assert.match(said, /Carried over:/);
  assert.match(said, /Not carried over/);
  assert.match(said, /Household members/, 'what the review does not ask for is listed');
  assert.equal(await review.inputValue(`${R}lead_professional`), 'Priya Shah, Hill School');
  assert.equal(await review.inputValue(`${R}meeting_venue`), 'At school', 'a typed answer the file does not carry stays');
  assert.equal(await review.inputValue('#family-label'), 'The Bloggs family', 'the family’s name comes too');
  const previous = rows(review, 'previous_actions_list');
  assert.equal(await previous.count(), 1);
  assert.equal(await inRow(previous.nth(0), 'previous_action').inputValue(), 'Meet Sam and his mum to agree a morning plan.');
  assert.equal(await inRow(previous.nth(0), 'previous_action_who').inputValue(), 'Head of year');
  assert.equal(await inRow(previous.nth(0), 'previous_action_progress', 'input:checked').count(), 0, 'progress is for the meeting to say');

  // Starting again with answers typed asks first; Cancel changes nothing.
  await review.fill(`${R}lead_professional`, 'Dee Okafor, health visiting');
  review.once('dialog', (d) => {
    assert.match(d.message(), /already have answers on this page: Lead Professional, The family's score at the assessment, Outcomes in the family's plan, Actions from last time\./);
    d.dismiss();
  });
  said = await startFrom(review, assessmentPath);
  assert.match(said, /Nothing was carried over/);
  assert.equal(await review.inputValue(`${R}lead_professional`), 'Dee Okafor, health visiting');

  // A file of a form the review does not continue is refused, unchanged.
  const other = write('other.json', JSON.stringify({ form: 'early-help-closure', title: 'Early Help Closure (step-down)', version: '1.0', answers: { lead_professional: 'X' } }));
  said = await startFrom(review, other);
  assert.match(said, /does not carry on from\. Choose an answers file of the Early Help Assessment/);
  assert.equal(await review.inputValue(`${R}lead_professional`), 'Dee Okafor, health visiting');

  // The review filled in for its meeting, with new actions, then downloaded.
  await review.fill(`${R}meeting_date`, '2025-05-02');
  await review.fill(`${R}meeting_chair`, 'Dee Okafor');
  await review.fill(`${R}meeting_minute_taker`, 'Sam Patel');
  await inRow(rows(review, 'attendees').nth(0), 'attendee_name').fill('Jo Bloggs');
  await inRow(rows(review, 'attendees').nth(0), 'attendee_attendance', 'input[value=present]').check();
  await inRow(previous.nth(0), 'previous_action_progress', 'input[value=done]').check();
  await review.getByRole('button', { name: 'Add another action', exact: true }).last().click();
  const fresh = rows(review, 'new_actions_list');
  await inRow(fresh.nth(0), 'new_action').fill('Book Sam into the breakfast club.');
  await inRow(fresh.nth(0), 'new_action_who').fill('Jo Bloggs');
  await inRow(fresh.nth(0), 'new_action_when').fill('2025-05-20');
  // An action's outcome is chosen from the plan's outcomes, carried from the assessment.
  assert.equal(await review.inputValue(`${R}assessment_confidence`), '4', 'the assessment’s score, beside today’s');
  const ticked = await review.locator('[data-field="plan_outcomes"] input:checked').evaluateAll((l) => l.map((c) => c.value));
  assert.deepEqual(ticked.sort(), [...assessmentFile.answers.plan_outcomes].sort());
  const offered = () => inRow(fresh.nth(0), 'new_action_outcome', 'select').evaluate((s) =>
    Array.from(s.options).filter((o) => o.value && !o.hidden).map((o) => o.value));
  await inRow(fresh.nth(0), 'new_action_outcome', 'select').focus();
  assert.deepEqual((await offered()).sort(), ticked.sort(), 'only the plan’s outcomes are offered');
  await inRow(fresh.nth(0), 'new_action_outcome', 'select').selectOption(ticked[0]);
  await review.locator(`[data-field="plan_outcomes"] input[value="${ticked[1]}"]`).uncheck();
  assert.deepEqual(await offered(), [ticked[0]], 'unticked, an outcome is no longer offered');
  await review.locator(`[data-field="plan_outcomes"] input[value="${ticked[0]}"]`).uncheck();
  assert.ok((await offered()).length > 2, 'nothing ticked: every outcome is offered');
  assert.equal(await inRow(fresh.nth(0), 'new_action_outcome', 'select').inputValue(), ticked[0], 'the answer given stays');
  for (const value of ticked) await review.locator(`[data-field="plan_outcomes"] input[value="${value}"]`).check();
  await inRow(rows(review, 'scaling_scores').nth(0), 'scaling_name').fill('Jo Bloggs');
  await inRow(rows(review, 'scaling_scores').nth(0), 'scaling_score', 'input[value="6"]').check();
  await review.fill(`${R}next_chair`, 'Sam Patel');
  await review.check(`${R}review_decision-4`);
  await review.fill(`${R}closing_summary`, 'Sam is at school every day.');
  await review.fill(`${R}signature_chair`, 'Dee Okafor');
  await review.fill(`${R}signature_chair-date`, '2025-05-02');
  const reviewDownload = await downloadAnswers(review);
  assertValid(site, 'early-help-review', JSON.parse(reviewDownload.text));
  const reviewPath = write(reviewDownload.name, reviewDownload.text);

  // 2b. The next review starts from this one: its new actions are the ones
  // to review, its scores sit beside the new ones, its next chair chairs.
  const second = await open(context, REVIEW);
  said = await startFrom(second, reviewPath);
  assert.match(said, /\(Early Help Review \(Team Around the Family meeting\), saved at/);
  assert.equal(await second.locator('[data-field="review_decision"] input:checked').count(), 0, 'the last meeting’s decision stays on its form');
  assert.equal(await second.inputValue(`${R}closing_summary`), '');
  assert.equal(await second.inputValue(`${R}meeting_date`), '', 'no next meeting was arranged last time');
  const again = rows(second, 'previous_actions_list');
  assert.equal(await again.count(), 1, 'last time’s look back is not carried again');
  assert.equal(await inRow(again.nth(0), 'previous_action').inputValue(), 'Book Sam into the breakfast club.');
  assert.equal(await inRow(again.nth(0), 'previous_action_who').inputValue(), 'Jo Bloggs');
  const scores = rows(second, 'scaling_scores');
  assert.equal(await inRow(scores.nth(0), 'scaling_name').inputValue(), 'Jo Bloggs');
  assert.equal(await inRow(scores.nth(0), 'scaling_last').inputValue(), '6');
  assert.equal(await inRow(scores.nth(0), 'scaling_score', 'input:checked').count(), 0, 'today’s score is for today');
  assert.equal(await second.inputValue(`${R}meeting_chair`), 'Sam Patel');
  assert.equal(await rows(second, 'new_actions_list').nth(0).locator('[data-field="new_action"] textarea').inputValue(), '', 'new actions start empty');
  await noViolations(second, 'a review started from the last review');

  // 3. The closure: empty, then from the assessment, then from the review.
  const closure = await open(context, CLOSURE);
  await noViolations(closure, 'closure empty');
  said = await startFrom(closure, assessmentPath);
  assert.match(said, /Household members: 2 rows/);
  assert.match(said, /Agencies told about the closure: 1 row/);
  const members = rows(closure, 'household_members');
  assert.equal(await members.count(), 2);
  assert.equal(await inRow(members.nth(0), 'member_name').inputValue(), 'Jo Bloggs');
  assert.equal(await inRow(members.nth(0), 'member_relationship').inputValue(), 'Mother');
  assert.equal(await inRow(members.nth(1), 'member_name').inputValue(), 'Sam Bloggs');
  assert.equal(await inRow(members.nth(1), 'member_setting').inputValue(), 'Hill School');
  const dob = members.nth(1).locator('[data-field="member_dob"]');
  assert.deepEqual(
    [await dob.getByLabel('Day').inputValue(), await dob.getByLabel('Month').inputValue(), await dob.getByLabel('Year').inputValue()],
    ['27', '3', '2013'],
  );
  // The household carried from the assessment is drawn again as the closure's genogram.
  const drawn = closure.locator('.genogram[data-genogram-for="household_members"]');
  await closure.waitForFunction(() => document.querySelectorAll('.genogram[data-genogram-for="household_members"] .genogram-person').length === 2);
  assert.equal(await drawn.getAttribute('data-state'), 'filled');
  assert.deepEqual(
    (await drawn.locator('.genogram-words li').allTextContents()).map((t) => t.split(/[ ,(]/)[0]).sort(),
    ['Jo', 'Sam'],
    'the family in words names both',
  );
  const told = rows(closure, 'agencies_told');
  assert.equal(await told.count(), 1);
  assert.equal(await inRow(told.nth(0), 'told_agency').inputValue(), 'Health visiting');
  assert.equal(await inRow(told.nth(0), 'told_worker').inputValue(), 'Dee Okafor');
  const chosen = await closure.locator('[data-field="plan_outcomes"] input:checked').evaluateAll((l) => l.map((c) => c.value));
  assert.deepEqual(chosen.sort(), [...assessmentFile.answers.plan_outcomes].sort(), 'the chosen outcomes');
  assert.equal(await closure.locator('[data-field="outcomes_achieved"] input:checked').count(), 0, 'achieved is for the family to say');
  assert.equal(await closure.inputValue(`${C}lead_professional`), 'Priya Shah, Hill School');
  assert.equal(await closure.inputValue(`${C}lead_phone`), '01632 960123');
  assert.equal(await inRow(rows(closure, 'closing_actions').nth(0), 'closing_action').inputValue(), 'Meet Sam and his mum to agree a morning plan.');
  await noViolations(closure, 'closure started from the assessment, with the report');

  // From the review: it asks before replacing the Lead Professional and the actions.
  let asked = '';
  closure.once('dialog', (d) => { asked = d.message(); d.accept(); });
  said = await startFrom(closure, reviewPath);
  assert.match(asked, /Lead Professional, Which outcomes did the plan work towards\?, Actions on the plan\./);
  assert.equal(await closure.inputValue(`${C}lead_professional`), 'Dee Okafor, health visiting');
  const last = rows(closure, 'closing_actions');
  assert.equal(await last.count(), 1);
  assert.equal(await inRow(last.nth(0), 'closing_action').inputValue(), 'Book Sam into the breakfast club.');
  assert.equal(await inRow(last.nth(0), 'closing_action_who').inputValue(), 'Jo Bloggs');
  assert.equal(await members.count(), 2, 'the household carried from the assessment stays');

  // Finished and downloaded, the closure validates too; no axe violations with the error summary.
  await closure.fill(`${C}closure_date`, '2025-06-30');
  await closure.check(`${C}closure_reason`);
  await closure.fill(`${C}changes_for_family`, 'Sam goes to school every day and mornings are calmer.');
  await closure.check(`${C}outcomes_achieved-6`);
  await inRow(last.nth(0), 'closing_action_progress', 'input[value=family]').check();
  await closure.check(`${C}family_has_copy`);
  await closure.fill(`${C}signature_lead`, 'Dee Okafor');
  await closure.fill(`${C}signature_lead-date`, '2025-06-30');
  const closed = await downloadAnswers(closure);
  const closedFile = JSON.parse(closed.text);
  assertValid(site, 'early-help-closure', closedFile);
  assert.equal(closedFile.answers.household_members.length, 2);
  assert.equal(closedFile.answers.agencies_told[0].told_agency, 'Health visiting');
  await closure.fill(`${C}closure_date`, '');
  await closure.locator('[data-action="check"]:visible').first().click();
  await closure.locator('#error-summary:not([hidden])').waitFor();
  await noViolations(closure, 'closure with the error summary');
  for (const page of [eha, review, second, closure]) {
    assert.deepEqual(page.problems.console, [], 'no console errors');
    assert.deepEqual(page.problems.external, [], 'no request leaves file://');
  }
  await context.close();
});

test('a review starts from the assessment’s draft saved in this browser, once the passphrase is given', async () => {
  const context = await browser.newContext();
  const eha = await open(context, EHA);
  await fillAssessment(eha);
  await keep(eha);
  const review = await open(context, REVIEW);
  const start = review.getByRole('button', { name: 'Start from a saved draft', exact: true });
  await start.waitFor();
  await start.click();
  await unlock(review);
  const choices = review.locator('.carry-draft-choice');
  await choices.first().waitFor();
  assert.equal(await choices.count(), 1, 'the one draft of a form the review carries on from');
  assert.match(await choices.first().textContent(), /^The Bloggs family: Early Help Assessment, saved at \d\d:\d\d on \d+ \w+ \d{4}$/);
  assert.equal(await review.evaluate(() => document.activeElement.className), 'button button-secondary carry-draft-choice', 'focus moves to the list');
  await noViolations(review, 'choosing a saved draft');
  await choices.first().click();
  await review.locator('#form-status:not(:empty)').waitFor();
  assert.match(await review.locator('#form-status').textContent(), /We started this form from “The Bloggs family” \(Early Help Assessment, saved at/);
  assert.equal(await review.inputValue(`${R}lead_professional`), 'Priya Shah, Hill School');
  assert.equal(await review.inputValue('#family-label'), 'The Bloggs family');
  const previous = rows(review, 'previous_actions_list');
  assert.equal(await inRow(previous.nth(0), 'previous_action').inputValue(), 'Meet Sam and his mum to agree a morning plan.');
  // The review now keeps its own draft; it is never offered as its own earlier form.
  await review.waitForFunction(() => /[?&]draft=/.test(window.location.search), null, { timeout: 30000 });
  await start.click();
  await choices.first().waitFor();
  assert.equal(await choices.count(), 1, 'still only the assessment');
  for (const page of [eha, review]) {
    assert.deepEqual(page.problems.console, [], 'no console errors');
    assert.deepEqual(page.problems.external, [], 'no request leaves file://');
  }
  await context.close();
});
