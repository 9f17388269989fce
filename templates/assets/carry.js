/* "Start from an earlier form": fills a form that continues others (the
   review continues the assessment; the closure continues both) from an
   answers file of one of them.

   Which answers go where was worked out when the site was built (the
   `carry-plan` data block: each earlier form's fields and repeat columns,
   by id in that form and in this one, and the labels of those that carry
   nowhere). This file renames the file's answers to this form's ids, then
   hands them to forms.js, which reads the file the way Open answers file
   does (size, depth, decryption), checks every answer against this form's
   schema, and fills the questions in without touching the others. Answers
   already typed are never replaced without asking first.

   One classic script (no modules) so it runs from file://; no network
   call; text from the file reaches the page only through .value and
   .textContent (in forms.js). Every word comes from the page (the hb-text
   block for "carry"). */
(function () {
  'use strict';

  function data(selector) { var el = document.querySelector(selector); return el ? JSON.parse(el.textContent) : null; }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function blank(v) {
    return v === null || v === undefined || v === '' || (Array.isArray(v) && v.every(blank))
      || (isObject(v) && Object.keys(v).every(function (k) { return blank(v[k]); }));
  }

  /* The file's answers under this form's ids, and the earlier questions
     whose answers go nowhere. */
  function rename(from, answers) {
    var out = {};
    var skipped = [];
    Object.keys(answers).forEach(function (id) {
      var value = answers[id];
      if (blank(value)) return;
      if (has(from.fields, id)) {
        out[from.fields[id]] = value;
      } else if (has(from.rows, id) && Array.isArray(value)) {
        var row = from.rows[id];
        var missed = {};
        out[row.to] = value.map(function (cells) {
          var moved = {};
          if (!isObject(cells)) return moved;
          Object.keys(cells).forEach(function (col) {
            if (has(row.columns, col)) moved[row.columns[col]] = cells[col];
            /* A column with no label is a row id the page made: nothing to copy by hand. */
            else if (!blank(cells[col]) && row.skipped[col] !== '') missed[has(row.skipped, col) ? row.skipped[col] : col] = true;
          });
          return moved;
        }).filter(function (cells) { return !blank(cells); });
        Object.keys(missed).forEach(function (label) { skipped.push(label); });
      } else {
        skipped.push(has(from.skipped, id) ? from.skipped[id] : id);
      }
    });
    return { answers: out, skipped: skipped };
  }

  function start() {
    var F = window.HandbookForm;
    var plan = data('#carry-plan');
    var W = data('script.hb-text[data-for="carry"]') || {};
    var input = document.querySelector('.carry-file');
    if (!F || !plan || !input) return;

    function titles() { return plan.forms.map(function (f) { return f.title; }).join(W.or || ' or '); }

    function carry(file, fileName) {
      var from = plan.forms.filter(function (f) { return f.id === file.form; })[0];
      if (!from) {
        var other = typeof file.title === 'string' && file.title ? file.title : String(file.form);
        F.say(F.fill(W.other_form, { name: fileName, other: F.describe(other), expected: titles() }), 'error');
        return;
      }
      var renamed = rename(from, isObject(file.answers) ? file.answers : {});
      var p = F.plan(renamed.answers);
      var notCarried = renamed.skipped.concat(p.unplaced);
      if (!p.steps.length) {
        F.say(F.fill(W.none, { name: fileName, title: from.title }), 'warning',
          [{ heading: W.not_carried_heading, items: notCarried }]);
        return;
      }
      var taken = F.taken(p);
      if (taken.length && !window.confirm(F.fill(W.confirm, { questions: taken.join(', ') }))) {
        F.say(W.cancelled, 'info');
        return;
      }
      var changes = F.put(p, file.label);
      var carried = p.steps.map(function (step) {
        if (!step.repeat) return step.where;
        var n = step.rows.length;
        return F.fill(W.rows, { question: F.labelOf(step.repeat), count: n }, n);
      });
      var saved = typeof file.saved === 'string' ? F.fill(W.saved_at, { time: F.formatTime(file.saved) }) : '';
      F.say(F.fill(W.carried, { name: fileName, title: from.title, saved: saved }), notCarried.length || changes.length ? 'warning' : 'success', [
        { heading: W.carried_heading, items: carried },
        { heading: W.not_carried_heading, items: notCarried },
        { heading: W.changed_heading, items: changes },
      ]);
    }

    /* Drafts saved in this browser (encrypted: the passphrase is asked for
       if the drafts are locked) of the forms this one carries on from,
       offered as a list of buttons; the one chosen is carried like a file. */
    var D = window.HandbookDrafts;
    var draftButton = document.querySelector('[data-action="carry-draft"]');
    var box = document.getElementById('carry-drafts');
    function formOf(file) { return plan.forms.filter(function (f) { return file && f.id === file.form; })[0]; }
    function hasDrafts() {
      try { return D.list().length > 0; } catch (e) { return false; }
    }
    function showDrafts() {
      D.ensureOpen().then(function (ok) {
        if (!ok) return null;
        return D.openAll().then(function (all) {
          var mine = F.draftId ? F.draftId() : null;
          var usable = all.filter(function (d) { return d.draft && d.id !== mine && formOf(d.draft.file); });
          var list = box.querySelector('ul');
          list.textContent = '';
          if (!usable.length) {
            box.hidden = true;
            F.say(F.fill(W.no_drafts, { expected: titles() }), 'info');
            return null;
          }
          usable.forEach(function (d) {
            var label = d.draft.label || W.draft_unnamed;
            var item = document.createElement('li');
            var choose = document.createElement('button');
            choose.type = 'button';
            choose.className = 'button button-secondary carry-draft-choice';
            choose.textContent = F.fill(W.draft_choice, { label: label, title: formOf(d.draft.file).title, time: F.formatTime(d.saved || '') });
            choose.addEventListener('click', function () {
              box.hidden = true;
              carry(d.draft.file, label);
            });
            item.appendChild(choose);
            list.appendChild(item);
          });
          box.hidden = false;
          list.querySelector('button').focus();
          return null;
        });
      }).catch(function () { F.say(W.drafts_failed, 'error'); });
    }
    if (D && draftButton && box && hasDrafts()) draftButton.hidden = false;

    input.addEventListener('change', function () { F.pickFile(input, carry); });
    document.addEventListener('click', function (event) {
      if (event.target.closest('[data-action="carry"]')) input.click();
      else if (D && box && event.target.closest('[data-action="carry-draft"]')) showDrafts();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
