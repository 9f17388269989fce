/* Saved on this device: the drafts this handbook's forms keep in this
   browser, each with its form, family and last save, to open, download or
   delete; Delete all; old unencrypted drafts to encrypt or delete.

   Storage and encryption are drafts.js's; this file only lists. Labels
   and answers are only ever put into the page with .textContent. Every
   word comes from the page (the hb-text block for "saved"). */
(function () {
  'use strict';

  function words(name) { var el = document.querySelector('script.hb-text[data-for="' + name + '"]'); return el ? JSON.parse(el.textContent) : {}; }
  var W = words('saved');

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function start() {
    var D = window.HandbookDrafts;
    var list = document.getElementById('saved-list');
    var status = document.getElementById('saved-status');
    if (!D || !list || !status) return;
    var fill = D.fill;
    var formsEl = document.getElementById('saved-forms');
    var forms = formsEl ? JSON.parse(formsEl.textContent) : [];
    var root = list.getAttribute('data-root') || '';
    var summary = document.getElementById('saved-summary');
    var legacyBox = document.getElementById('saved-legacy');

    function formById(id) {
      for (var i = 0; i < forms.length; i++) if (forms[i].id === id) return forms[i];
      return null;
    }

    function dateWords(d) { return fill(W.date, { day: d.getDate(), month: (W.months || [])[d.getMonth()], year: d.getFullYear() }); }
    function formatTime(d) {
      if (!d) return W.unknown_time;
      return fill(W.time_on_date, { time: fill(W.clock, { hours: pad(d.getHours()), minutes: pad(d.getMinutes()) }), date: dateWords(d) });
    }

    function say(text, kind, items, focus) {
      status.textContent = '';
      status.className = 'form-status' + (kind ? ' is-' + kind : '');
      var p = document.createElement('p');
      p.textContent = text;
      status.appendChild(p);
      if (items && items.length) {
        var ul = document.createElement('ul');
        items.forEach(function (t) {
          var li = document.createElement('li');
          li.textContent = t;
          ul.appendChild(li);
        });
        status.appendChild(ul);
      }
      if (focus !== false) status.focus();
    }

    function el(tag, className, text) {
      var e = document.createElement(tag);
      if (className) e.className = className;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function withHidden(node, visible, hidden) {
      node.textContent = visible;
      var span = el('span', 'visually-hidden', hidden);
      node.appendChild(span);
      return node;
    }

    function fact(dl, term, value) {
      var div = el('div', 'saved-fact');
      div.appendChild(el('dt', '', term));
      div.appendChild(el('dd', '', value));
      dl.appendChild(div);
    }

    /* What a draft is called in messages and hidden button text. */
    function nameOf(entry) {
      if (!entry.draft) return fill(W.locked_name, { time: formatTime(entry.saved) });
      return entry.draft.label ? fill(W.named_name, { label: entry.draft.label }) : fill(W.unnamed_name, { time: formatTime(entry.saved) });
    }

    function formTitle(entry) {
      var file = entry.draft.file;
      var known = formById(file.form);
      if (known) return known.title;
      return fill(W.unknown_form, { form: typeof file.title === 'string' ? file.title : String(file.form) });
    }

    function item(entry) {
      var li = el('li', 'saved-item');
      var draft = entry.draft;
      var title;
      if (draft) title = draft.label || W.unnamed;
      else title = W['title_' + (entry.problem || 'locked')] || W.title_locked;
      li.appendChild(el('h2', 'saved-item-title', title));
      var dl = el('dl', 'saved-facts');
      if (draft) fact(dl, W.fact_form, formTitle(entry));
      fact(dl, W.fact_saved, formatTime(entry.saved));
      if (entry.saved) fact(dl, W.fact_expires, fill(W.expires, { date: dateWords(D.expiresOn(entry.saved)) }));
      li.appendChild(dl);
      var actions = el('div', 'saved-item-actions');
      var hidden = fill(W.hidden_which, { name: nameOf(entry) });
      if (draft) {
        var known = formById(draft.file.form);
        if (known) {
          var a = withHidden(el('a', 'button'), W.open, hidden);
          a.href = root + known.url + '?draft=' + encodeURIComponent(entry.id);
          actions.appendChild(a);
        }
        var dl2 = withHidden(el('button', 'button button-secondary'), W.download, hidden);
        dl2.type = 'button';
        dl2.addEventListener('click', function () { downloadDraft(entry); });
        actions.appendChild(dl2);
      }
      var del = withHidden(el('button', 'button button-warning'), W.delete, hidden);
      del.type = 'button';
      del.addEventListener('click', function () { deleteDraft(entry); });
      actions.appendChild(del);
      li.appendChild(actions);
      return li;
    }

    function show(entries) {
      list.textContent = '';
      entries.forEach(function (e) { list.appendChild(item(e)); });
      var open = D.unlocked();
      var count = entries.length;
      var others = entries.filter(function (e) { return !e.draft; }).length;
      var text;
      if (!count) text = W.summary_none;
      else if (!open) text = fill(W.summary_locked, { count: count }, count);
      else {
        text = fill(W.summary_open, { count: count }, count);
        if (others) text += ' ' + fill(W.summary_other, { count: others }, others);
      }
      summary.textContent = text;
      var state = D.state();
      document.querySelector('[data-action="unlock"]').hidden = state !== 'locked';
      document.querySelector('[data-action="lock"]').hidden = state !== 'open';
      document.querySelector('[data-action="delete-all"]').hidden = !count;
    }

    function showLegacy() {
      var old = D.legacy();
      legacyBox.hidden = !old.length;
      if (!old.length) return;
      legacyBox.querySelector('.saved-legacy-text').textContent = fill(W.legacy_text, { count: old.length }, old.length);
      var ul = legacyBox.querySelector('.saved-legacy-list');
      ul.textContent = '';
      old.forEach(function (l) {
        var known = formById(l.form);
        var saved = l.file && typeof l.file.saved === 'string' ? new Date(l.file.saved) : null;
        var when = formatTime(saved && !isNaN(saved.getTime()) ? saved : null);
        ul.appendChild(el('li', '', known ? fill(W.legacy_item, { form: known.title, time: when })
          : fill(W.legacy_item_other, { form: l.form, time: when })));
      });
      legacyBox.querySelector('[data-action="legacy-keep"]').hidden = !old.some(function (l) { return l.file && formById(l.form); });
    }

    /* Lists the drafts, opened if the passphrase is known. */
    function render() {
      try {
        showLegacy();
        var entries = D.list();
        if (!D.unlocked()) {
          show(entries.map(function (d) { return { id: d.id, saved: d.saved, draft: null, problem: d.damaged ? 'damaged' : 'locked' }; }));
          return Promise.resolve();
        }
        return D.openAll().then(show);
      } catch (e) {
        say(W.blocked, 'error', [], false);
        document.querySelector('.saved-main').hidden = true;
        return Promise.resolve();
      }
    }

    function downloadDraft(entry) {
      var file = JSON.parse(JSON.stringify(entry.draft.file));
      if (entry.draft.label) file.label = entry.draft.label;
      var name = D.fileName(String(file.form), entry.draft.label, new Date(), false);
      D.download(name, JSON.stringify(file, null, 2) + '\n');
      say(fill(W.downloaded, { name: name }), 'success');
    }

    function deleteDraft(entry) {
      var question = entry.draft
        ? fill(W.confirm_delete, { name: nameOf(entry), form: formTitle(entry) })
        : fill(W.confirm_delete_locked, { name: nameOf(entry) });
      if (!window.confirm(question)) return;
      D.remove(entry.id);
      render().then(function () { say(fill(W.deleted, { name: nameOf(entry) }), 'success'); });
    }

    function deleteAll() {
      var count = D.list().length;
      if (!window.confirm(fill(W.confirm_delete_all, { count: count }, count))) return;
      D.removeAll();
      D.legacy().forEach(function (l) { if (formById(l.form)) D.removeLegacy(l.key); });
      render().then(function () { say(W.deleted_all, 'success'); });
    }

    function keepLegacy() {
      D.ensureOpen().then(function (open) {
        if (!open) return;
        var old = D.legacy().filter(function (l) { return l.file && formById(l.form); });
        var kept = 0;
        return old.reduce(function (chain, l) {
          return chain.then(function () {
            return D.save(D.newId(), { label: '', file: l.file, raw: {} }).then(function () {
              D.removeLegacy(l.key);
              kept += 1;
            });
          });
        }, Promise.resolve()).then(function () {
          return render().then(function () { say(fill(W.legacy_kept, { count: kept }, kept), 'success'); });
        }, function (e) {
          return render().then(function () { say(W['failed_' + (e && e.code)] || W.failed, 'error'); });
        });
      });
    }

    function deleteLegacy() {
      var old = D.legacy();
      if (!window.confirm(fill(W.confirm_legacy_delete, { count: old.length }, old.length))) return;
      old.forEach(function (l) { D.removeLegacy(l.key); });
      render().then(function () { say(fill(W.legacy_deleted, { count: old.length }, old.length), 'success'); });
    }

    document.addEventListener('click', function (event) {
      var b = event.target.closest('[data-action]');
      if (!b) return;
      var action = b.getAttribute('data-action');
      if (action === 'unlock') D.ensureOpen().then(function (open) { if (open) render().then(function () { say(W.unlocked, 'success'); }); });
      else if (action === 'lock') {
        D.lock();
        render().then(function () { say(W.locked, 'info'); });
      } else if (action === 'delete-all') deleteAll();
      else if (action === 'legacy-keep') keepLegacy();
      else if (action === 'legacy-delete') deleteLegacy();
    });

    var gone = [];
    try { gone = D.expire(new Date()); } catch (e) { gone = []; }
    render().then(function () {
      if (gone.length) {
        say(fill(W.expired, { count: gone.length, days: D.config.expireDays }, gone.length), 'info',
          gone.map(function (g) { return fill(W.expired_item, { time: formatTime(g.saved) }); }), false);
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
