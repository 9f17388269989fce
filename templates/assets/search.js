/* Search as you type, offline, from file:// too.
 *
 * The header's search box becomes an ARIA 1.2 combobox with a listbox of
 * results. Nothing is loaded until someone focuses the box: then
 * assets/search-index.js (a few hundred bytes), then only the index shards
 * the query needs (assets/search/i*.js) and the text of the results shown
 * (assets/search/d*.js). Every file is a classic script that assigns to
 * the global handbookSearch, because fetch() does not work from file://.
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
  var MAX_EXPANSIONS = 200;
  var WEIGHTS = [1, 2, 8, 20]; // body, body often, heading, title
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64_VALUE = {};
  for (var b = 0; b < B64.length; b++) B64_VALUE[B64.charCodeAt(b)] = b;
  var WORD = /[\p{L}\p{N}]+/gu;

  function store() {
    return self.handbookSearch || (self.handbookSearch = {});
  }

  // ---- Loading data files -------------------------------------------------

  var loads = {};
  function load(key, src) {
    if (loads[key]) return loads[key];
    loads[key] = new Promise(function (resolve, reject) {
      if (store()[key]) { resolve(store()[key]); return; }
      var el = document.createElement('script');
      el.src = base + src;
      el.onload = function () {
        if (store()[key]) resolve(store()[key]);
        else reject(new Error('no search data in ' + src));
      };
      el.onerror = function () {
        delete loads[key];
        reject(new Error('could not load ' + src));
      };
      document.head.appendChild(el);
    });
    return loads[key];
  }

  var manifest = null;
  function index() {
    return load('index', 'assets/search-index.js').then(function (m) {
      if (!manifest) {
        var fold = {};
        for (var i = 0; i + 1 < m.fold.length; i += 2) fold[m.fold[i]] = m.fold[i + 1];
        var stop = {};
        m.stop.split(' ').forEach(function (w) { stop[w] = true; });
        manifest = { v: m.v ? '?v=' + m.v : '', docs: m.docs, shards: m.shards, fold: fold, stop: stop };
      }
      return manifest;
    });
  }

  var decoded = {};
  function shard(n) {
    if (decoded[n]) return Promise.resolve(decoded[n]);
    return load('i' + n, 'assets/search/i' + n + '.js' + manifest.v).then(function (s) {
      if (decoded[n]) return decoded[n];
      var entries = s.t ? s.t.split(',') : [];
      var terms = new Array(entries.length);
      var prev = '';
      for (var i = 0; i < entries.length; i++) {
        var shared = parseInt(entries[i].charAt(0), 36);
        var head = /[\uD800-\uDFFF]/.test(prev) ? Array.from(prev).slice(0, shared).join('') : prev.slice(0, shared);
        prev = head + entries[i].slice(1);
        terms[i] = prev;
      }
      decoded[n] = { terms: terms, postings: s.p ? s.p.split(',') : [], cache: {} };
      return decoded[n];
    });
  }

  function doc(n) {
    return load('d' + n, 'assets/search/d' + n + '.js' + manifest.v);
  }

  /* The same words as src/search.rs: lower case, accents folded, a light
     plural stemmer. */
  function normalize(word) {
    var lower = word.toLowerCase();
    var out = '';
    for (var i = 0; i < lower.length; i++) {
      var c = lower.charAt(i);
      out += manifest.fold[c] || c;
    }
    return out;
  }

  function stem(w) {
    var n = Array.from(w).length;
    if (n > 4 && /ies$/.test(w)) return w.slice(0, -3) + 'y';
    if (/sses$/.test(w)) return w.slice(0, -2);
    if (n > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
    return w;
  }

  /* The query's words. The last one is a prefix while it is being typed. */
  function parse(query) {
    var words = query.match(WORD) || [];
    var open = !/[^\p{L}\p{N}]$/u.test(query);
    var tokens = [];
    words.forEach(function (raw, i) {
      var word = normalize(raw);
      var prefix = open && i === words.length - 1;
      var single = Array.from(word).length === 1 && !/^\p{N}$/u.test(word);
      if (single || manifest.stop[word]) return;
      tokens.push({ word: word, stem: stem(word), prefix: prefix });
    });
    return tokens;
  }

  function shardFor(key) {
    var s = manifest.shards;
    var lo = 0;
    var hi = s.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (s[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function key(term) {
    return Array.from(term).slice(0, 2).join('');
  }

  function decodePostings(str) {
    var out = [];
    var docNo = 0;
    var n = 0;
    var scale = 1;
    for (var i = 0; i < str.length; i++) {
      var d = B64_VALUE[str.charCodeAt(i)];
      n += (d & 31) * scale;
      if (d & 32) {
        scale *= 32;
      } else {
        docNo += Math.floor(n / 4);
        out.push(docNo, n % 4);
        n = 0;
        scale = 1;
      }
    }
    return out;
  }

  function postingsAt(s, i) {
    return s.cache[i] || (s.cache[i] = decodePostings(s.postings[i]));
  }

  function lowerBound(terms, word) {
    var lo = 0;
    var hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < word) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* Scores for one query word: document number -> best weight. */
  function scoresFor(token) {
    var keys = [key(token.stem)];
    if (token.prefix && key(token.word) !== keys[0]) keys.push(key(token.word));
    return Promise.all(keys.map(function (k) { return shard(shardFor(k)); })).then(function (shards) {
      var scores = {};
      function add(s, i, factor) {
        var p = postingsAt(s, i);
        for (var j = 0; j < p.length; j += 2) {
          var w = WEIGHTS[p[j + 1]] * factor;
          if (!(scores[p[j]] >= w)) scores[p[j]] = w;
        }
      }
      shards.forEach(function (s) {
        var i = lowerBound(s.terms, token.stem);
        if (s.terms[i] === token.stem) add(s, i, 1);
        if (token.prefix) {
          var count = 0;
          for (var k = lowerBound(s.terms, token.word); k < s.terms.length && count < MAX_EXPANSIONS; k++, count++) {
            var t = s.terms[k];
            if (t.lastIndexOf(token.word, 0) !== 0) break;
            if (t !== token.stem) add(s, k, 0.9);
          }
        }
      });
      return scores;
    });
  }

  /* Ranked document numbers for a query: pages with every word first, by
     where the words were found (title, then headings, then text). */
  function rank(tokens) {
    return Promise.all(tokens.map(scoresFor)).then(function (all) {
      var total = {};
      var matched = {};
      all.forEach(function (scores) {
        for (var d in scores) {
          total[d] = (total[d] || 0) + scores[d];
          matched[d] = (matched[d] || 0) + 1;
        }
      });
      var docs = Object.keys(total).map(Number);
      var full = docs.filter(function (d) { return matched[d] === tokens.length; });
      if (full.length) docs = full;
      docs.sort(function (a, b) {
        return (matched[b] - matched[a]) || (total[b] - total[a]) || (a - b);
      });
      return docs;
    });
  }

  function matches(word, tokens) {
    var w = normalize(word);
    var s = stem(w);
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      if (s === t.stem || w === t.word || (t.prefix && w.lastIndexOf(t.word, 0) === 0)) return true;
    }
    return false;
  }

  /* Splits text into [text, marked] pieces. */
  function pieces(text, tokens) {
    var out = [];
    var last = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (matches(m[0], tokens)) {
        if (m.index > last) out.push([text.slice(last, m.index), false]);
        out.push([m[0], true]);
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  }

  function firstMatch(text, tokens) {
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (matches(m[0], tokens)) return m.index;
    }
    return -1;
  }

  /* About 180 characters around the first match, cut at spaces. */
  function excerpt(text, at) {
    var start = Math.max(0, at - 60);
    if (start > 0) {
      var space = text.indexOf(' ', start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
    var end = Math.min(text.length, start + 180);
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > at) end = back;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  function result(d, tokens) {
    var best = null;
    (d.x || []).forEach(function (part) {
      var heading = part[0] >= 0 ? d.h[part[0]][1] : '';
      var at = firstMatch(part[1], tokens);
      var score = (at >= 0 ? 1 : 0) + (heading && firstMatch(heading, tokens) >= 0 ? 2 : 0);
      if (score > 0 && (!best || score > best.score)) best = { part: part, at: Math.max(at, 0), score: score };
    });
    if (!best && d.x && d.x.length) best = { part: d.x[0], at: 0, score: 0 };
    var heading = best && best.part[0] >= 0 ? d.h[best.part[0]] : null;
    return {
      url: d.u + (heading ? '#' + heading[0] : ''),
      title: d.t,
      section: d.s,
      heading: heading ? heading[1] : '',
      snippet: best ? excerpt(best.part[1], best.at) : '',
      tokens: tokens,
    };
  }

  /* Runs a query: resolves to { total, results } with at most `limit` results. */
  function query(text, limit) {
    return index().then(function () {
      var tokens = parse(text);
      if (!tokens.length) return { total: 0, results: [] };
      return rank(tokens).then(function (docs) {
        var top = docs.slice(0, limit);
        return Promise.all(top.map(doc)).then(function (data) {
          return { total: docs.length, results: data.map(function (d) { return result(d, tokens); }) };
        });
      });
    });
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

  function plural(n) {
    return n + (n === 1 ? ' result' : ' results');
  }

  function pageUrl(q) {
    return base + 'search.html?q=' + encodeURIComponent(q);
  }

  function setup() {
    var form = document.querySelector('form.search');
    var input = document.getElementById('search-input');
    if (!form || !input) return;

    var panel = el('div', 'search-panel');
    panel.hidden = true;
    var listbox = el('ul', 'search-listbox');
    listbox.id = 'search-listbox';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-label', 'Search results');
    var message = el('p', 'search-message');
    panel.appendChild(listbox);
    panel.appendChild(message);
    var hint = el('span', 'visually-hidden', 'Results appear as you type. Use the up and down arrow keys to choose one, and Enter to open it.');
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
        var all = el('li', 'search-option search-option-all', 'See all ' + plural(found.total));
        all.id = 'search-option-all';
        all.setAttribute('role', 'option');
        all.setAttribute('aria-selected', 'false');
        listbox.appendChild(all);
        options.push({ el: all, url: pageUrl(q) });
      }
      listbox.hidden = !options.length;
      message.textContent = options.length ? '' : 'No results for “' + q + '”. Try other words, or look in the A to Z.';
      message.hidden = !!options.length;
      if (options.length || message.textContent) open(); else close();
      announce(found.total ? plural(found.total) + ' found. Use the up and down arrow keys to choose one.' : 'No results for ' + q);
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
          message.textContent = 'Search is not available. Use the A to Z instead.';
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

  /* search.html?q=...: the results on the page itself, above the A to Z. */
  function resultsPage(input, status) {
    var main = document.querySelector('main[data-page=search]');
    var box = document.getElementById('search-results');
    var match = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (!main || !box || !match) return;
    var q = decodeURIComponent(match[1].replace(/\+/g, ' ')).trim();
    if (!q) return;
    input.value = q;
    query(q, ON_PAGE).then(function (found) {
      while (box.firstChild) box.removeChild(box.firstChild);
      var heading = el('h2', 'search-results-heading', (found.total ? plural(found.total) : 'No results') + ' for “' + q + '”');
      heading.id = 'search-results-heading';
      box.appendChild(heading);
      if (found.total > found.results.length) {
        box.appendChild(el('p', '', 'Showing the best ' + found.results.length + '. Add more words to narrow the search.'));
      }
      if (!found.total) box.appendChild(el('p', '', 'Check the spelling or try other words, or find the page in the A to Z below.'));
      var list = el('ol', 'search-page-list');
      found.results.forEach(function (r) {
        var li = el('li');
        var a = marked('a', 'search-page-title', r.title, r.tokens);
        a.href = base + r.url;
        li.appendChild(a);
        var w = where(r);
        if (w) li.appendChild(el('p', 'search-page-where', w));
        if (r.snippet) li.appendChild(marked('p', 'search-page-snippet', r.snippet, r.tokens));
        list.appendChild(li);
      });
      if (found.results.length) box.appendChild(list);
      box.hidden = false;
      document.title = 'Search results for “' + q + '” - ' + document.title;
      status.textContent = (found.total ? plural(found.total) : 'No results') + ' for ' + q;
    }, function () {});
  }

  window.HandbookSearch = { query: query };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
