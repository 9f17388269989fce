/* The search index reader: loads and decodes the index files the build
 * writes (src/search.rs) and ranks documents for a query. It must match
 * src/search.rs: the shard and posting format, the accent folding, the
 * stop words and the plural stemmer. search.js (the search box) loads it
 * when someone first focuses the box.
 *
 * Every file is a classic script that assigns to the global handbookSearch,
 * because fetch() does not work from file://. Exposes
 * window.HandbookSearchReader = { index, query, pieces }.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var base = script ? script.src.replace(/assets\/search-reader\.js(?:[?#].*)?$/, '') : '';
  var MAX_EXPANSIONS = 200;
  /* Where a word was found, as the flags src/search.rs writes, and what
     each adds to a page's score: title, the sections it is in, a heading,
     the text often (3 times or more) or once. */
  var PLACES = 32;
  var WEIGHTS = [[16, 20], [8, 10], [4, 8], [2, 2], [1, 1]];
  function weight(flags) {
    var w = 0;
    for (var i = 0; i < WEIGHTS.length; i++) if (flags & WEIGHTS[i][0]) w += WEIGHTS[i][1];
    return w;
  }
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
        docNo += Math.floor(n / PLACES);
        out.push(docNo, n % PLACES);
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
          var w = weight(p[j + 1]) * factor;
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
     where the words were found (title, section, headings, then text). */
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

  window.HandbookSearchReader = { index: index, query: query, pieces: pieces };
})();
