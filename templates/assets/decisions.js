/* Decision guides, with JavaScript: remember the answers given on the way
   (in this browser tab only, with sessionStorage), point Back at the
   question actually answered, and on the outcome page show the answers and
   a printable record of decision with today's date. Without JavaScript the
   guides work as plain linked pages. Nothing is sent anywhere. */
(function () {
  'use strict';

  /* The words, from the page's data block (templates/lang/*.toml [script.decisions]). */
  var W = (function () {
    var el = document.querySelector('script.hb-text[data-for="decisions"]');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();

  function fill(text, values) {
    return String(text || '').replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  function ready(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  function storage() {
    try {
      var s = window.sessionStorage;
      s.setItem('handbook-test', '1');
      s.removeItem('handbook-test');
      return s;
    } catch (e) {
      return null;
    }
  }

  // The answers so far: { fromStart: bool, steps: [{ node, page, question, answer, next }] }
  function load(store, key) {
    try {
      var state = JSON.parse(store.getItem(key));
      if (state && Object.prototype.toString.call(state.steps) === '[object Array]') return state;
    } catch (e) { /* start afresh */ }
    return { fromStart: false, steps: [] };
  }

  function save(store, key, state) {
    try { store.setItem(key, JSON.stringify(state)); } catch (e) { /* storage full or blocked */ }
  }

  function pageName() {
    var parts = window.location.pathname.split('/');
    return decodeURIComponent(parts[parts.length - 1] || 'index.html');
  }

  function text(el) {
    return (el.textContent || '').replace(/\s+/g, ' ').trim();
  }

  function make(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content) el.textContent = content;
    return el;
  }

  /* Where this page sits among the answers given: a page already in the
     list means the reader went back (keep what came before it); the page
     the last answer led to continues the list; anything else (a bookmark,
     a link from elsewhere) starts a new list from here. */
  function place(state, node, isStart) {
    if (isStart) return { fromStart: true, steps: [] };
    for (var i = 0; i < state.steps.length; i++) {
      if (state.steps[i].node === node) return { fromStart: state.fromStart, steps: state.steps.slice(0, i) };
    }
    var last = state.steps[state.steps.length - 1];
    if (last && last.next === node) return state;
    return { fromStart: false, steps: [] };
  }

  function showBack(steps) {
    var back = document.querySelector('[data-back]');
    var last = steps[steps.length - 1];
    if (!back || !last) return;
    while (back.firstChild) back.removeChild(back.firstChild);
    var link = make('a', 'back-link', W.back);
    link.href = last.page;
    back.appendChild(link);
  }

  /* Today as the pages write dates, in the page's language. */
  function today() {
    var d = new Date();
    var months = W.months || [];
    return fill(W.date || '{day} {month} {year}', { day: d.getDate(), month: months[d.getMonth()] || d.getMonth() + 1, year: d.getFullYear() });
  }

  function showAnswers(state) {
    var section = document.querySelector('[data-answers]');
    var list = document.querySelector('[data-answers-list]');
    var record = document.querySelector('[data-record]');
    var recordList = document.querySelector('[data-record-answers]');
    if (!section || !list || !record || !recordList) return;

    state.steps.forEach(function (step) {
      var row = make('div', 'summary-row');
      row.appendChild(make('dt', '', step.question));
      row.appendChild(make('dd', '', step.answer));
      var action = make('dd', 'summary-action');
      var change = make('a', '', W.change);
      change.href = step.page;
      change.appendChild(make('span', 'visually-hidden', fill(W.change_hidden, { question: step.question })));
      action.appendChild(change);
      row.appendChild(action);
      list.appendChild(row);

      var item = make('li');
      item.appendChild(make('span', 'record-question', step.question));
      item.appendChild(make('span', 'record-answer', step.answer));
      recordList.appendChild(item);
    });

    var partial = !state.fromStart;
    if (state.steps.length) section.hidden = false;
    if (partial) {
      var note = document.querySelector('[data-answers-partial]');
      if (note && state.steps.length) note.hidden = false;
      var recordNote = document.querySelector('[data-record-partial]');
      if (recordNote) recordNote.hidden = false;
    }
    if (!state.steps.length) {
      var heading = document.getElementById('record-answers-heading');
      if (heading) heading.hidden = true;
      recordList.hidden = true;
    }

    var date = document.querySelector('[data-record-date]');
    if (date) date.textContent = today();
    var print = document.querySelector('[data-print]');
    if (print) {
      print.addEventListener('click', function () { window.print(); });
    }
    record.hidden = false;
  }

  ready(function () {
    var main = document.querySelector('main[data-node]');
    if (!main) return;
    var store = storage();
    if (!store) return;
    var tree = main.getAttribute('data-tree');
    var node = main.getAttribute('data-node-id');
    var key = 'handbook-decision:' + tree;
    var state = place(load(store, key), node, main.hasAttribute('data-start'));
    save(store, key, state);
    showBack(state.steps);

    if (main.getAttribute('data-node') === 'question') {
      var heading = main.querySelector('h1');
      var question = heading ? text(heading) : node;
      var answers = main.querySelectorAll('a.decision-answer');
      Array.prototype.forEach.call(answers, function (link) {
        link.addEventListener('click', function () {
          var steps = state.steps.concat([{
            node: node,
            page: pageName(),
            question: question,
            answer: text(link),
            next: link.getAttribute('data-next')
          }]);
          save(store, key, { fromStart: state.fromStart, steps: steps });
        });
      });
    } else {
      showAnswers(state);
    }

    Array.prototype.forEach.call(document.querySelectorAll('[data-start-again]'), function (link) {
      link.addEventListener('click', function () {
        save(store, key, { fromStart: true, steps: [] });
      });
    });
  });
})();
