/* Forms: conditional questions, "Add another" rows (with Undo on Remove),
   memorable dates, Check answers, Print, and the form page's save bar:
   autosave to an encrypted draft, the family's name, answers files.

   Keeping answers outside the page (storage, encryption, files, checking
   files against the form's schema) is drafts.js's job; this file only
   reads and fills the fields and says what happened.

   One classic script (no modules) so it runs from file://. Answers never
   leave the browser: there is no network call anywhere in this file, and
   text read from a file or a draft is only ever put into the page through
   .value and .textContent, never as HTML. Every word it shows comes from
   the page (the hb-text block for "forms"). */
(function () {
  'use strict';

  function words(name) { var el = document.querySelector('script.hb-text[data-for="' + name + '"]'); return el ? JSON.parse(el.textContent) : {}; }
  var W = words('forms');
  var MONTHS = W.months || [];

  function toArray(list) { return Array.prototype.slice.call(list); }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* "{name}" placeholders; a plural entry is an object of categories. */
  function fill(text, values, count) {
    if (isObject(text)) {
      var category = 'other';
      try { category = new Intl.PluralRules(document.documentElement.lang || 'en').select(count); } catch (e) { /* default */ }
      text = has(text, category) ? text[category] : text.other;
    }
    return String(text === undefined ? '' : text).replace(/\{(\w+)\}/g, function (m, k) {
      return values && has(values, k) ? String(values[k]) : m;
    });
  }

  function dateWords(day, month, year) {
    return fill(W.date, { day: day, month: MONTHS[month - 1] || month, year: year });
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    return dateWords(parseInt(m[3], 10), parseInt(m[2], 10), m[1]);
  }

  function clock(d) { return fill(W.clock, { hours: pad(d.getHours()), minutes: pad(d.getMinutes()) }); }

  /* "10:22 on 14 March 2025", in the reader's own time zone. */
  function formatTime(value) {
    var d = value instanceof Date ? value : new Date(value);
    if (!(value instanceof Date) && typeof value !== 'string') return W.unknown_time;
    if (isNaN(d.getTime())) return W.unknown_time;
    return fill(W.time_on_date, { time: clock(d), date: dateWords(d.getDate(), d.getMonth() + 1, d.getFullYear()) });
  }

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
    var D = window.HandbookDrafts;

    var formId = form.getAttribute('data-form-id');
    var version = form.getAttribute('data-version');
    var formTitle = form.getAttribute('data-title');
    var pageTitle = document.title;
    var schemaEl = document.getElementById('answers-schema');
    var schema = schemaEl ? JSON.parse(schemaEl.textContent) : null;
    var labelInput = document.getElementById('family-label');
    var saveStatus = document.getElementById('save-status');

    /* ---------------------------------------------------- finding fields */

    function kindOf(group) { return group.getAttribute('data-kind'); }
    function idOf(group) { return group.getAttribute('data-field'); }
    function isMemorable(group) { return group.hasAttribute('data-memorable'); }

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
      var item = repeat.getAttribute('data-item') || W.row || '';
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

    /* Day, month and year boxes: a real date, nothing, or something partial. */
    function memorable(group) {
      var c = controls(group);
      var raw = c.map(function (x) { return x.value.trim(); });
      if (raw.every(function (v) { return v === ''; })) return { value: '', partial: false, raw: raw };
      var ok = /^\d{1,2}$/.test(raw[0]) && /^\d{1,2}$/.test(raw[1]) && /^\d{4}$/.test(raw[2]);
      var iso = ok ? raw[2] + '-' + pad(parseInt(raw[1], 10)) + '-' + pad(parseInt(raw[0], 10)) : '';
      if (ok && D.formats.date(iso)) return { value: iso, partial: false, raw: raw };
      return { value: '', partial: true, raw: raw };
    }

    function read(group) {
      var c = controls(group);
      switch (kindOf(group)) {
        case 'repeat':
          return rowsOf(group).filter(rowAnswered).map(readRow);
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
        case 'date':
          return isMemorable(group) ? memorable(group).value : c[0].value;
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

    /* Whether a row holds an answer: its id alone (made by the page) is none,
       so a row left empty is still dropped from the answers file. */
    function rowAnswered(row) {
      return rowGroups(row).some(function (g) {
        var k = kindOf(g);
        return k !== 'guidance' && k !== 'rowid' && !isEmpty(read(g));
      });
    }

    /* Whether a row has anything in it, partial dates included. */
    function rowFilled(row) {
      return rowAnswered(row) || rowGroups(row).some(function (g) { return isMemorable(g) && memorable(g).partial; });
    }

    /* The values a show_if can look at. */
    function selectedValues(group) {
      var c = controls(group);
      if (kindOf(group) === 'select') return c[0].value ? [c[0].value] : [];
      return checkedValues(c.filter(function (x) { return x.type === 'radio' || x.type === 'checkbox'; }));
    }

    function clearGroup(group) {
      if (kindOf(group) === 'person') controls(group)[0].setAttribute('data-value', '');
      controls(group).forEach(function (c) {
        if (c.type === 'radio' || c.type === 'checkbox') c.checked = false;
        else c.value = '';
      });
    }

    function setChecked(list, values) {
      list.forEach(function (c) { c.checked = values.indexOf(c.value) >= 0; });
    }

    /* Puts a value already checked against the form's schema into a field. */
    function write(group, value) {
      var c = controls(group);
      clearGroup(group);
      if (value === null || value === undefined || value === '') return;
      switch (kindOf(group)) {
        case 'scale':
        case 'choice':
        case 'yesno':
          setChecked(c, [String(value)]);
          break;
        case 'choices':
        case 'outcomes':
          setChecked(c, value.map(String));
          break;
        case 'signature':
          c[0].value = oneLine(value.name);
          c[1].value = value.date;
          break;
        case 'person':
          /* The row it names may not have its id yet: the list is made
             again (choosing this) once every row is in (updatePeople). */
          c[0].setAttribute('data-value', String(value));
          c[0].value = String(value);
          break;
        case 'date':
          if (isMemorable(group)) {
            var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
            c[0].value = String(parseInt(m[3], 10));
            c[1].value = String(parseInt(m[2], 10));
            c[2].value = m[1];
          } else {
            c[0].value = value;
          }
          break;
        default:
          c[0].value = c[0].tagName === 'INPUT' ? oneLine(String(value)) : String(value);
      }
    }

    function oneLine(text) { return text.replace(/\r\n|\r|\n/g, ' '); }

    function collect() {
      var answers = {};
      topGroups().forEach(function (g) {
        if (kindOf(g) !== 'guidance') answers[idOf(g)] = read(g);
      });
      return answers;
    }

    /* Day, month and year boxes that do not make a date yet, by place
       ("member_dob" or "household_members/0/member_dob"), so a draft keeps
       them though an answers file cannot. */
    function collectRaw() {
      var raw = {};
      topGroups().forEach(function (g) {
        if (kindOf(g) === 'repeat') {
          rowsOf(g).forEach(function (row, i) {
            rowGroups(row).forEach(function (sub) {
              if (isMemorable(sub) && memorable(sub).partial) raw[idOf(g) + '/' + i + '/' + idOf(sub)] = memorable(sub).raw;
            });
          });
        } else if (isMemorable(g) && memorable(g).partial) {
          raw[idOf(g)] = memorable(g).raw;
        }
      });
      return raw;
    }

    function restoreRaw(raw) {
      Object.keys(raw || {}).forEach(function (place) {
        var parts = place.split('/');
        var group = findGroup(form, parts[0]);
        if (group && parts.length === 3 && kindOf(group) === 'repeat') {
          var row = rowsOf(group)[parseInt(parts[1], 10)];
          group = row ? findGroup(row, parts[2]) : null;
        } else if (parts.length !== 1) {
          group = null;
        }
        var value = raw[place];
        if (!group || !isMemorable(group) || !Array.isArray(value) || value.length !== 3) return;
        controls(group).forEach(function (c, i) { c.value = typeof value[i] === 'string' ? value[i].slice(0, 4) : ''; });
      });
    }

    function familyLabel() { return labelInput ? labelInput.value.trim() : ''; }

    function answersFile() {
      var file = { form: formId, title: formTitle, version: version, saved: new Date().toISOString() };
      if (familyLabel()) file.label = familyLabel();
      file.answers = collect();
      return file;
    }

    function hasAnswers() {
      var a = collect();
      return Object.keys(a).some(function (k) { return !isEmpty(a[k]); }) || Object.keys(collectRaw()).length > 0;
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

    /* A filled row that is removed can be put back: the notice after the
       rows keeps it, with its answers, until Undo or the next change of rows. */
    var removed = new WeakMap();

    function dropUndo(repeat) {
      var old = repeat.querySelector('.repeat-undo');
      if (old) old.remove();
    }

    function offerUndo(repeat, row, index) {
      dropUndo(repeat);
      var values = { item: itemName(repeat), item_lower: repeat.getAttribute('data-item') || '', number: index + 1 };
      var notice = document.createElement('div');
      notice.className = 'repeat-undo';
      notice.setAttribute('role', 'status');
      var p = document.createElement('p');
      p.textContent = fill(W.row_removed, values) + ' ';
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'button button-secondary button-small';
      b.setAttribute('data-action', 'undo-remove');
      b.textContent = W.undo;
      var hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = fill(W.undo_hidden, values);
      b.appendChild(hidden);
      p.appendChild(b);
      notice.appendChild(p);
      removed.set(notice, { row: row, index: index });
      repeat.querySelector('.repeat-rows').after(notice);
      b.focus();
    }

    function undoRemove(notice) {
      var repeat = notice.closest('.repeat');
      var kept = removed.get(notice);
      notice.remove();
      if (!kept) return;
      var rows = rowsOf(repeat);
      var max = parseInt(repeat.getAttribute('data-max'), 10) || 0;
      if (max > 0 && rows.length >= max) {
        say(fill(W.undo_full, { item: repeat.getAttribute('data-item') || '', max: max }), 'warning');
        return;
      }
      var container = repeat.querySelector('.repeat-rows');
      container.insertBefore(kept.row, rows[kept.index] || null);
      renumber(repeat);
      refresh();
      changed();
      focusFirst(kept.row);
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
      var labelBox = labelInput && labelInput.nextElementSibling;
      if (labelBox && labelBox.classList.contains('print-answer')) {
        labelBox.textContent = familyLabel();
        labelBox.classList.toggle('is-filled', familyLabel() !== '');
      }
      toArray(form.querySelectorAll('.print-answer')).forEach(function (box) {
        var control = box.previousElementSibling;
        var text;
        if (control && control.classList.contains('date-input')) {
          var m = memorable(control.closest('[data-field]'));
          text = m.partial ? m.raw.join(' / ') : formatDate(m.value);
        } else if (control && /^(INPUT|TEXTAREA|SELECT)$/.test(control.tagName)) {
          text = displayValue(control);
        } else {
          return;
        }
        box.textContent = text;
        box.classList.toggle('is-filled', text.trim() !== '');
      });
      toArray(form.querySelectorAll('[data-field]')).forEach(function (g) {
        if (g.closest('.repeat-print-rows')) return;
        if (kindOf(g) === 'repeat') g.classList.toggle('has-answers', read(g).length > 0);
        else if (kindOf(g) !== 'guidance') g.classList.toggle('is-answered', !isEmpty(read(g)));
      });
    }

    /* ------------------------------------------ row ids and person lists */

    /* A short random id, unique among the rows it is made for. */
    function newId(taken) {
      var id;
      do {
        var bytes = new Uint8Array(6);
        window.crypto.getRandomValues(bytes);
        id = 'p' + toArray(bytes).map(function (b) { return (b % 36).toString(36); }).join('');
      } while (taken[id]);
      taken[id] = true;
      return id;
    }

    function liveRepeats() {
      return topGroups().filter(function (g) { return kindOf(g) === 'repeat'; });
    }

    function rowIdGroup(row) {
      return rowGroups(row).filter(function (g) { return kindOf(g) === 'rowid'; })[0] || null;
    }

    /* Every row gets its id once, when it first appears (added, opened from
       a file without one, or on the page at the start), and keeps it. */
    function ensureIds() {
      liveRepeats().forEach(function (repeat) {
        var rows = rowsOf(repeat);
        var taken = {};
        var inputs = rows.map(function (row) { var g = rowIdGroup(row); return g ? controls(g)[0] : null; });
        inputs.forEach(function (input) {
          if (!input) return;
          if (input.value && !taken[input.value]) taken[input.value] = true;
          else input.value = '';
        });
        inputs.forEach(function (input) { if (input && !input.value) input.value = newId(taken); });
      });
    }

    /* Each person list offers the other rows of its repeat by name (as
       typed so far), and keeps its choice while names change and rows come
       and go (a row removed and put back with Undo is chosen again). */
    function updatePeople() {
      liveRepeats().forEach(function (repeat) {
        var rows = rowsOf(repeat);
        var people = rows.map(function (row, i) {
          var g = rowIdGroup(row);
          return { row: row, id: g ? controls(g)[0].value : '', number: i + 1 };
        });
        rows.forEach(function (row) {
          rowGroups(row).forEach(function (g) {
            if (kindOf(g) !== 'person') return;
            var names = g.getAttribute('data-names');
            var select = controls(g)[0];
            var wanted = select.getAttribute('data-value') || '';
            var list = people.filter(function (p) { return p.row !== row && p.id; }).map(function (p) {
              var nameGroup = names ? findGroup(p.row, names) : null;
              var name = nameGroup ? String(read(nameGroup)).trim() : '';
              return { id: p.id, text: name || fill(W.unnamed_row, { item: itemName(repeat), number: p.number }) };
            });
            var key = JSON.stringify(list);
            if (select.getAttribute('data-options') !== key) {
              while (select.options.length > 1) select.remove(1);
              list.forEach(function (p) {
                var o = document.createElement('option');
                o.value = p.id;
                o.textContent = p.text;
                select.appendChild(o);
              });
              select.setAttribute('data-options', key);
            }
            select.value = list.some(function (p) { return p.id === wanted; }) ? wanted : '';
          });
        });
      });
    }

    var listeners = [];

    function refresh() {
      ensureIds();
      updatePeople();
      updateConditionals();
      updateConditionals();
      updateReveals();
      updatePrint();
      listeners.forEach(function (fn) { fn(); });
    }

    /* ----------------------------------------------------------- messages */

    /* A message above the form. `lists` are { heading, items } shown after it. */
    function say(text, kind, lists, focus) {
      status.textContent = '';
      status.className = 'form-status' + (kind ? ' is-' + kind : '');
      var p = document.createElement('p');
      p.textContent = text;
      status.appendChild(p);
      (lists || []).forEach(function (list) {
        if (!list.items.length) return;
        if (list.heading) {
          var h = document.createElement('p');
          h.textContent = list.heading;
          status.appendChild(h);
        }
        var ul = document.createElement('ul');
        var shown = list.items.slice(0, 100);
        shown.forEach(function (item) {
          var li = document.createElement('li');
          li.textContent = item;
          ul.appendChild(li);
        });
        status.appendChild(ul);
        if (list.items.length > shown.length) {
          var more = document.createElement('p');
          more.textContent = fill(W.and_more, { count: list.items.length - shown.length }, list.items.length - shown.length);
          status.appendChild(more);
        }
      });
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
        hidden.textContent = W.error_prefix;
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
          var empty = !rowFilled(row);
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
        var bad = c.some(function (x) { return x.validity && x.validity.badInput; }) || (isMemorable(group) && memorable(group).partial);
        var required = group.hasAttribute('data-required');
        if (bad) {
          message = group.getAttribute('data-error-invalid');
        } else if (required && (kind === 'signature' ? isEmpty(value.name) || isEmpty(value.date) : isEmpty(value))) {
          message = group.getAttribute('data-error-required');
        } else if (kind === 'email' && !isEmpty(value) && !D.formats.email(value.trim())) {
          message = group.getAttribute('data-error-invalid');
        }
      }
      if (message) {
        setError(group, prefix + message);
        errors.push({ id: target.id, message: prefix + message });
      }
    }

    function showSummary(errors) {
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
      document.title = fill(W.title_error, { title: pageTitle });
      summary.focus();
      summary.scrollIntoView();
    }

    function check() {
      clearErrors();
      var errors = [];
      topGroups().forEach(function (g) { validate(g, '', errors); });
      if (!errors.length) {
        say(W.check_ok, 'success');
        return;
      }
      showSummary(errors);
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

    /* ------------------------------------- filling the form from answers */

    function resetAll() {
      topGroups().forEach(function (g) {
        if (kindOf(g) === 'repeat') {
          dropUndo(g);
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

    function answerSchema(id) {
      var a = schema && schema.properties && schema.properties.answers;
      return a && a.properties && has(a.properties, id) ? a.properties[id] : null;
    }

    function fits(sub, value) { return !!sub && D.validate(sub, value).length === 0; }

    /* Works out where every answer goes, checking each against the form's
       schema, before anything on the page changes. Answers that do not fit
       are listed with the question they were for. */
    function plan(answers) {
      var steps = [];
      var unplaced = [];
      var groups = {};
      topGroups().forEach(function (g) { if (kindOf(g) !== 'guidance') groups[idOf(g)] = g; });
      Object.keys(answers).forEach(function (id) {
        var value = answers[id];
        var group = has(groups, id) ? groups[id] : null;
        if (!group) {
          if (!isEmpty(value)) unplaced.push(id + ': ' + describe(value));
        } else if (kindOf(group) === 'repeat') {
          planRows(group, value, steps, unplaced);
        } else if (fits(answerSchema(id), value)) {
          steps.push({ group: group, value: value, where: labelOf(group) });
        } else {
          unplaced.push(labelOf(group) + ': ' + describe(value));
        }
      });
      return { steps: steps, unplaced: unplaced };
    }

    function planRows(repeat, value, steps, unplaced) {
      var name = itemName(repeat);
      if (!Array.isArray(value)) {
        if (!isEmpty(value)) unplaced.push(labelOf(repeat) + ': ' + describe(value));
        return;
      }
      var rowSchema = (answerSchema(idOf(repeat)) || {}).items || {};
      var subSchemas = rowSchema.properties || {};
      var max = parseInt(repeat.getAttribute('data-max'), 10) || Infinity;
      var template = repeat.querySelector('template.repeat-template').content.querySelector('.repeat-row');
      var rows = [];
      value.forEach(function (rowValue, i) {
        var where = name + ' ' + (i + 1);
        if (!isObject(rowValue) || rows.length >= max) {
          if (!isEmpty(rowValue)) unplaced.push(where + ': ' + describe(rowValue));
          return;
        }
        var cells = [];
        Object.keys(rowValue).forEach(function (id) {
          var sub = findGroup(template, id);
          var v = rowValue[id];
          if (!sub || kindOf(sub) === 'guidance') {
            if (!isEmpty(v)) unplaced.push(where + ', ' + id + ': ' + describe(v));
          } else if (fits(has(subSchemas, id) ? subSchemas[id] : null, v)) {
            cells.push({ id: id, value: v, label: labelOf(sub) });
          } else {
            unplaced.push(where + ', ' + labelOf(sub) + ': ' + describe(v));
          }
        });
        rows.push({ where: where, cells: cells });
      });
      steps.push({ repeat: repeat, rows: rows });
    }

    /* Fills the form from a plan. Returns the answers that had to change
       to fit (line breaks in a one-line box, say). */
    function apply(p, keepOthers) {
      if (!keepOthers) resetAll();
      var changes = [];
      function put(group, value, where) {
        write(group, value);
        if (kindOf(group) === 'person') return;
        var now = read(group);
        if (JSON.stringify(now) === JSON.stringify(value)) return;
        var text = kindOf(group) === 'signature' ? value.name : value;
        if (typeof text === 'string' && /[\r\n]/.test(text) && JSON.stringify(now).indexOf('\\n') < 0) {
          changes.push(fill(W.changed_newlines, { question: where }));
        } else {
          changes.push(fill(W.changed_other, { question: where, value: describe(now) }));
        }
      }
      p.steps.forEach(function (step) {
        if (step.repeat) {
          var min = parseInt(step.repeat.getAttribute('data-min'), 10) || 0;
          setRowCount(step.repeat, Math.max(step.rows.length, min));
          var rows = rowsOf(step.repeat);
          step.rows.forEach(function (r, i) {
            r.cells.forEach(function (cell) { put(findGroup(rows[i], cell.id), cell.value, r.where + ', ' + cell.label); });
          });
        } else {
          put(step.group, step.value, step.where);
        }
      });
      toArray(form.querySelectorAll('.repeat')).forEach(renumber);
      refresh();
      return changes;
    }

    function reportLists(unplaced, changes, unplacedHeading) {
      return [
        { heading: unplacedHeading === undefined ? W.unplaced_heading : unplacedHeading, items: unplaced },
        { heading: W.changed_heading, items: changes },
      ];
    }

    /* --------------------------------------------------- the save bar */

    var draftId = null;
    var changedSinceSave = false;
    var changedSinceFile = false;
    var lastSaved = null;
    var saveProblem = null;
    var inFlight = null;
    var saveAgain = false;
    var timer = null;
    var typed = false;
    var waitingDraft = false;   /* opened with ?draft= and not unlocked yet */

    function draftFromUrl() {
      var m = /[?&]draft=([A-Za-z0-9_-]+)/.exec(window.location.search);
      return m && D && D.isId(m[1]) ? m[1] : null;
    }

    function setUrl(id) {
      var url = window.location.pathname + (id ? '?draft=' + id : '') + window.location.hash;
      try { window.history.replaceState(null, '', url); } catch (e) { /* the address stays as it was */ }
    }

    function state() {
      if (!D) return 'blocked';
      try { return D.state(); } catch (e) { return 'blocked'; }
    }

    function setBar() {
      if (!saveStatus) return;
      var s = state();
      var text;
      var kind = '';
      if (saveProblem) {
        text = W['status_failed_' + saveProblem] || W.status_failed;
        kind = 'error';
      } else if (s === 'blocked') {
        text = W.status_failed_blocked;
        kind = 'error';
      } else if (s === 'open') {
        text = lastSaved ? fill(W.status_saved, { time: clock(lastSaved) }) : W.status_open;
        kind = lastSaved ? 'saved' : '';
      } else if (waitingDraft) {
        text = W.status_draft_locked;
      } else {
        text = s === 'locked' ? W.status_locked : W.status_new;
        kind = typed ? 'unsaved' : '';
      }
      if (saveStatus.textContent !== text) saveStatus.textContent = text;
      saveStatus.className = 'save-status' + (kind ? ' is-' + kind : '');
      toArray(document.querySelectorAll('[data-action="keep"]')).forEach(function (b) {
        b.hidden = s === 'open' || s === 'blocked';
        b.textContent = s === 'locked' ? W.unlock_button : W.keep_button;
      });
      toArray(document.querySelectorAll('[data-action="lock"]')).forEach(function (b) { b.hidden = s !== 'open'; });
    }

    function changed() {
      changedSinceSave = true;
      changedSinceFile = true;
      typed = true;
      if (state() === 'open' && !waitingDraft) schedule();
      setBar();
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, 500);
    }

    /* Saves now if anything changed. A new draft is only made once there is something in it. */
    function flush() {
      window.clearTimeout(timer);
      timer = null;
      if (!changedSinceSave || state() !== 'open' || waitingDraft) return inFlight || Promise.resolve();
      if (inFlight) {
        saveAgain = true;
        return inFlight;
      }
      if (!draftId) {
        if (!hasAnswers() && !familyLabel()) return Promise.resolve();
        draftId = D.newId();
        setUrl(draftId);
      }
      changedSinceSave = false;
      var payload = { label: familyLabel(), file: answersFile(), raw: collectRaw() };
      inFlight = D.save(draftId, payload).then(function (saved) {
        lastSaved = new Date(saved);
        saveProblem = null;
      }, function (e) {
        changedSinceSave = true;
        saveProblem = (e && e.code) || 'failed';
      }).then(function () {
        inFlight = null;
        setBar();
        if (saveAgain) {
          saveAgain = false;
          return flush();
        }
      });
      return inFlight;
    }

    /* Leaving with answers kept nowhere: not saved (autosave off or failing) and not downloaded since. */
    window.addEventListener('beforeunload', function (event) {
      var unsaved = changedSinceSave;
      var saving = state() === 'open' && !saveProblem && !waitingDraft;
      flush();
      if (unsaved && changedSinceFile && !saving && hasAnswers()) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
    window.addEventListener('pagehide', function () { flush(); });
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') flush(); });

    /* Asks for the passphrase if needed, then opens the draft or saves. */
    function keep() {
      D.ensureOpen().then(function (open) {
        if (!open) return;
        if (waitingDraft) {
          openDraft(draftId);
          return;
        }
        changedSinceSave = true;
        setBar();
        flush();
      }, function (e) { saveProblem = (e && e.code) || 'failed'; setBar(); });
    }

    function openDraft(id) {
      D.open(id).then(function (draft) {
        if (typed && hasAnswers() && !window.confirm(W.confirm_replace_draft)) {
          waitingDraft = false;
          draftId = null;
          setUrl(null);
          changedSinceSave = true;
          setBar();
          flush();
          return;
        }
        waitingDraft = false;
        draftId = id;
        clearErrors();
        var file = draft.file;
        var p = plan(isObject(file.answers) ? file.answers : {});
        var changes = apply(p);
        restoreRaw(draft.raw);
        refresh();
        if (labelInput) labelInput.value = draft.label;
        lastSaved = draft.saved;
        changedSinceSave = false;
        changedSinceFile = true;
        typed = false;
        setBar();
        var when = formatTime(draft.saved);
        var message = draft.label ? fill(W.restored, { label: draft.label, time: when }) : fill(W.restored_unnamed, { time: when });
        var fileVersion = typeof file.version === 'string' ? file.version : '';
        if (fileVersion && fileVersion !== version) message += ' ' + fill(W.restored_version, { old: fileVersion, new: version });
        say(message, p.unplaced.length || changes.length ? 'warning' : 'info', reportLists(p.unplaced, changes), false);
      }, function (e) {
        var code = (e && e.code) || 'damaged';
        waitingDraft = false;
        if (code === 'missing' || code === 'other' || code === 'damaged') {
          draftId = null;
          setUrl(null);
          say(fill(W['draft_' + code], { days: D.config.expireDays }), 'error');
          if (typed) changed();
        } else {
          waitingDraft = true;
        }
        setBar();
      });
    }

    function lockPage() {
      flush().then(function () {
        if (saveProblem) {
          say(W.lock_unsaved, 'error');
          return;
        }
        D.lock();
        resetAll();
        clearErrors();
        if (labelInput) labelInput.value = '';
        refresh();
        changedSinceSave = false;
        changedSinceFile = false;
        typed = false;
        lastSaved = null;
        waitingDraft = !!draftId;
        setBar();
        say(draftId ? W.locked_draft : W.locked, 'info');
      });
    }

    function clearForm() {
      if (!window.confirm(W.confirm_clear)) return;
      window.clearTimeout(timer);
      resetAll();
      clearErrors();
      if (labelInput) labelInput.value = '';
      toArray(form.querySelectorAll('.repeat')).forEach(renumber);
      refresh();
      var problem = null;
      try {
        if (draftId) D.remove(draftId);
        /* Drafts of this form from before drafts were encrypted, every version. */
        D.legacy().forEach(function (l) { if (l.form === formId) D.removeLegacy(l.key); });
      } catch (e) {
        problem = e;
      }
      draftId = null;
      waitingDraft = false;
      setUrl(null);
      changedSinceSave = false;
      changedSinceFile = false;
      typed = false;
      lastSaved = null;
      saveProblem = null;
      setBar();
      say(problem ? W.cleared_not_deleted : W.cleared, problem ? 'error' : 'success');
    }

    /* ----------------------------------------------------- answers files */

    /* The question an answer in the file is for, from its JSON pointer. */
    function questionAt(path) {
      var parts = path.split('/').slice(1);
      if (parts[0] !== 'answers') return parts.join('.');
      var group = parts[1] ? findGroup(form, parts[1]) : null;
      if (!group) return parts.slice(1).join('.');
      if (kindOf(group) === 'repeat' && parts.length > 2) {
        var row = rowsOf(group).filter(rowFilled)[parseInt(parts[2], 10)];
        var sub = row && parts[3] ? findGroup(row, parts[3]) : null;
        return itemName(group) + ' ' + (parseInt(parts[2], 10) + 1) + (sub ? ', ' + labelOf(sub) : '');
      }
      return labelOf(group);
    }

    /* What stops these answers being a valid answers file. */
    function fileProblems(file) {
      var found = [];
      if (schema) {
        D.validate(schema, file).forEach(function (e) {
          var where = questionAt(e.path);
          var value = e.path.split('/').slice(1).reduce(function (v, k) { return v && typeof v === 'object' ? v[k] : undefined; }, file);
          var item = value === undefined || isObject(value) ? where : where + ': ' + describe(value);
          if (found.indexOf(item) < 0) found.push(item);
        });
      }
      var raw = collectRaw();
      Object.keys(raw).forEach(function (place) {
        var parts = place.split('/');
        var group = findGroup(form, parts[0]);
        var where = parts.length === 3 && group
          ? itemName(group) + ' ' + (parseInt(parts[1], 10) + 1) + ', ' + labelOf(findGroup(rowsOf(group)[parseInt(parts[1], 10)], parts[2]))
          : labelOf(group);
        found.push(fill(W.partial_date, { question: where, value: raw[place].join(' / ') }));
      });
      return found;
    }

    function download(encrypted) {
      var file = answersFile();
      var problems = fileProblems(file);
      if (problems.length) {
        say(W.download_blocked, 'error', [{ heading: '', items: problems }]);
        return;
      }
      var name = D.fileName(formId, familyLabel(), new Date(), encrypted);
      var text = JSON.stringify(file, null, 2) + '\n';
      if (!encrypted) {
        D.download(name, text);
        changedSinceFile = false;
        say(fill(W.downloaded, { name: name }), 'success');
        return;
      }
      D.ask('file_new', {}, function (passphrase) { return D.encryptFile(text, passphrase); }).then(function (sealed) {
        if (sealed === null) return;
        D.download(name, sealed);
        changedSinceFile = false;
        say(fill(W.downloaded_encrypted, { name: name }), 'success');
      }, function () { say(W.download_failed, 'error'); });
    }

    function fileError(code, name) {
      say(fill(W['file_' + code] || W.file_not_answers, { name: name, max: D.limits.fileBytes / 1000000 }), 'error');
    }

    /* Reads an answers file's text (decrypting it first if need be, with
       the passphrase asked for) and hands the file to `then`, or says why
       it cannot be opened. Shared with carry.js. */
    function readFile(text, fileName, then, decrypted) {
      var r = D.readJson(text);
      if (r.encrypted && !decrypted) {
        D.ask('file_open', { name: fileName }, function (passphrase) { return D.decryptFile(r.encrypted, passphrase); })
          .then(function (plain) {
            if (plain === null) say(fill(W.file_cancelled, { name: fileName }), 'info');
            else readFile(plain, fileName, then, true);
          }, function () { fileError('not_answers', fileName); });
        return;
      }
      if (!r.file) {
        fileError(r.problem || 'not_answers', fileName);
        return;
      }
      then(r.file);
    }

    /* Reads a chosen file's text, within the size an answers file can be. */
    function pickFile(input, then) {
      var file = input.files && input.files[0];
      if (!file) return;
      input.value = '';
      if (file.size > D.limits.fileBytes) {
        fileError('too_big', file.name);
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { readFile(String(reader.result), file.name, function (f) { then(f, file.name); }); };
      reader.onerror = function () { fileError('unreadable', file.name); };
      reader.readAsText(file);
    }

    function openFile(file, fileName) {
      if (file.form !== formId) {
        var other = typeof file.title === 'string' && file.title ? describe(file.title) : describe(file.form);
        say(fill(W.file_other_form, { name: fileName, other: other, title: formTitle }), 'error');
        return;
      }
      var p = plan(file.answers);
      if (hasAnswers() && !window.confirm(W.confirm_replace)) return;
      clearErrors();
      var changes = apply(p);
      if (labelInput && typeof file.label === 'string') labelInput.value = file.label.slice(0, 200);
      changed();
      changedSinceFile = false;
      var saved = typeof file.saved === 'string' ? fill(W.opened_saved, { time: formatTime(file.saved) }) : '';
      var fileVersion = typeof file.version === 'string' || typeof file.version === 'number' ? String(file.version) : W.unknown_version;
      var message;
      var heading = W.unplaced_heading;
      if (fileVersion !== version) {
        message = fill(W.opened_version, { name: fileName, saved: saved, old: fileVersion, new: version });
        if (p.unplaced.length) {
          heading = W.unplaced_version_heading;
        } else if (!changes.length) {
          message += ' ' + W.every_placed;
        }
      } else {
        message = fill(W.opened, { name: fileName, saved: saved });
      }
      say(message, p.unplaced.length || changes.length ? 'warning' : 'success', reportLists(p.unplaced, changes, heading));
    }

    fileInput.addEventListener('change', function () { pickFile(fileInput, openFile); });

    /* ------------------------------------------------------------- wiring */

    function closeMenus(except) {
      toArray(document.querySelectorAll('details.form-more[open]')).forEach(function (d) { if (d !== except) d.open = false; });
    }

    document.addEventListener('click', function (event) {
      var button = event.target.closest('[data-action]');
      if (!button) return;
      var action = button.getAttribute('data-action');
      if (button.closest('details.form-more')) closeMenus(null);
      if (action === 'check') check();
      else if (action === 'keep') keep();
      else if (action === 'download') download(false);
      else if (action === 'download-encrypted') download(true);
      else if (action === 'open') fileInput.click();
      else if (action === 'print') window.print();
      else if (action === 'clear') clearForm();
      else if (action === 'lock') lockPage();
      else if (action === 'add-row') {
        var repeat = button.closest('.repeat');
        dropUndo(repeat);
        var row = addRow(repeat);
        refresh();
        focusFirst(row);
      } else if (action === 'remove-row') {
        var group = button.closest('.repeat');
        var current = button.closest('.repeat-row');
        var index = rowsOf(group).indexOf(current);
        var filled = rowFilled(current);
        current.remove();
        renumber(group);
        refresh();
        changed();
        if (filled) {
          offerUndo(group, current, index);
          return;
        }
        dropUndo(group);
        var rows = rowsOf(group);
        var next = rows[index] || rows[index - 1];
        if (next) focusFirst(next);
        else group.querySelector('.repeat-add').focus();
      } else if (action === 'undo-remove') {
        undoRemove(button.closest('.repeat-undo'));
      }
    });

    /* A menu closes with Escape, giving focus back to its button. */
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      var open = event.target.closest && event.target.closest('details.form-more[open]');
      if (open) {
        open.open = false;
        open.querySelector('summary').focus();
      }
    });

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      check();
    });
    function onInput(event) {
      var t = event && event.target;
      if (t && t.classList && t.classList.contains('select-person')) t.setAttribute('data-value', t.value);
      refresh();
      changed();
    }
    form.addEventListener('input', onInput);
    form.addEventListener('change', onInput);
    if (labelInput) labelInput.addEventListener('input', changed);
    window.addEventListener('beforeprint', function () {
      refresh();
      toArray(document.querySelectorAll('details.form-about:not([open])')).forEach(function (d) {
        d.open = true;
        d.setAttribute('data-print-opened', '');
      });
    });
    window.addEventListener('afterprint', function () {
      toArray(document.querySelectorAll('details[data-print-opened]')).forEach(function (d) {
        d.open = false;
        d.removeAttribute('data-print-opened');
      });
    });

    toArray(form.querySelectorAll('.repeat')).forEach(renumber);
    refresh();

    /* What carry.js ("Start from an earlier form") needs: reading a file
       the way Open answers file does, planning answers against this form's
       schema, and filling them in without touching the other questions. */
    window.HandbookForm = {
      /* For genogram-form.js: a repeat's rows as the answers file holds
         them, and a call after every change the page makes. */
      rows: function (id) {
        var g = findGroup(form, id);
        return g && kindOf(g) === 'repeat' ? read(g) : [];
      },
      onRefresh: function (fn) { listeners.push(fn); },
      /* For carry.js: the draft this page keeps its answers in, if any. */
      draftId: function () { return draftId; },
      fill: fill, describe: describe, formatTime: formatTime, say: say, labelOf: labelOf, itemName: itemName,
      pickFile: pickFile, plan: plan, reportLists: reportLists,
      /* The questions a plan would fill that already hold an answer. */
      taken: function (p) {
        return p.steps.filter(function (step) {
          var group = step.repeat || step.group;
          return !isEmpty(read(group)) || (step.repeat && rowsOf(group).some(rowFilled));
        }).map(function (step) { return labelOf(step.repeat || step.group); });
      },
      put: function (p, label) {
        clearErrors();
        var changes = apply(p, true);
        if (labelInput && !familyLabel() && typeof label === 'string') labelInput.value = label.slice(0, 200);
        changed();
        return changes;
      },
    };

    /* On opening: drafts past their time go, old unencrypted drafts are
       pointed out, and a draft named in the address is unlocked. */
    if (!D) return;
    var notes = [];
    try {
      var gone = D.expire(new Date());
      if (gone.length) notes.push(fill(W.expired, { count: gone.length, days: D.config.expireDays }, gone.length));
      var old = D.legacy();
      var legacyNote = document.getElementById('legacy-drafts');
      if (old.length && legacyNote) {
        legacyNote.querySelector('.legacy-text').textContent = fill(W.legacy, { count: old.length }, old.length);
        legacyNote.hidden = false;
      }
    } catch (e) {
      saveProblem = (e && e.code) || 'blocked';
    }
    draftId = draftFromUrl();
    var wanted = draftId;
    if (draftId && state() !== 'blocked') {
      if (!D.exists(draftId)) {
        draftId = null;
        setUrl(null);
        notes.push(fill(W.draft_missing, { days: D.config.expireDays }));
      } else {
        waitingDraft = true;
      }
    }
    setBar();
    if (notes.length) say(notes.join(' '), 'info', [], false);
    if (wanted && waitingDraft) keep();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
