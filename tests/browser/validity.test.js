// Valid HTML: the Nu HTML Checker (vnu.jar, run with Debian's Java) finds
// no errors in any page of the default handbook, nor in a page that uses
// every Markdown feature (callouts, footnotes, tables, task lists, raw HTML).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const vnuJar = require('vnu-jar');
const { buildSite, newHandbook, htmlFiles } = require('./lib');

const FEATURES = `+++
title = "Every Markdown feature"
description = "A page that uses everything the Markdown supports."
+++

## Callouts

> [!NOTE]
> A note with **bold** text.

> [!IMPORTANT]
> Something important.

> [!WARNING]
> A warning, with a [link](index.md#who-looks-after-it).

> An ordinary quotation.

## Tables and lists

| Level | Who leads | Notes |
| :---- | :-------: | ----: |
| 1 | Universal services | None |
| 2 | Any practitioner | See below[^who] |

- [x] Assessment agreed
- [ ] Meeting booked
  - nested item

1. First
2. Second

## Footnotes and text

Text with a footnote[^1], ~~struck~~ words, "smart quotes" -- and dashes.

Term
: Definition lists are not enabled, so this is a paragraph.

[^1]: The first footnote.
[^who]: Who leads depends on the family.

### Code

\`\`\`
plain code block
\`\`\`

Inline \`code\` and an image: ![A small picture](picture.svg)

<table>
  <caption>Pasted from Word</caption>
  <tr><th scope="col">Day</th><th scope="col">Time</th></tr>
  <tr><td>Monday</td><td>10am</td></tr>
</table>

## Notes

## Notes
`;

function vnu(files) {
  const r = spawnSync('java', ['-Xss8m', '-jar', vnuJar, '--errors-only', '--format', 'json', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  // vnu writes its JSON report to stderr.
  let report;
  try {
    report = JSON.parse(r.stderr);
  } catch (e) {
    throw new Error(`vnu did not report JSON (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
  return report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
}

function assertValid(site) {
  const files = htmlFiles(site).map((rel) => path.join(site, rel));
  assert.ok(files.length >= 20, `expected a full handbook, got ${files.length} pages`);
  const errors = vnu(files).map((m) => `${path.relative(site, new URL(m.url).pathname)}:${m.lastLine}:${m.firstColumn || m.lastColumn}: ${m.message}\n    ${m.extract || ''}`);
  assert.deepEqual(errors, [], `Nu HTML Checker errors:\n${errors.join('\n')}`);
}

test('every page of the default handbook is valid HTML', () => {
  assertValid(buildSite());
});

test('a page using every Markdown feature is valid HTML', () => {
  const root = newHandbook();
  fs.writeFileSync(path.join(root, 'content', 'about', 'features.md'), FEATURES);
  fs.writeFileSync(
    path.join(root, 'content', 'about', 'picture.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
  );
  const site = buildSite(root);
  assert.ok(fs.existsSync(path.join(site, 'about', 'features.html')));
  assertValid(site);
});
