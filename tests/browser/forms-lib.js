// Helpers for the forms' browser tests (forms.test.js, drafts.test.js):
// using the save bar and its menu, the passphrase box, answers files, and
// checking downloads with ajv, a JSON Schema validator nobody here wrote.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const { tempDir } = require('./lib');

const PASS = 'kettle orbit lantern';

function button(page, name) {
  return page.getByRole('button', { name, exact: true }).first();
}

/** Clicks a visible button or menu item of the form page, opening More first if that is where it is. */
async function action(page, name) {
  const visible = page.locator('button:visible, a:visible').filter({ hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
  if (await visible.count()) {
    await visible.first().click();
    return;
  }
  await page.locator('details.form-more > summary').first().click();
  await page.locator('.form-more-menu').getByRole('button', { name, exact: true }).or(page.locator('.form-more-menu').getByRole('link', { name, exact: true })).first().click();
}

/** Types a passphrase into the open passphrase box (twice when choosing one) and submits it. */
async function typePassphrase(page, pass = PASS) {
  const dialog = page.locator('#passphrase-dialog[open]');
  await dialog.waitFor();
  await dialog.locator('#passphrase').fill(pass);
  if (await dialog.locator('#passphrase-again').isVisible()) await dialog.locator('#passphrase-again').fill(pass);
  await dialog.locator('.passphrase-submit').click();
}

/** Keep in this browser: choose (or give) the passphrase, then wait for the first save. */
async function keep(page, pass = PASS) {
  await page.locator('.form-bar [data-action="keep"]:visible').click();
  await typePassphrase(page, pass);
  await page.locator('#passphrase-dialog').waitFor({ state: 'hidden', timeout: 30000 });
  await saved(page);
}

/** Waits until the bar says the latest answers are saved. */
async function saved(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('save-status');
    return /Saved in this browser at \d\d:\d\d/.test(s.textContent);
  }, null, { timeout: 30000 });
  // A change still waiting for its save shows the old time: wait for it too.
  await page.waitForFunction(() => !document.querySelector('.save-status.is-error'));
}

/** Unlocks the drafts when the page asks (opening a draft's page, or after Unlock). */
async function unlock(page, pass = PASS) {
  await typePassphrase(page, pass);
  await page.locator('#passphrase-dialog').waitFor({ state: 'hidden', timeout: 30000 });
}

/** Fills a memorable date's day, month and year boxes inside `scope` for field `id`. */
async function fillDate(scope, id, day, month, year) {
  const group = scope.locator(`[data-field="${id}"]`).first();
  await group.getByLabel('Day', { exact: true }).fill(String(day));
  await group.getByLabel('Month', { exact: true }).fill(String(month));
  await group.getByLabel('Year', { exact: true }).fill(String(year));
}

/** Downloads the answers (optionally encrypted with `pass`); returns the file name and its text. */
async function downloadAnswers(page, { encrypted = false, pass = PASS } = {}) {
  const waiting = page.waitForEvent('download', { timeout: 30000 });
  await action(page, encrypted ? 'Download encrypted answers' : 'Download answers');
  if (encrypted) await typePassphrase(page, pass);
  const download = await waiting;
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** Opens an answers file through the page's own menu and file input, and waits for what it says. */
async function openAnswers(page, name, contents, { pass = null, wait = true } = {}) {
  const dir = tempDir('handbook-answers-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, contents);
  await page.evaluate(() => { document.getElementById('form-status').textContent = ''; });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), action(page, 'Open answers file')]);
  await chooser.setFiles(file);
  if (pass !== null) await typePassphrase(page, pass);
  if (wait) await page.locator('#form-status:not(:empty)').waitFor({ timeout: 30000 });
}

/** ajv (draft 2020-12, with formats) compiled from the schema the site publishes for a form. */
function schemaValidator(site, formId) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(site, 'forms', `${formId}.schema.json`), 'utf8'));
  const check = ajv.compile(schema);
  return (value) => (check(value) ? [] : check.errors.map((e) => `${e.instancePath || '/'} ${e.message}`));
}

function assertValid(site, formId, file) {
  assert.deepEqual(schemaValidator(site, formId)(file), [], 'the answers file validates against its published JSON Schema (ajv)');
}

/** Every key and value in this context's localStorage, as one string, read from `page`. */
async function storedText(page) {
  return page.evaluate(() => Object.keys(localStorage).map((k) => k + '\n' + localStorage.getItem(k)).join('\n'));
}

module.exports = {
  PASS, button, action, typePassphrase, keep, saved, unlock, fillDate, downloadAnswers, openAnswers,
  schemaValidator, assertValid, storedText,
};
