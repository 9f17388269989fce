/* Forms: conditional questions, "Add another" rows, Check answers, drafts
   saved in this browser, answers files downloaded and opened again, Print.

   One classic script (no modules) so it runs from file://. Answers never
   leave the browser: there is no network call anywhere in this file, and
   text read from a file or a draft is only ever put into the page through
   .value and .textContent, never as HTML. */
(function () {
  'use strict';

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];

  function toArray(list) { return Array.prototype.slice.call(list); }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    return parseInt(m[3], 10) + ' ' + MONTHS[parseInt(m[2], 10) - 1] + ' ' + m[1];
  }

  /* "10:22 on 14 March 2025", in the reader's own time zone. */
  function formatTime(iso) {
    var d = new Date(iso);
    if (typeof iso !== 'string' || isNaN(d.getTime())) return 'an unknown time';
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' on ' + d.getDate() + ' ' + MONTHS[d.getMonth()] + ' ' + d.getFullYear();
  }

  function localDate(d) { return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

  function isEmpty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === 'string') return value.trim() === '';
    if (Array.isArray(value)) return value.length === 0;
    if (isObject(value)) return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    return false;
  }

  function start() {
    var form = document.querySelector('form.hb-form[data-form-id]');
    var status = document.getElementById('form-status');
    var summary = document.getElementById('error-summary');
    var fileInput = document.querySelector('.open-file');
    if (!form || !status || !summary || !fileInput) return;

    var formId = form.getAttribute('data-form-id');
    var version = form.getAttribute('data-version');
    var formTitle = form.getAttribute('data-title');
    var storageKey = 'handbook-form:' + formId + ':' + version;
    var pageTitle = document.title;

    /* ---------------------------------------------------- finding fields */

    function kindOf(group) { return group.getAttribute('data-kind'); }
    function idOf(group) { return group.getAttribute('data-field'); }

    /* Fields of the form itself, not those inside a repeat's rows. */
    function topGroups() {
      return toArray(form.querySelectorAll('[data-field]')).filter(function (g) {
        return !g.parentElement.closest('[data-field]');
      });
    }

    function rowsOf(repeat) {
      return toArray(repeat.querySelector('.repeat-rows').children).filter(function (r) {
        return r.classList.contains('repeat-row');
      });
    }

    function rowGroups(row) { return toArray(row.querySelectorAll('[data-field]')); }

    function controls(group) { return toArray(group.querySelectorAll('input, textarea, select')); }

    function itemName(repeat) {
      var item = repeat.getAttribute('data-item') || 'row';
      return item.charAt(0).toUpperCase() + item.slice(1);
    }

    /* The question's words, without "(optional)", for messages. */
    function labelOf(group) {
      var label = group.querySelector('legend, label, .repeat-title');
      if (!label) return idOf(group);
      var copy = label.cloneNode(true);
      toArray(copy.querySelectorAll('.optional, .scale-end')).forEach(function (e) { e.remove(); });
      return copy.textContent.replace(/\s+/g, ' ').trim();
    }

    /* ------------------------------------------------ reading and writing */

    function checkedValues(list) {
      return list.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    }

    function read(group) {
      var c = controls(group);
      switch (kindOf(group)) {
        case 'repeat':
          return rowsOf(group).map(readRow).filter(function (r) { return !isEmpty(r); });
        case 'number':
          return c[0].value === '' ? null : Number(c[0].value);
        case 'scale':
          var s = checkedValues(c);
          return s.length ? parseInt(s[0], 10) : null;
        case 'choice':
        case 'yesno':
          var v = checkedValues(c);
          return v.length ? v[0] : '';
        case 'choices':
        case 'outcomes':
          return checkedValues(c);
        case 'signature':
          return { name: c[0].value, date: c[1].value };
        default:
          return c[0].value;
      }
    }

    function readRow(row) {
      var out = {};
      rowGroups(row).forEach(function (g) {
        if (kindOf(g) !== 'guidance') out[idOf(g)] = read(g);
      });
      return out;
    }

    /* The values a show_if can look at. */
    function selectedValues(group) {
      var c = controls(group);
      if (kindOf(group) === 'select') return c[0].value ? [c[0].value] : [];
      return checkedValues(c.filter(function (x) { return x.type === 'radio' || x.type === 'checkbox'; }));
    }

    function clearGroup(group) {
      controls(group).forEach(function (c) {
        if (c.type === 'radio' || c.type === 'checkbox') c.checked = false;
        else c.value = '';
      });
    }

    function setChecked(list, values) {
      var known = list.map(function (c) { return c.value; });
      list.forEach(function (c) { c.checked = values.indexOf(c.value) >= 0; });
      return values.every(function (v) { return known.indexOf(v) >= 0; });
    }

    /* Puts a value from a file or a draft into a field. False when it does
       not fit (an answer the form no longer offers, the wrong type). */
    function write(group, value) {
      var c = controls(group);
      clearGroup(group);
      if (value === null || value === undefined || value === '') return true;
      switch (kindOf(group)) {
        case 'number':
          if (typeof value !== 'number' && !(typeof value === 'string' && !isNaN(Number(value)))) return false;
          c[0].value = String(value);
          return c[0].value !== '';
        case 'scale':
        case 'choice':
        case 'yesno':
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          return setChecked(c, [String(value)]);
        case 'choices':
        case 'outcomes':
          if (!Array.isArray(value)) return false;
          return setChecked(c, value.map(String));
        case 'signature':
          if (!isObject(value)) return false;
          c[0].value = typeof value.name === 'string' ? value.name : '';
          c[1].value = typeof value.date === 'string' ? value.date : '';
          return typeof value.name === 'string' && (!value.date || c[1].value === value.date);
        case 'select':
          if (typeof value !== 'string') return false;
          c[0].value = value;
          if (c[0].value !== value) { c[0].value = ''; return false; }
          return true;
        case 'date':
          if (typeof value !== 'string') return false;
          c[0].value = value;
          return c[0].value === value;
        default:
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          c[0].value = String(value);
          return true;
      }
    }

    function collect() {
      var answers = {};
      topGroups().forEach(function (g) {
        if (kindOf(g) !== 'guidance') answers[idOf(g)] = read(g);
      });
      return answers;
    }

    function answersFile() {
      return { form: formId, title: formTitle, version: version, saved: new Date().toISOString(), answers: collect() };
    }

    function hasAnswers() {
      var a = collect();
      return Object.keys(a).some(function (k) { return !isEmpty(a[k]); });
    }

    /* ------------------------------------------------------------ repeats */

    function renumber(repeat) {
      var rows = rowsOf(repeat);
      rows.forEach(function (row, i) {
        toArray(row.querySelectorAll('.row-number')).forEach(function (s) { s.textContent = String(i + 1); });
      });
      var min = parseInt(repeat.getAttribute('data-min'), 10) || 0;
      var max = parseInt(repeat.getAttribute('data-max'), 10) || 0;
      toArray(repeat.querySelectorAll('.repeat-remove')).forEach(function (b) { b.hidden = rows.length <= min; });
      var add = repeat.querySelector('.repeat-add');
      if (add) add.hidden = max > 0 && rows.length >= max;
    }

    var RENAMED = ['id', 'for', 'name', 'aria-describedby', 'aria-controls', 'aria-labelledby', 'data-reveal-for'];

    function addRow(repeat) {
      var template = repeat.querySelector('template.repeat-template');
      var n = parseInt(repeat.getAttribute('data-next'), 10) || 0;
      repeat.setAttribute('data-next', String(n + 1));
      var row = template.content.querySelector('.repeat-row').cloneNode(true);
      RENAMED.forEach(function (attr) {
        toArray(row.querySelectorAll('[' + attr + ']')).forEach(function (el) {
          el.setAttribute(attr, el.getAttribute(attr).split('__i__').join(String(n)));
        });
      });
      repeat.querySelector('.repeat-rows').appendChild(row);
      renumber(repeat);
      return row;
    }

    function setRowCount(repeat, count) {
      var rows = rowsOf(repeat);
      while (rows.length > count) rows.pop().remove();
      while (rowsOf(repeat).length < count) addRow(repeat);
      renumber(repeat);
    }

    function focusFirst(container) {
      var c = container.querySelector('input, textarea, select, button');
      if (c) c.focus();
    }

    /* ------------------------------------------- what depends on answers */

    function findGroup(scope, id) {
      var list = scope === form ? topGroups() : rowGroups(scope);
      for (var i = 0; i < list.length; i++) if (idOf(list[i]) === id) return list[i];
      return null;
    }

    function updateConditionals() {
      toArray(form.querySelectorAll('[data-show-if-field]')).forEach(function (g) {
        var scope = g.parentElement.closest('.repeat-row, .print-row') || form;
        var target = findGroup(scope, g.getAttribute('data-show-if-field'));
        var targetHidden = !!target && target.classList.contains('is-hidden');
        var values = target && !targetHidden ? selectedValues(target) : [];
        var met = values.indexOf(g.getAttribute('data-show-if-value')) >= 0;
        /* Pending: what it depends on is unanswered, so it still prints. */
        var pending = !met && (targetHidden ? target.classList.contains('is-pending') : values.length === 0);
        g.classList.toggle('is-hidden', !met);
        g.classList.toggle('is-pending', pending);
      });
    }

    function updateReveals() {
      toArray(form.querySelectorAll('[data-reveal-for]')).forEach(function (d) {
        var input = document.getElementById(d.getAttribute('data-reveal-for'));
        d.classList.toggle('is-collapsed', !(input && input.checked));
      });
    }

    function displayValue(control) {
      if (control.tagName === 'SELECT') {
        var o = control.options[control.selectedIndex];
        return control.value && o ? o.text : '';
      }
      if (control.type === 'date') return formatDate(control.value);
      return control.value;
    }

    /* Typed answers are copied into boxes that only print, so long text is
       printed whole rather than cut off inside a text box. */
    function updatePrint() {
      toArray(form.querySelectorAll('.print-answer')).forEach(function (box) {
        var control = box.previousElementSibling;
        if (!control || !/^(INPUT|TEXTAREA|SELECT)$/.test(control.tagName)) return;
        var text = displayValue(control);
        box.textContent = text;
        box.classList.toggle('is-filled', text.trim() !== '');
      });
      toArray(form.querySelectorAll('[data-field]')).forEach(function (g) {
        if (g.closest('.repeat-print-rows')) return;
        if (kindOf(g) === 'repeat') g.classList.toggle('has-answers', read(g).length > 0);
        else if (kindOf(g) !== 'guidance') g.classList.toggle('is-answered', !isEmpty(read(g)));
      });
    }

    function refresh() {
      updateConditionals();
      updateConditionals();
      updateReveals();
      updatePrint();
    }

    /* ----------------------------------------------------------- messages */

    function say(text, kind, items, focus) {
      status.textContent = '';
      status.className = 'form-status' + (kind ? ' is-' + kind : '');
      var p = document.createElement('p');
      p.textContent = text;
      status.appendChild(p);
      if (items && items.length) {
        var ul = document.createElement('ul');
        items.forEach(function (item) {
          var li = document.createElement('li');
          li.textContent = item;
          ul.appendChild(li);
        });
        status.appendChild(ul);
      }
      if (focus !== false) status.focus();
    }

    function clearErrors() {
      toArray(form.querySelectorAll('.form-group--error')).forEach(function (g) { g.classList.remove('form-group--error'); });
      toArray(form.querySelectorAll('.input--error')).forEach(function (c) { c.classList.remove('input--error'); });
      toArray(form.querySelectorAll('.error-message')).forEach(function (p) { p.textContent = ''; p.hidden = true; });
      summary.hidden = true;
      summary.querySelector('.error-summary-list').textContent = '';
      document.title = pageTitle;
    }

    function setError(group, message) {
      group.classList.add('form-group--error');
      var p = group.querySelector(':scope > .error-message, :scope > .fieldset > .error-message');
      if (p) {
        p.textContent = '';
        var hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = 'Error: ';
        p.appendChild(hidden);
        p.appendChild(document.createTextNode(message));
        p.hidden = false;
      }
      if (kindOf(group) !== 'repeat') {
        controls(group).forEach(function (c) {
          if (c.type !== 'radio' && c.type !== 'checkbox') c.classList.add('input--error');
        });
      }
    }

    /* ------------------------------------------------------ Check answers */

    var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

    function validate(group, prefix, errors) {
      if (group.classList.contains('is-hidden')) return;
      var kind = kindOf(group);
      if (kind === 'guidance') return;
      var message = null;
      var target = null;
      if (kind === 'repeat') {
        var min = parseInt(group.getAttribute('data-min'), 10) || 0;
        var filled = 0;
        rowsOf(group).forEach(function (row, i) {
          var empty = isEmpty(readRow(row));
          if (!empty) filled += 1;
          if (empty && i >= min) return;
          var rowPrefix = prefix + itemName(group) + ' ' + (i + 1) + ': ';
          rowGroups(row).forEach(function (g) { validate(g, rowPrefix, errors); });
        });
        if (group.hasAttribute('data-required') && filled === 0) {
          message = group.getAttribute('data-error-required');
          target = group.querySelector('.repeat-rows');
        }
      } else {
        var c = controls(group);
        var value = read(group);
        target = c[0];
        var bad = c.some(function (x) { return x.validity && x.validity.badInput; });
        var required = group.hasAttribute('data-required');
        if (bad) {
          message = group.getAttribute('data-error-invalid');
        } else if (required && (kind === 'signature' ? isEmpty(value.name) || isEmpty(value.date) : isEmpty(value))) {
          message = group.getAttribute('data-error-required');
        } else if (kind === 'email' && !isEmpty(value) && !EMAIL.test(value.trim())) {
          message = group.getAttribute('data-error-invalid');
        }
      }
      if (message) {
        setError(group, prefix + message);
        errors.push({ id: target.id, message: prefix + message });
      }
    }

    function check() {
      clearErrors();
      var errors = [];
      topGroups().forEach(function (g) { validate(g, '', errors); });
      if (!errors.length) {
        say('There are no problems with the answers. You can save a draft, download the answers or print the form.', 'success');
        return;
      }
      var list = summary.querySelector('.error-summary-list');
      errors.forEach(function (e) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = '#' + e.id;
        a.textContent = e.message;
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent = '';
      status.className = 'form-status';
      summary.hidden = false;
      document.title = 'Error: ' + pageTitle;
      summary.focus();
      summary.scrollIntoView();
    }

    /* An error link takes you to the field and shows its question too. */
    summary.addEventListener('click', function (event) {
      var a = event.target.closest('a[href^="#"]');
      if (!a) return;
      var target = document.getElementById(a.getAttribute('href').slice(1));
      if (!target) return;
      event.preventDefault();
      var group = target.closest('[data-field]');
      var question = group && group.querySelector('legend, label, .repeat-title');
      (question || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });

    /* ------------------------------------------ drafts and answers files */

    function resetAll() {
      topGroups().forEach(function (g) {
        if (kindOf(g) === 'repeat') {
          setRowCount(g, 0);
          setRowCount(g, parseInt(g.getAttribute('data-initial'), 10) || 0);
        } else {
          clearGroup(g);
        }
      });
    }

    function describe(value) {
      var text;
      if (typeof value === 'string') text = value;
      else if (Array.isArray(value) && value.every(function (v) { return typeof v === 'string'; })) text = value.join(', ');
      else text = JSON.stringify(value);
      return text.length > 200 ? text.slice(0, 200) + '\u2026' : text;
    }

    /* Fills the form from answers by field id. Returns what found no place. */
    function restore(answers) {
      resetAll();
      var unplaced = [];
      var groups = {};
      topGroups().forEach(function (g) { if (kindOf(g) !== 'guidance') groups[idOf(g)] = g; });
      Object.keys(answers).forEach(function (id) {
        var value = answers[id];
        var group = has(groups, id) ? groups[id] : null;
        if (!group) {
          if (!isEmpty(value)) unplaced.push(id + ': ' + describe(value));
        } else if (kindOf(group) === 'repeat') {
          restoreRows(group, value, unplaced);
        } else if (!write(group, value)) {
          unplaced.push(labelOf(group) + ': ' + describe(value));
        }
      });
      toArray(form.querySelectorAll('.repeat')).forEach(renumber);
      refresh();
      return unplaced;
    }

    function restoreRows(repeat, value, unplaced) {
      var name = itemName(repeat);
      if (!Array.isArray(value)) {
        if (!isEmpty(value)) unplaced.push(labelOf(repeat) + ': ' + describe(value));
        return;
      }
      var min = parseInt(repeat.getAttribute('data-min'), 10) || 0;
      var max = parseInt(repeat.getAttribute('data-max'), 10) || Infinity;
      setRowCount(repeat, Math.min(Math.max(value.length, min), max));
      var rows = rowsOf(repeat);
      value.forEach(function (rowValue, i) {
        var where = name + ' ' + (i + 1);
        var row = rows[i];
        if (!row || !isObject(rowValue)) {
          if (!isEmpty(rowValue)) unplaced.push(where + ': ' + describe(rowValue));
          return;
        }
        Object.keys(rowValue).forEach(function (id) {
          var group = findGroup(row, id);
          if (!group || kindOf(group) === 'guidance') {
            if (!isEmpty(rowValue[id])) unplaced.push(where + ', ' + id + ': ' + describe(rowValue[id]));
          } else if (!write(group, rowValue[id])) {
            unplaced.push(where + ', ' + labelOf(group) + ': ' + describe(rowValue[id]));
          }
        });
      });
    }

    function saveDraft() {
      var file = answersFile();
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(file));
      } catch (e) {
        say('This browser would not let us save a draft (it may be in private mode or full). Download your answers instead to keep them.', 'error');
        return;
      }
      say('Draft saved in this browser at ' + formatTime(file.saved) + '. Drafts are kept only in this browser on this device and are not sent anywhere. Anyone using this browser could open it, so clear the form when you finish on a shared computer.', 'success');
    }

    function clearForm() {
      if (!window.confirm('Clear every answer in this form and delete the draft saved in this browser? This cannot be undone.')) return;
      resetAll();
      clearErrors();
      toArray(form.querySelectorAll('.repeat')).forEach(renumber);
      refresh();
      try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing saved */ }
      say('The form has been cleared and the draft saved in this browser has been deleted.', 'success');
    }

    function download() {
      var file = answersFile();
      var name = formId + '-' + localDate(new Date()) + '.json';
      var blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
      var url = URL.createObjectURL(blob);
      var a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      say('Your answers were downloaded as ' + name + '. The file holds personal information: keep it somewhere safe and delete it when it is no longer needed. To carry on later, use Open answers file on this page.', 'success');
    }

    function openText(text, fileName) {
      var file = null;
      try { file = JSON.parse(text); } catch (e) { file = null; }
      if (!isObject(file) || typeof file.form !== 'string' || !isObject(file.answers)) {
        say('\u201c' + fileName + '\u201d could not be opened: it is not an answers file saved from a form in this handbook, or it has been damaged. Nothing in the form has been changed.', 'error');
        return;
      }
      if (file.form !== formId) {
        var other = typeof file.title === 'string' && file.title ? file.title : file.form;
        say('\u201c' + fileName + '\u201d holds answers to a different form (' + other + '), not to ' + formTitle + '. Open it from that form\u2019s page. Nothing in this form has been changed.', 'error');
        return;
      }
      if (hasAnswers() && !window.confirm('Opening this file replaces the answers now in the form. Continue?')) return;
      clearErrors();
      var unplaced = restore(file.answers);
      var saved = typeof file.saved === 'string' ? ' (saved at ' + formatTime(file.saved) + ')' : '';
      var fileVersion = typeof file.version === 'string' || typeof file.version === 'number' ? String(file.version) : 'unknown';
      var message;
      if (fileVersion !== version) {
        message = 'We opened \u201c' + fileName + '\u201d' + saved + '. It was saved from version ' + fileVersion + ' of this form and this is version ' + version + ', so we filled in every answer whose question is still on the form.';
        message += unplaced.length
          ? ' These answers could not be placed because their questions have changed or been removed; copy anything you still need:'
          : ' Every answer found its place.';
      } else {
        message = 'We opened \u201c' + fileName + '\u201d' + saved + ' and filled in its answers.';
        if (unplaced.length) message += ' These answers could not be placed:';
      }
      say(message, unplaced.length ? 'warning' : 'success', unplaced);
    }

    fileInput.addEventListener('change', function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        fileInput.value = '';
        openText(String(reader.result), file.name);
      };
      reader.onerror = function () {
        fileInput.value = '';
        say('\u201c' + file.name + '\u201d could not be read. Nothing in the form has been changed.', 'error');
      };
      reader.readAsText(file);
    });

    /* ------------------------------------------------------------- wiring */

    document.addEventListener('click', function (event) {
      var button = event.target.closest('[data-action]');
      if (!button) return;
      var action = button.getAttribute('data-action');
      if (action === 'check') check();
      else if (action === 'save') saveDraft();
      else if (action === 'download') download();
      else if (action === 'open') fileInput.click();
      else if (action === 'print') window.print();
      else if (action === 'clear') clearForm();
      else if (action === 'add-row') {
        var repeat = button.closest('.repeat');
        var row = addRow(repeat);
        refresh();
        focusFirst(row);
      } else if (action === 'remove-row') {
        var group = button.closest('.repeat');
        var current = button.closest('.repeat-row');
        var index = rowsOf(group).indexOf(current);
        current.remove();
        renumber(group);
        refresh();
        var rows = rowsOf(group);
        var next = rows[index] || rows[index - 1];
        if (next) focusFirst(next);
        else group.querySelector('.repeat-add').focus();
      }
    });

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      check();
    });
    form.addEventListener('input', refresh);
    form.addEventListener('change', refresh);
    window.addEventListener('beforeprint', refresh);

    toArray(form.querySelectorAll('.repeat')).forEach(renumber);
    var draft = null;
    try { draft = JSON.parse(window.localStorage.getItem(storageKey) || 'null'); } catch (e) { draft = null; }
    if (isObject(draft) && draft.form === formId && isObject(draft.answers)) {
      var unplaced = restore(draft.answers);
      say('We restored the draft you saved in this browser at ' + formatTime(draft.saved) + '. To start again, use Clear form.',
        'info', unplaced, false);
    } else {
      refresh();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
