// What a practitioner trusts the forms with, tested from file:// as they
// meet it: nothing typed is lost (reload, storage errors, leaving), many
// families on one device kept apart and private (encrypted at rest, a
// wrong passphrase refused, another handbook or page cannot read them),
// drafts expire, Clear and Delete leave nothing, answers files are checked
// before anything changes, Undo after Remove, memorable dates, the phone
// layout, and zero axe violations in every new state.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildSite, newHandbook, fileUrl, openPage, axe, tempDir, noViolations, noProblems, setUp } = require('./lib');
const {
  PASS, action, typePassphrase, keep, saved, unlock, fillDate, downloadAnswers, openAnswers, schemaValidator, assertValid, storedText,
} = require('./forms-lib');

const EHA = 'forms/early-help-assessment.html';
const REVIEW = 'forms/early-help-review.html';
const SAVED = 'forms/saved.html';
const P = '#early-help-assessment--';

let site;
let browser;

setUp({ ready: (s) => ({ site, browser } = s) });

async function open(rel = EHA, options = {}, where = site) {
  const context = await browser.newContext(options);
  const page = await openPage(context, fileUrl(where, rel));
  return { context, page };
}

function members(page) {
  return page.locator('.repeat[data-field="household_members"] .repeat-rows > .repeat-row');
}

async function status(page) {
  return (await page.locator('#form-status').textContent()).replace(/\s+/g, ' ').trim();
}

/** A few answers a real family would give, with the family's name at the top. */
async function fillFamily(page, label, person) {
  await page.fill('#family-label', label);
  await page.fill(`${P}assessor_name`, 'Priya Shah');
  await members(page).nth(0).locator('[data-field="member_name"] input').fill(person);
  await fillDate(members(page).nth(0), 'member_dob', 27, 3, 2019);
  await page.fill(`${P}assessment_reason`, `${person} has missed school since the move.`);
}

/** The type of the next dialog the page shows (within 10 s), dismissed. Leaving-warnings need the person to have typed, as a practitioner does. */
function nextDialog(page) {
  return Promise.race([
    new Promise((resolve) => page.once('dialog', (d) => { resolve(d.type()); d.dismiss(); })),
    new Promise((resolve) => setTimeout(() => resolve('no dialog'), 10000)),
  ]);
}

/** Accepts the next confirm() and returns its words. */
function acceptNext(page) {
  return new Promise((resolve) => page.once('dialog', (d) => { resolve(d.message()); d.accept(); }));
}

async function unlockSaved(page, pass = PASS) {
  await page.getByRole('button', { name: 'Unlock drafts', exact: true }).click();
  await unlock(page, pass);
  await page.locator('#saved-status:not(:empty)').waitFor();
}

test('a reload mid-typing loses nothing once the answers are kept', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  for (let i = 1; i <= 4; i++) {
    // Typed and reloaded at once: no time for the usual pause before saving.
    await page.fill(`${P}assessor_role`, `Role typed just before reload ${i}`);
    await page.locator(`${P}family_voice`).pressSequentially(` word${i}`);
    await page.reload();
    await unlock(page);
    await page.locator('#form-status:not(:empty)').waitFor();
    assert.equal(await page.inputValue(`${P}assessor_role`), `Role typed just before reload ${i}`, `reload ${i}`);
    assert.match(await page.inputValue(`${P}family_voice`), new RegExp(`word${i}$`));
    assert.equal(await page.inputValue('#family-label'), 'Bloggs family');
    assert.equal(await members(page).nth(0).getByLabel('Day').inputValue(), '27');
  }
  assert.match(await status(page), /We opened the draft for Bloggs family, last saved in this browser at \d\d:\d\d/);
  noProblems(page);
  await context.close();
});

test('until answers are kept, and when saving fails, the page says so and asks before leaving', async () => {
  const { context, page } = await open();
  const bar = page.locator('#save-status');
  assert.equal(await bar.textContent(), 'Not saved yet');
  assert.equal(await bar.getAttribute('role'), 'status', 'announced politely');
  await page.click(`${P}assessor_name`);
  await page.keyboard.type('Priya Shah');
  await page.waitForSelector('.save-status.is-unsaved');
  assert.ok(await page.locator('.form-bar [data-action="keep"]').isVisible(), 'Keep in this browser is offered');
  // Leaving now would lose the answer: the browser asks first.
  const asked = nextDialog(page);
  page.evaluate(() => window.location.reload()).catch(() => {});
  assert.equal(await asked, 'beforeunload');
  await page.waitForTimeout(200);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Priya Shah', 'staying keeps the answer');
  // Kept: leaving is quiet.
  await keep(page);
  let warned = false;
  page.on('dialog', (d) => { warned = true; d.accept(); });
  await page.reload();
  assert.equal(warned, false);
  await context.close();

  // A full browser store: the save fails, the bar says why in words, and leaving asks.
  const full = await browser.newContext();
  await full.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  const fp = await openPage(full, fileUrl(site, EHA));
  await fp.click(`${P}assessor_name`);
  await fp.keyboard.type('Priya Shah');
  await fp.locator('.form-bar [data-action="keep"]').click();
  await typePassphrase(fp);
  await fp.waitForSelector('.save-status.is-error');
  assert.equal(await fp.locator('#save-status').textContent(), 'Not saved: this browser’s storage is full. Download the answers to keep them.');
  await noViolations(fp, 'storage full');
  const again = nextDialog(fp);
  fp.evaluate(() => window.location.reload()).catch(() => {});
  assert.equal(await again, 'beforeunload');
  // Downloading the answers keeps them somewhere: then leaving is quiet.
  await downloadAnswers(fp);
  let asked2 = false;
  fp.on('dialog', (d) => { asked2 = true; d.accept(); });
  await fp.reload();
  assert.equal(asked2, false);
  await full.close();

  // Storage blocked altogether (a browser setting): said at once, no Keep button that cannot work.
  const blocked = await browser.newContext();
  await blocked.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('Access is denied.', 'SecurityError'); } });
  });
  const bp = await openPage(blocked, fileUrl(site, EHA));
  assert.equal(await bp.locator('#save-status').textContent(), 'Not saved: this browser does not let pages keep data. Download the answers to keep them.');
  assert.ok(!(await bp.locator('.form-bar [data-action="keep"]').isVisible()));
  const sp = await openPage(blocked, fileUrl(site, SAVED));
  assert.match(await sp.locator('#saved-status').textContent(), /does not let pages keep data/);
  await blocked.close();
});

test('two families on one device: each has its own draft, listed by family on Saved on this device', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  const bloggs = page.url();
  // A second family: the same form, started again.
  await action(page, 'Start this form for another family');
  await page.waitForURL((u) => !u.search.includes('draft='));
  assert.equal(await page.inputValue(`${P}assessor_name`), '', 'a blank form');
  assert.equal(await page.locator('#save-status').textContent(), 'Not saved yet: your drafts are locked');
  await fillFamily(page, 'Khan family, case 4471', 'Amir Khan');
  assert.equal(await page.locator('.form-bar [data-action="keep"]').textContent(), 'Unlock drafts');
  await keep(page);
  const khan = page.url();
  assert.notEqual(khan, bloggs);
  assert.equal((await page.evaluate(() => Object.keys(localStorage))).length, 2, 'the first family’s draft was not replaced');

  const list = await openPage(context, fileUrl(site, SAVED));
  assert.match(await list.locator('#saved-summary').textContent(), /2 drafts are saved in this browser. They are locked/);
  assert.deepEqual(await list.locator('.saved-item-title').allTextContents(), ['Locked draft', 'Locked draft'], 'no family is named before the passphrase');
  await noViolations(list, 'saved drafts, locked');
  await unlockSaved(list);
  const titles = await list.locator('.saved-item-title').allTextContents();
  assert.deepEqual(titles.sort(), ['Bloggs family', 'Khan family, case 4471']);
  const facts = await list.locator('.saved-item').first().locator('dd').allTextContents();
  assert.equal(facts[0], 'Early Help Assessment');
  assert.match(facts[1], /^\d\d:\d\d on \d+ \w+ \d{4}$/);
  await noViolations(list, 'saved drafts, unlocked');
  // Open goes to that family's draft.
  await list.getByRole('link', { name: 'Open the draft for Bloggs family' }).click();
  await unlock(list);
  await list.locator('#form-status:not(:empty)').waitFor();
  assert.equal(await members(list).nth(0).locator('[data-field="member_name"] input').inputValue(), 'Sam Bloggs');
  const k = await openPage(context, khan);
  await unlock(k);
  await k.locator('#form-status:not(:empty)').waitFor();
  assert.equal(await members(k).nth(0).locator('[data-field="member_name"] input').inputValue(), 'Amir Khan');
  assert.equal(await k.inputValue('#family-label'), 'Khan family, case 4471');
  noProblems(list);
  noProblems(k);
  await context.close();
});

test('nothing readable is stored: another page opened from disk sees only ciphertext', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await page.fill(`${P}consent_exclusions`, 'Not the housing officer.');
  await keep(page);
  await page.fill(`${P}assessor_role`, 'Family support worker');
  await page.waitForTimeout(1200);
  // Any other HTML file opened from disk shares file:// storage in Chromium.
  const dir = tempDir('handbook-other-');
  fs.writeFileSync(path.join(dir, 'other.html'), '<!DOCTYPE html><title>Another file</title><p>Not part of the handbook.</p>');
  const other = await openPage(context, fileUrl(dir, 'other.html'));
  const text = await storedText(other);
  assert.ok(text.length > 500, 'the other page can see the stored draft (so the test means something)');
  for (const secret of ['Bloggs', 'Sam', 'Priya', 'Shah', 'housing', 'school', 'Family support', 'early-help', 'Early Help', '2019', 'member_name', 'answers']) {
    assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `“${secret}” is not stored readably`);
  }
  const records = await other.evaluate(() => Object.keys(localStorage).map((k) => JSON.parse(localStorage.getItem(k))));
  assert.equal(records.length, 1);
  assert.deepEqual(Object.keys(records[0]).sort(), ['cipher', 'data', 'handbook_draft', 'hkdf_salt', 'iterations', 'iv', 'kdf', 'key', 'salt', 'saved']);
  assert.equal(records[0].kdf, 'PBKDF2-SHA256');
  assert.ok(records[0].iterations >= 600000);
  assert.equal(records[0].cipher, 'AES-GCM');
  assert.equal(Buffer.from(records[0].salt, 'base64').length, 16);
  assert.equal(Buffer.from(records[0].hkdf_salt, 'base64').length, 16);
  assert.equal(Buffer.from(records[0].iv, 'base64').length, 12);
  // Each save has a fresh IV; nothing about the passphrase is kept, in any storage.
  const ivs = new Set([records[0].iv]);
  await page.fill(`${P}assessor_role`, 'Learning mentor');
  await page.waitForTimeout(1200);
  ivs.add((await other.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).iv)));
  assert.equal(ivs.size, 2, 'a fresh IV for every save');
  const everywhere = await page.evaluate(() => JSON.stringify([Object.entries(sessionStorage), document.cookie, location.href]));
  assert.ok(!everywhere.includes('kettle'), 'the passphrase is nowhere but in memory');
  await context.close();
});

test('another council’s handbook on the same device sees none of these drafts, and keeps its own for its own time', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  const root = newHandbook();
  const toml = path.join(root, 'handbook.toml');
  fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8')
    .replace('authority = "Anytown Council"', 'authority = "Northshire County Council"') + '\n[drafts]\nexpire_days = 7\n');
  const northshire = buildSite(root);
  const theirs = await openPage(context, fileUrl(northshire, EHA));
  assert.equal(await theirs.inputValue(`${P}assessor_name`), '');
  assert.equal(await theirs.locator('#save-status').textContent(), 'Not saved yet', 'no drafts of its own: not even locked ones');
  const list = await openPage(context, fileUrl(northshire, SAVED));
  assert.equal(await list.locator('#saved-summary').textContent(), 'No drafts of this handbook’s forms are saved in this browser.');
  assert.match(await list.locator('.saved-expiry').textContent(), /not been changed for 7 days/);
  await noViolations(list, 'saved drafts, none');
  // Its own draft goes under its own name.
  await theirs.fill(`${P}assessor_name`, 'Northshire worker');
  await keep(theirs);
  const keys = await theirs.evaluate(() => Object.keys(localStorage).map((k) => k.split(':')[1]));
  assert.equal(new Set(keys).size, 2, 'two handbooks, two identities in the keys');
  await context.close();
});

test('a wrong passphrase is refused and says so, on a draft, on the list and on an encrypted file', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  const again = await openPage(context, page.url());
  await typePassphrase(again, 'not the passphrase');
  const error = again.locator('#passphrase-dialog .passphrase-error');
  await error.waitFor({ timeout: 30000 });
  assert.equal((await error.textContent()).trim(), 'Error: That passphrase does not open it. Check it and try again.');
  assert.equal(await again.evaluate(() => document.activeElement.id), 'passphrase', 'back in the box to try again');
  assert.equal(await again.inputValue(`${P}assessor_name`), '', 'nothing opened');
  await noViolations(again, 'passphrase box, wrong passphrase');
  // Cancel leaves the draft locked and says so; Unlock asks again.
  await again.locator('#passphrase-dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await again.locator('#save-status').textContent(), 'This family’s draft is locked');
  await again.locator('.form-bar [data-action="keep"]').click();
  await unlock(again);
  await again.locator('#form-status:not(:empty)').waitFor();
  assert.equal(await again.inputValue(`${P}assessor_name`), 'Priya Shah');

  const list = await openPage(context, fileUrl(site, SAVED));
  await list.getByRole('button', { name: 'Unlock drafts', exact: true }).click();
  await typePassphrase(list, 'also not it at all');
  await list.locator('#passphrase-dialog .passphrase-error').waitFor({ timeout: 30000 });
  assert.match(await list.locator('#passphrase-dialog .passphrase-error').textContent(), /does not open it/);
  // Too short or mistyped when choosing one for a file.
  await list.locator('#passphrase-dialog').getByRole('button', { name: 'Cancel' }).click();
  const { name, text } = await downloadAnswers(again, { encrypted: true, pass: 'file secret words' });
  const fresh = await open();
  await openAnswers(fresh.page, name, text, { pass: 'wrong file words', wait: false });
  await fresh.page.locator('#passphrase-dialog .passphrase-error').waitFor({ timeout: 30000 });
  assert.match(await fresh.page.locator('#passphrase-dialog .passphrase-error').textContent(), /does not open it/);
  await fresh.page.locator('#passphrase-dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.match(await status(fresh.page), /was not opened. Nothing in the form has been changed/);
  await fresh.context.close();
  await context.close();
});

test('choosing a passphrase: too short or mistyped is said beside the box', async () => {
  const { context, page } = await open();
  await page.fill(`${P}assessor_name`, 'Priya Shah');
  await page.locator('.form-bar [data-action="keep"]').click();
  const dialog = page.locator('#passphrase-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.locator('h2').textContent(), 'Keep these answers in this browser');
  await noViolations(page, 'passphrase box, choosing');
  await dialog.locator('#passphrase').fill('short');
  await dialog.locator('#passphrase-again').fill('short');
  await dialog.locator('.passphrase-submit').click();
  assert.match(await dialog.locator('.passphrase-error').textContent(), /at least 10 characters/);
  await dialog.locator('#passphrase').fill('kettle orbit lantern');
  await dialog.locator('#passphrase-again').fill('kettle orbit lanturn');
  await dialog.locator('.passphrase-submit').click();
  assert.match(await dialog.locator('.passphrase-error').textContent(), /not the same/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'passphrase-again');
  await noViolations(page, 'passphrase box, error');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Priya Shah');
  await context.close();
});

test('drafts expire after the handbook’s number of days, with a fixed clock, after saying when on the list', async () => {
  const start = new Date('2025-03-01T10:00:00');
  const context = await browser.newContext();
  await context.clock.setFixedTime(start);
  const page = await openPage(context, fileUrl(site, EHA));
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  const url = page.url();
  await page.close();

  await context.clock.setFixedTime(new Date('2025-03-30T09:00:00'));
  const before = await openPage(context, fileUrl(site, SAVED));
  assert.match(await before.locator('.saved-item').textContent(), /Deleted on\s*31 March 2025, unless it is changed before then/);
  assert.equal(await before.locator('#saved-status').textContent(), '', 'nothing deleted yet');
  await before.close();

  await context.clock.setFixedTime(new Date('2025-04-01T10:00:01'));
  const after = await openPage(context, fileUrl(site, SAVED));
  await after.locator('#saved-status:not(:empty)').waitFor();
  assert.match(await after.locator('#saved-status').textContent(), /We deleted 1 draft that had not been changed for 30 days:\s*last saved at 10:00 on 1 March 2025/);
  assert.equal(await after.locator('#saved-summary').textContent(), 'No drafts of this handbook’s forms are saved in this browser.');
  assert.deepEqual(await after.evaluate(() => Object.keys(localStorage)), []);
  await noViolations(after, 'saved drafts, expired');
  const form = await openPage(context, url);
  assert.match(await status(form), /no longer saved in this browser. It was deleted, or it had not been changed for 30 days/);
  await context.close();
});

test('Clear and Delete leave no trace, drafts from older versions of the form included', async () => {
  const context = await browser.newContext();
  const seed = await openPage(context, fileUrl(site, 'index.html'));
  await seed.evaluate(() => {
    const old = (version, name) => JSON.stringify({ form: 'early-help-assessment', version, saved: '2024-11-02T09:30:00.000Z', answers: { assessor_name: name } });
    localStorage.setItem('handbook-form:early-help-assessment:0.9', old('0.9', 'Old Name'));
    localStorage.setItem('handbook-form:early-help-assessment:1.0', old('1.0', 'Newer Name'));
  });
  const page = await openPage(context, fileUrl(site, EHA));
  const notice = page.locator('#legacy-drafts');
  assert.ok(await notice.isVisible(), 'old unencrypted drafts are pointed out');
  assert.match(await notice.textContent(), /2 drafts saved without encryption by an older version/);
  await noViolations(page, 'form with old drafts');
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  acceptNext(page);
  await action(page, 'Clear form');
  assert.match(await status(page), /cleared and the draft saved in this browser has been deleted/);
  const left = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(left, [], 'this draft and the form’s old drafts of every version are gone');

  // Delete and Delete all on the list.
  const p2 = await openPage(context, fileUrl(site, EHA));
  await fillFamily(p2, 'First family', 'A One');
  await keep(p2);
  await action(p2, 'Start this form for another family');
  await fillFamily(p2, 'Second family', 'B Two');
  await keep(p2);
  await action(p2, 'Start this form for another family');
  await fillFamily(p2, 'Third family', 'C Three');
  await keep(p2);
  const list = await openPage(context, fileUrl(site, SAVED));
  await unlockSaved(list);
  const asked = acceptNext(list);
  await list.getByRole('button', { name: 'Delete the draft for Second family' }).click();
  assert.match(await asked, /Delete the draft for Second family \(Early Help Assessment\) from this browser\? This cannot be undone/);
  await list.locator('#saved-status', { hasText: 'Deleted the draft for Second family.' }).waitFor();
  assert.deepEqual((await list.locator('.saved-item-title').allTextContents()).sort(), ['First family', 'Third family']);
  assert.equal(await list.evaluate(() => document.activeElement.id), 'saved-status', 'focus goes to what happened');
  const all = acceptNext(list);
  await list.getByRole('button', { name: 'Delete all drafts' }).click();
  assert.match(await all, /Delete all 2 drafts saved in this browser\?/);
  await list.locator('#saved-status', { hasText: 'Every draft' }).waitFor();
  assert.deepEqual(await list.evaluate(() => Object.keys(localStorage)), []);
  await context.close();
});

test('old unencrypted drafts are found and encrypted with the passphrase, or deleted; never left as they were', async () => {
  const context = await browser.newContext();
  const seed = await openPage(context, fileUrl(site, 'index.html'));
  await seed.evaluate(() => {
    localStorage.setItem('handbook-form:early-help-assessment:1.0', JSON.stringify({
      form: 'early-help-assessment', version: '1.0', saved: '2024-11-02T09:30:00.000Z',
      answers: { assessor_name: 'Old Name', household_members: [{ member_name: 'Jo', member_dob: '1990-05-01' }] },
    }));
    localStorage.setItem('handbook-form:someone-elses-form:2', JSON.stringify({ form: 'someone-elses-form', version: '2', answers: { a: 'b' } }));
  });
  const list = await openPage(context, fileUrl(site, SAVED));
  const box = list.locator('#saved-legacy');
  assert.ok(await box.isVisible());
  assert.match(await box.textContent(), /2 drafts saved by an older version of these forms without encryption: anyone using this browser could read them/);
  const items = await box.locator('li').allTextContents();
  assert.ok(items.some((t) => /^Early Help Assessment, saved at 09:30 on 2 November 2024$/.test(t)), items.join(' | '));
  assert.ok(items.some((t) => /someone-elses-form \(not a form in this handbook/.test(t)));
  await noViolations(list, 'saved drafts, old unencrypted drafts');
  await list.getByRole('button', { name: 'Encrypt and keep them' }).click();
  await typePassphrase(list);
  await list.locator('#saved-status', { hasText: 'is now encrypted' }).waitFor({ timeout: 30000 });
  const keys = await list.evaluate(() => Object.keys(localStorage));
  assert.ok(!keys.includes('handbook-form:early-help-assessment:1.0'), 'the readable copy is gone');
  assert.ok(!(await storedText(list)).includes('Old Name'));
  assert.deepEqual(await list.locator('.saved-item-title').allTextContents(), ['No family name given']);
  // The form that is not this handbook's can only be deleted here.
  assert.match(await box.textContent(), /someone-elses-form/);
  acceptNext(list);
  await list.getByRole('button', { name: 'Delete them' }).click();
  await list.locator('#saved-legacy').waitFor({ state: 'hidden' });
  assert.ok(!(await list.evaluate(() => Object.keys(localStorage))).some((k) => k.startsWith('handbook-form:')));
  // The encrypted copy opens in the form, memorable date and all.
  await list.getByRole('link', { name: /^Open/ }).click();
  await unlock(list);
  await list.locator('#form-status:not(:empty)').waitFor();
  assert.equal(await list.inputValue(`${P}assessor_name`), 'Old Name');
  assert.equal(await members(list).nth(0).getByLabel('Year').inputValue(), '1990');
  await context.close();
});

test('Lock forgets the passphrase and empties the screen; unlocking brings the family back', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  await keep(page);
  await action(page, 'Lock drafts');
  await page.locator('#form-status', { hasText: 'Locked.' }).waitFor();
  assert.equal(await page.inputValue(`${P}assessor_name`), '');
  assert.equal(await page.inputValue('#family-label'), '');
  assert.equal(await page.evaluate(() => window.HandbookDrafts.unlocked()), false);
  assert.equal(await page.locator('#save-status').textContent(), 'This family’s draft is locked');
  await noViolations(page, 'locked');
  await page.locator('.form-bar [data-action="keep"]').click();
  await unlock(page);
  await page.locator('#form-status', { hasText: 'Bloggs family' }).waitFor();
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Priya Shah');
  await context.close();
});

test('answers files: named after the form, family and date; encrypted on request; both open again and validate with ajv', async () => {
  const { context, page } = await open();
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  const plain = await downloadAnswers(page);
  assert.match(plain.name, /^early-help-assessment-bloggs-family-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(plain.text);
  assert.equal(file.label, 'Bloggs family');
  assert.equal(file.answers.household_members[0].member_dob, '2019-03-27', 'the day, month and year boxes give an ISO date');
  assertValid(site, 'early-help-assessment', file);

  const sealed = await downloadAnswers(page, { encrypted: true, pass: 'file secret words' });
  assert.match(sealed.name, /^early-help-assessment-encrypted-\d{4}-\d{2}-\d{2}\.json$/, 'no family name in an encrypted file’s name');
  const wrapper = JSON.parse(sealed.text);
  assert.deepEqual(Object.keys(wrapper).sort(), ['cipher', 'data', 'handbook_encrypted', 'iterations', 'iv', 'kdf', 'salt']);
  assert.equal(wrapper.handbook_encrypted, 1);
  assert.equal(wrapper.kdf, 'PBKDF2-SHA256');
  assert.equal(wrapper.iterations, 600000);
  for (const secret of ['Bloggs', 'Sam', 'Priya', 'early-help']) assert.ok(!sealed.text.includes(secret), `no “${secret}” in the encrypted file`);
  assert.match(await status(page), /downloaded as early-help-assessment-encrypted-.*encrypted with the passphrase you chose/);
  await noViolations(page, 'downloaded encrypted');

  for (const [name, text, pass] of [[plain.name, plain.text, null], [sealed.name, sealed.text, 'file secret words']]) {
    const fresh = await open();
    await openAnswers(fresh.page, name, text, { pass });
    assert.match(await status(fresh.page), new RegExp(`We opened “${name.replace(/\./g, '\\.')}” \\(saved at .*\\) and filled in its answers`));
    assert.equal(await fresh.page.inputValue('#family-label'), 'Bloggs family');
    assert.equal(await members(fresh.page).nth(0).getByLabel('Month').inputValue(), '3');
    const back = JSON.parse((await downloadAnswers(fresh.page)).text);
    assert.deepEqual(back.answers, file.answers, `${name} opens to the same answers`);
    assertValid(site, 'early-help-assessment', back);
    noProblems(fresh.page);
    await fresh.context.close();
  }

  // From the list too: named after the family, and valid.
  await keep(page);
  const list = await openPage(context, fileUrl(site, SAVED));
  await unlockSaved(list);
  const [download] = await Promise.all([list.waitForEvent('download'), list.getByRole('button', { name: 'Download the draft for Bloggs family' }).click()]);
  assert.match(download.suggestedFilename(), /^early-help-assessment-bloggs-family-\d{4}-\d{2}-\d{2}\.json$/);
  const listed = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assertValid(site, 'early-help-assessment', listed);
  assert.deepEqual(listed.answers, file.answers);
  await context.close();
});

test('a review file validates with ajv too', async () => {
  const { context, page } = await open(REVIEW);
  await page.getByLabel('Date of meeting').fill('2025-05-01');
  await page.locator('[data-field="attendees"] .repeat-row input[type=text]').first().fill('Jo Bloggs');
  const { text } = await downloadAnswers(page);
  assertValid(site, 'early-help-review', JSON.parse(text));
  await context.close();
});

test('opening a hostile or odd answers file changes nothing until it is known good, and lists every answer not placed or changed', async () => {
  const { context, page } = await open();
  await page.fill(`${P}assessor_name`, 'Typed before');
  const base = { form: 'early-help-assessment', title: 'Early Help Assessment', version: '1.2', saved: '2025-03-14T10:22:05.000Z' };
  // 5,000 levels deep: refused, nothing thrown, the typed answer still there.
  const deep = '{"form":"early-help-assessment","answers":{"assessor_name":' + '['.repeat(5000) + ']'.repeat(5000) + '}}';
  await openAnswers(page, 'deep.json', deep);
  assert.match(await status(page), /“deep\.json” could not be opened: it is not an answers file \(its contents are nested too deeply\). Nothing in the form has been changed/);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Typed before');
  // Too big to be an answers file.
  await openAnswers(page, 'big.json', JSON.stringify({ ...base, answers: { family_voice: 'x'.repeat(2100000) } }));
  assert.match(await status(page), /“big\.json” could not be opened: it is larger than an answers file can be \(2 MB\)/);
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Typed before');
  await noViolations(page, 'file refused');

  // One unbroken 1 MB word, line breaks in a one-line answer, a padded email, impossible values.
  const word = 'w'.repeat(1000000);
  const odd = {
    ...base,
    answers: {
      assessor_name: 'Line one\nLine two',
      assessor_role: word,
      assessor_email: '  priya@example.org ',
      assessment_date: '2025-02-30',
      family_confidence: 11,
      consent_assessment: 'maybe',
      family_voice: 'Kept as it is:\nwith its line breaks.',
      household_members: [{ member_name: 'Jo', member_dob: '2019-03-27', member_shoe_size: 6 }],
    },
  };
  page.once('dialog', (d) => d.accept());
  const t0 = Date.now();
  await openAnswers(page, 'odd.json', JSON.stringify(odd));
  console.log(`# opened a file with a 1 MB word in ${Date.now() - t0} ms`);
  const text = await status(page);
  assert.match(text, /We opened “odd\.json” \(saved at .*\) and filled in its answers/);
  const items = await page.locator('#form-status li').allTextContents();
  const expected = [
    "Assessor's role: " + 'w'.repeat(200) + '…',
    "Assessor's email address:   priya@example.org ",
    'Date of assessment: 2025-02-30',
    'How confident is the family that things will get better?: 11',
    'Does the family agree to this assessment?: maybe',
    'Household member 1, member_shoe_size: 6',
    "Assessor's name: its line breaks became spaces, because this question takes one line",
  ];
  for (const e of expected) assert.ok(items.some((i) => i.replace(/\s+$/, '') === e.replace(/\s+$/, '') || i === e), `listed: ${e}\nin: ${items.join(' | ').slice(0, 2000)}`);
  assert.equal(items.length, expected.length, items.join(' | ').slice(0, 2000));
  assert.equal(await page.inputValue(`${P}assessor_name`), 'Line one Line two');
  assert.equal(await page.inputValue(`${P}assessor_role`), '', 'the 1 MB word was not put in the page');
  assert.equal(await page.inputValue(`${P}family_voice`), 'Kept as it is:\nwith its line breaks.');
  assert.equal(await members(page).nth(0).getByLabel('Day').inputValue(), '27');
  await noViolations(page, 'file opened with answers not placed');
  noProblems(page);
  await context.close();
});

test('the page’s own schema check agrees with ajv on good and bad answers files', async () => {
  const { context, page } = await open();
  const check = schemaValidator(site, 'early-help-assessment');
  const schema = JSON.parse(fs.readFileSync(path.join(site, 'forms/early-help-assessment.schema.json'), 'utf8'));
  await fillFamily(page, 'Bloggs family', 'Sam Bloggs');
  const good = JSON.parse((await downloadAnswers(page)).text);
  const change = (f) => { const c = JSON.parse(JSON.stringify(good)); f(c); return c; };
  const cases = [
    good,
    change((c) => { c.answers.assessment_date = '2025-02-29'; }),
    change((c) => { c.answers.assessment_date = '2024-02-29'; }),
    change((c) => { c.answers.family_confidence = 3.5; }),
    change((c) => { c.answers.family_confidence = 10; }),
    change((c) => { c.answers.assessor_email = 'a@b'; }),
    change((c) => { c.answers.assessor_email = 'priya.shah@example.org'; }),
    change((c) => { c.answers.plan_outcomes = ['secure-housing', 'secure-housing']; }),
    change((c) => { c.answers.household_members[0].extra = 'x'; }),
    change((c) => { c.saved = 'yesterday'; }),
    change((c) => { c.label = 'x'.repeat(201); }),
    change((c) => { c.answers.family_voice = 'y'.repeat(50001); }),
    change((c) => { c.answers.family_voice = '😀'.repeat(50000); }),
    change((c) => { c.version = '0.9'; }),
    change((c) => { delete c.answers.assessor_name; }),
    change((c) => { c.answers.unknown = ''; }),
  ];
  const mine = await page.evaluate(({ schema, cases }) => cases.map((c) => window.HandbookDrafts.validate(schema, c).length === 0), { schema, cases });
  const theirs = cases.map((c) => check(c).length === 0);
  assert.deepEqual(mine, theirs);
  assert.deepEqual(theirs, [true, false, true, false, true, false, true, false, false, false, false, false, true, false, false, false]);
  await context.close();
});

test('Remove on a filled row offers Undo, which puts the row and its answers back', async () => {
  const { context, page } = await open();
  await page.getByRole('button', { name: 'Add another household member' }).click();
  await members(page).nth(1).locator('[data-field="member_name"] input').fill('Alex Bloggs');
  await fillDate(members(page).nth(1), 'member_dob', 2, 9, 2015);
  await page.getByRole('button', { name: 'Add another household member' }).click();
  await members(page).nth(1).getByRole('button', { name: 'Remove household member 2' }).click();
  assert.equal(await members(page).count(), 2);
  const notice = page.locator('.repeat-undo');
  assert.equal((await notice.textContent()).replace(/\s+/g, ' ').trim(), 'Household member 2 removed. Undo removing household member 2');
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Undo removing household member 2', 'focus on Undo');
  await noViolations(page, 'Undo offered');
  await page.keyboard.press('Enter');
  assert.equal(await members(page).count(), 3);
  assert.equal(await members(page).nth(1).locator('[data-field="member_name"] input').inputValue(), 'Alex Bloggs');
  assert.equal(await members(page).nth(1).getByLabel('Year').inputValue(), '2015');
  assert.equal((await members(page).nth(2).locator('legend.row-legend').textContent()).trim(), 'Household member 3', 'renumbered');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.repeat-row').querySelector('legend').textContent.trim()), 'Household member 2');
  assert.equal(await notice.count(), 0);
  // An empty row just goes, as before.
  await members(page).nth(2).getByRole('button', { name: 'Remove household member 3' }).click();
  assert.equal(await members(page).count(), 2);
  assert.equal(await page.locator('.repeat-undo').count(), 0);
  noProblems(page);
  await context.close();
});

test('memorable dates: day, month and year boxes, never a browser’s mm/dd/yyyy; checked, kept and printed', async () => {
  const { context, page } = await open();
  const dob = members(page).nth(0).locator('[data-field="member_dob"]');
  assert.equal(await dob.locator('input[type=date]').count(), 0);
  assert.deepEqual(await dob.locator('label').allTextContents(), ['Day', 'Month', 'Year']);
  assert.equal(await dob.locator('legend').textContent(), 'Date of birth (optional)');
  assert.equal(await dob.getByLabel('Day').getAttribute('inputmode'), 'numeric');
  await fillDate(members(page).nth(0), 'member_dob', 31, 2, 2019);
  await action(page, 'Check answers');
  const links = await page.locator('#error-summary a').allTextContents();
  assert.ok(links.includes('Household member 1: Enter a real date for “Date of birth”'), links.join(' | '));
  await noViolations(page, 'memorable date error');
  // Half typed: a draft keeps it; a download cannot hold it and says so.
  await fillDate(members(page).nth(0), 'member_dob', 27, 3, '');
  await keep(page);
  await page.reload();
  await unlock(page);
  await page.locator('#form-status:not(:empty)').waitFor();
  assert.deepEqual(await dob.locator('input').evaluateAll((c) => c.map((x) => x.value)), ['27', '3', '']);
  await action(page, 'Download answers');
  assert.match(await status(page), /Nothing was downloaded.*Household member 1, Date of birth: “27 \/ 3 \/ ” is not a whole date/);
  await dob.getByLabel('Year').fill('2019');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await dob.locator('.print-answer').textContent(), '27 March 2019');
  assert.ok(!(await dob.getByLabel('Day').isVisible()));
  await context.close();
});

test('on a 375 px phone the first question is on the first screen, and the save status stays in view', async () => {
  const shots = tempDir('handbook-phone-');
  for (const rel of [EHA, REVIEW]) {
    const { context, page } = await open(rel, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const file = path.join(shots, path.basename(rel, '.html') + '.png');
    await page.screenshot({ path: file });
    console.log(`# screenshot: ${file}`);
    const first = page.locator('form.hb-form [data-field]').first();
    const box = await first.boundingBox();
    assert.ok(box.y + box.height <= 667, `${rel}: the first question ends at ${Math.round(box.y + box.height)}px, inside 667px`);
    const label = await page.locator('#family-label').boundingBox();
    assert.ok(label.y + label.height <= 667, 'the family’s name is asked on the first screen');
    assert.ok(!(await page.locator('.form-intro').isVisible()), 'the intro is folded away');
    assert.ok(await page.locator('.form-about-summary').isVisible());
    const primary = page.locator('.form-bar .button:visible:not(.button-secondary):not(.button-warning)');
    assert.ok((await primary.count()) <= 1, 'one primary action');
    // Clear is kept apart, at the end of More, not beside Print.
    await page.locator('.form-more > summary').click();
    const clearList = page.locator('.form-more-menu ul', { has: page.locator('[data-action="clear"]') });
    assert.equal(await clearList.locator('[data-action="print"]').count(), 0);
    await noViolations(page, `${rel} at 375px, menu open`);
    await page.keyboard.press('Escape');
    assert.ok(!(await page.locator('.form-more-menu').isVisible()));
    // Deep in the form, the status is still in view.
    await page.locator('form.hb-form textarea:visible').last().scrollIntoViewIfNeeded();
    const bar = await page.locator('#save-status').boundingBox();
    assert.ok(bar.y >= 0 && bar.y + bar.height <= 667, `the save status is in view (${Math.round(bar.y)}px)`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await context.close();
  }
});
