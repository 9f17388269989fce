/* Search as you type, offline, from file:// too.
 *
 * The header's search box becomes an ARIA 1.2 combobox with a listbox of
 * results. Nothing is loaded until someone focuses the box: then
 * assets/search-index.js (a few hundred bytes), then only the index shards
 * the query needs (assets/search/i*.js) and the text of the results shown
 * (assets/search/d*.js), through the index reader, assets/search-reader.js
 * (loaded then too). Every file is a classic script, because fetch() does
 * not work from file://.
 *
 * Without JavaScript the box submits to search.html, the A to Z of every
 * page; with JavaScript, search.html?q=... also lists the results.
 * Indexed text is only ever put into the page with textContent.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/search\.js(?:[?#].*)?$/, '') : '';
  var SHOWN = 8;
  var ON_PAGE = 50;

  // ---- The index reader (assets/search-reader.js), loaded on first use ----

  var reader = null;
  var readerLoad = null;
  function loadReader() {
    if (readerLoad) return readerLoad;
    readerLoad = new Promise(function (resolve, reject) {
      if (window.HandbookSearchReader) { resolve(window.HandbookSearchReader); return; }
      var el = document.createElement('script');
      el.src = base + 'assets/search-reader.js';
      el.onload = function () {
        if (window.HandbookSearchReader) resolve(window.HandbookSearchReader);
        else reject(new Error('no search reader in assets/search-reader.js'));
      };
      el.onerror = function () {
        readerLoad = null;
        reject(new Error('could not load assets/search-reader.js'));
      };
      document.head.appendChild(el);
    }).then(function (r) {
      reader = r;
      return r;
    });
    return readerLoad;
  }

  function index() {
    return loadReader().then(function (r) { return r.index(); });
  }

  /* Runs a query: resolves to { total, results } with at most `limit` results. */
  function query(text, limit) {
    return loadReader().then(function (r) { return r.query(text, limit); });
  }

  /* Splits text into [text, marked] pieces (results come after the reader). */
  function pieces(text, tokens) {
    return reader ? reader.pieces(text, tokens) : [[text, false]];
  }


  // ---- Showing results ----------------------------------------------------

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function marked(tag, className, text, tokens) {
    var e = el(tag, className);
    pieces(text, tokens).forEach(function (p) {
      e.appendChild(p[1] ? el('mark', '', p[0]) : document.createTextNode(p[0]));
    });
    return e;
  }

  function where(r) {
    return [r.section, r.heading].filter(Boolean).join(' › ');
  }

  function pageUrl(q) {
    return base + 'search.html?q=' + encodeURIComponent(q);
  }

  function setup() {
    var form = document.querySelector('form.search');
    var input = document.getElementById('search-input');
    if (!form || !input) return;
    var w = words('search-box');

    var panel = el('div', 'search-panel');
    panel.hidden = true;
    var listbox = el('ul', 'search-listbox');
    listbox.id = 'search-listbox';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-label', w.listbox_label || '');
    var message = el('p', 'search-message');
    panel.appendChild(listbox);
    panel.appendChild(message);
    var hint = el('span', 'visually-hidden', w.hint || '');
    hint.id = 'search-hint';
    var status = el('div', 'visually-hidden');
    status.id = 'search-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');
    form.appendChild(hint);
    form.appendChild(panel);
    form.appendChild(status);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.setAttribute('aria-describedby', hint.id);

    var options = [];
    var active = -1;
    var seq = 0;
    var timer = 0;
    var announceTimer = 0;

    function announce(text) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () { status.textContent = text; }, 250);
    }

    function setActive(i) {
      if (active >= 0 && options[active]) {
        options[active].el.setAttribute('aria-selected', 'false');
        options[active].el.classList.remove('is-active');
      }
      active = i;
      if (i >= 0 && options[i]) {
        options[i].el.setAttribute('aria-selected', 'true');
        options[i].el.classList.add('is-active');
        input.setAttribute('aria-activedescendant', options[i].el.id);
        if (options[i].el.scrollIntoView) options[i].el.scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function close() {
      setActive(-1);
      panel.hidden = true;
      input.setAttribute('aria-expanded', 'false');
    }

    function open() {
      if (!options.length && !message.textContent) return;
      panel.hidden = false;
      input.setAttribute('aria-expanded', options.length ? 'true' : 'false');
    }

    function go(url) {
      close();
      window.location.href = url;
    }

    function show(q, found) {
      while (listbox.firstChild) listbox.removeChild(listbox.firstChild);
      options = [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
      found.results.forEach(function (r, i) {
        var li = el('li', 'search-option');
        li.id = 'search-option-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.appendChild(marked('span', 'search-option-title', r.title, r.tokens));
        var w = where(r);
        if (w) li.appendChild(el('span', 'search-option-where', w));
        if (r.snippet) li.appendChild(marked('span', 'search-option-snippet', r.snippet, r.tokens));
        listbox.appendChild(li);
        options.push({ el: li, url: base + r.url });
      });
      if (found.total > found.results.length) {
        var all = el('li', 'search-option search-option-all', counted(w.see_all, found.total));
        all.id = 'search-option-all';
        all.setAttribute('role', 'option');
        all.setAttribute('aria-selected', 'false');
        listbox.appendChild(all);
        options.push({ el: all, url: pageUrl(q) });
      }
      listbox.hidden = !options.length;
      message.textContent = options.length ? '' : fill(w.none, { query: q });
      message.hidden = !!options.length;
      if (options.length || message.textContent) open(); else close();
      announce(found.total ? counted(w.found, found.total) : fill(w.none_said, { query: q }));
    }

    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (Array.from(q).length < 2) {
        close();
        while (listbox.firstChild) listbox.removeChild(listbox.firstChild);
        options = [];
        message.textContent = '';
        status.textContent = '';
        return;
      }
      query(q, SHOWN).then(function (found) {
        if (mine === seq) show(q, found);
      }, function () {
        if (mine === seq) {
          options = [];
          listbox.hidden = true;
          message.textContent = w.unavailable || '';
          message.hidden = false;
          open();
        }
      });
    }

    input.addEventListener('focus', function () {
      index().catch(function () {});
      if (options.length) open();
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    input.addEventListener('keydown', function (e) {
      var expanded = !panel.hidden && options.length > 0;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!options.length) return;
        e.preventDefault();
        if (!expanded) open();
        var n = options.length;
        var next = e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1);
        setActive(next);
      } else if (e.key === 'Enter') {
        if (expanded && active >= 0) {
          e.preventDefault();
          go(options[active].url);
        }
      } else if (e.key === 'Escape') {
        if (!panel.hidden) {
          e.preventDefault();
          close();
        } else if (input.value) {
          e.preventDefault();
          input.value = '';
          run();
        }
      }
    });
    listbox.addEventListener('mousedown', function (e) {
      e.preventDefault(); // keep focus in the box
    });
    listbox.addEventListener('click', function (e) {
      var li = e.target.closest ? e.target.closest('[role=option]') : null;
      for (var i = 0; i < options.length; i++) {
        if (options[i].el === li) go(options[i].url);
      }
    });
    form.addEventListener('focusout', function (e) {
      if (!form.contains(e.relatedTarget)) close();
    });

    resultsPage(input, status);
  }

  /* The words of the search box (every page: templates/base.html) and of
     the search page (templates/search.html), from their data blocks. */
  function words(name) {
    var el = document.querySelector('script.hb-text[data-for="' + name + '"]');
    return el ? JSON.parse(el.textContent) : {};
  }

  function fill(text, values) {
    return String(text || '').replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  /* A count in the page's language: { one: ..., other: ... } by plural category. */
  function counted(forms, n, values) {
    var category = 'other';
    try { category = new Intl.PluralRules(document.documentElement.lang || 'en').select(n); } catch (e) { /* keep other */ }
    var v = { count: n };
    for (var k in values) v[k] = values[k];
    return fill((forms && (forms[category] || forms.other)) || '', v);
  }

  /* The q= of a query string, decoded; a broken escape (q=%, q=%zz) is
     kept as it was typed rather than thrown: it finds nothing, and the page
     says so. */
  function queryParam(search) {
    var match = /[?&]q=([^&#]*)/.exec(search);
    if (!match) return null;
    var raw = match[1].replace(/\+/g, ' ');
    try {
      return decodeURIComponent(raw);
    } catch (e) {
      return raw.replace(/(?:%[0-9a-fA-F]{2})+/g, function (run) {
        try { return decodeURIComponent(run); } catch (e2) { return run; }
      });
    }
  }

  /* search.html?q=...: the page becomes the search results, listed above
     the A to Z. */
  function resultsPage(input, status) {
    var main = document.querySelector('main[data-page=search]');
    var box = document.getElementById('search-results');
    var q = queryParam(window.location.search);
    if (!main || !box || q === null) return;
    q = q.trim();
    if (!q) return;
    var w = words('search');
    input.value = q;
    var h1 = main.querySelector('h1');
    var azTitle = h1 ? h1.textContent : '';
    if (h1 && w.results_title) h1.textContent = w.results_title;
    var rest = azTitle && document.title.indexOf(azTitle) === 0 ? document.title.slice(azTitle.length) : ' - ' + document.title;
    if (w.document_title) document.title = fill(w.document_title, { query: q }) + rest;
    var az = document.getElementById('a-to-z');
    if (az) az.hidden = false;
    function found(result) {
      while (box.firstChild) box.removeChild(box.firstChild);
      var said = result.total ? counted(w.results_for, result.total, { query: q }) : fill(w.no_results_for, { query: q });
      var heading = el('h2', 'search-results-heading', said);
      heading.id = 'search-results-heading';
      box.appendChild(heading);
      if (result.total > result.results.length) {
        box.appendChild(el('p', '', counted(w.showing_best, result.results.length)));
      }
      if (!result.total) box.appendChild(el('p', '', w.no_results_help || ''));
      var list = el('ol', 'search-page-list');
      result.results.forEach(function (r) {
        var li = el('li');
        var a = marked('a', 'search-page-title', r.title, r.tokens);
        a.href = base + r.url;
        li.appendChild(a);
        var where_ = where(r);
        if (where_) li.appendChild(el('p', 'search-page-where', where_));
        if (r.snippet) li.appendChild(marked('p', 'search-page-snippet', r.snippet, r.tokens));
        list.appendChild(li);
      });
      if (result.results.length) box.appendChild(list);
      box.hidden = false;
      status.textContent = said;
    }
    query(q, ON_PAGE).then(found, function () { found({ total: 0, results: [] }); });
  }

  window.HandbookSearch = { query: query };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
