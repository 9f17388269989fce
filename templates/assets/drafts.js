/* Drafts and answers files: the part of the forms that holds a family's
   answers outside the page. Small on purpose, so it can be audited.

   What it promises:
   - Nothing readable about a family is stored. A draft is kept in this
     browser's localStorage under `handbook:<handbook id>:draft:<random id>`
     as AES-256-GCM ciphertext. Its key comes from the practitioner's
     passphrase: PBKDF2-SHA256 (600,000 iterations) over the passphrase and
     a random salt gives a master key; each draft has its own random salt,
     and HKDF-SHA256(master key, draft salt) gives that draft's key; every
     save uses a fresh random IV. Only the time of the last save is stored
     in the clear, so that old drafts can be deleted without the passphrase.
   - The passphrase and the keys live only in this script's memory, for
     this page: never in localStorage, sessionStorage, cookies or the URL.
     They are forgotten by Lock, by a reload and by closing the tab.
   - An answers file is checked (size, depth, shape, and each answer against
     the form's published JSON Schema) before anything on the page changes.
   - No network request anywhere; text from storage or files only ever
     reaches the page through .value and .textContent (in forms.js and
     saved.js).

   One classic script (no modules) so it runs from file://. It puts one
   object on window, HandbookDrafts, used by forms.js and saved.js. */
(function () {
  'use strict';

  var RECORD = 1;               /* the draft record format */
  var FILE = 1;                 /* the encrypted answers file format */
  var ITERATIONS = 600000;      /* PBKDF2-SHA256, OWASP's 2023 figure */
  var HKDF_INFO = 'handbook draft';
  var LIMITS = { fileBytes: 2000000, depth: 12 };
  var MIN_PASSPHRASE = 10;

  function words(name) { var el = document.querySelector('script.hb-text[data-for="' + name + '"]'); return el ? JSON.parse(el.textContent) : {}; }
  var W = words('drafts');

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function toArray(list) { return Array.prototype.slice.call(list); }

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

  function config() {
    var el = document.getElementById('drafts-config');
    var c = el ? JSON.parse(el.textContent) : {};
    return { handbook: String(c.handbook || 'handbook'), expireDays: Number(c.expire_days) || 30 };
  }
  var CONFIG = config();
  var PREFIX = 'handbook:' + CONFIG.handbook + ':draft:';
  var LEGACY_PREFIX = 'handbook-form:';

  /* ------------------------------------------------------------ bytes */

  function utf8(text) { return new TextEncoder().encode(text); }
  function fromUtf8(bytes) { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
  function random(n) { return crypto.getRandomValues(new Uint8Array(n)); }

  function b64(bytes) {
    var s = '';
    var view = new Uint8Array(bytes);
    for (var i = 0; i < view.length; i += 0x8000) s += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
    return btoa(s);
  }

  function unb64(text) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw problem('damaged');
    var s = atob(text);
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  /* Errors carry a code the pages turn into words. */
  function problem(code, detail) {
    var e = new Error(code);
    e.code = code;
    e.detail = detail;
    return e;
  }

  /* ------------------------------------------------------------ crypto */

  /* PBKDF2 bits, zeroed once imported, so the raw key is not left about. */
  function pbkdf2(passphrase, salt, iterations, usage) {
    return crypto.subtle.importKey('raw', utf8(passphrase), 'PBKDF2', false, ['deriveBits'])
      .then(function (base) {
        return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: iterations }, base, 256);
      })
      .then(function (bits) {
        var algorithm = usage === 'hkdf' ? 'HKDF' : { name: 'AES-GCM' };
        var uses = usage === 'hkdf' ? ['deriveKey'] : ['encrypt', 'decrypt'];
        return crypto.subtle.importKey('raw', bits, algorithm, false, uses).then(function (key) {
          new Uint8Array(bits).fill(0);
          return key;
        });
      });
  }

  function draftKey(master, salt) {
    return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: salt, info: utf8(HKDF_INFO) },
      master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  }

  function seal(key, text, aad) {
    var iv = random(12);
    return crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv, additionalData: utf8(aad) }, key, utf8(text))
      .then(function (data) { return { iv: b64(iv), data: b64(data) }; });
  }

  /* A wrong key and altered bytes look the same to AES-GCM: both are "wrong". */
  function unseal(key, iv, data, aad) {
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv), additionalData: utf8(aad) }, key, unb64(data))
      .then(function (plain) { return fromUtf8(plain); }, function () { throw problem('wrong'); });
  }

  /* ----------------------------------------------------------- storage */

  var storage = null;
  function store() {
    if (storage) return storage;
    try {
      storage = window.localStorage;
      storage.getItem(PREFIX);
    } catch (e) {
      storage = null;
      throw problem('blocked');
    }
    return storage;
  }

  function keys(prefix) {
    var s = store();
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(prefix) === 0) out.push(k);
    }
    return out;
  }

  function readRecord(storageKey) {
    var r = null;
    try { r = JSON.parse(store().getItem(storageKey)); } catch (e) { r = null; }
    if (!isObject(r) || r.handbook_draft !== RECORD || typeof r.salt !== 'string' || typeof r.hkdf_salt !== 'string'
      || typeof r.iv !== 'string' || typeof r.data !== 'string') return null;
    return r;
  }

  function savedAt(r) {
    var d = r && typeof r.saved === 'string' ? new Date(r.saved) : null;
    return d && !isNaN(d.getTime()) ? d : null;
  }

  /* Every draft of this handbook, newest first; unreadable ones marked damaged. */
  function list() {
    return keys(PREFIX).map(function (k) {
      var r = readRecord(k);
      return { id: k.slice(PREFIX.length), saved: savedAt(r), damaged: !r };
    }).sort(function (a, b) { return (b.saved ? b.saved.getTime() : 0) - (a.saved ? a.saved.getTime() : 0); });
  }

  function isId(id) { return typeof id === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(id); }

  function newId() {
    return b64(random(18)).replace(/\+/g, '-').replace(/\//g, '_');
  }

  function exists(id) { return isId(id) && store().getItem(PREFIX + id) !== null; }

  function remove(id) { if (isId(id)) store().removeItem(PREFIX + id); }

  function removeAll() { keys(PREFIX).forEach(function (k) { store().removeItem(k); }); }

  /* Drafts not changed for the handbook's number of days (a damaged record
     with no readable time counts as expired). Deletes them and says which. */
  function expire(now) {
    var limit = (now || new Date()).getTime() - CONFIG.expireDays * 86400000;
    var gone = [];
    list().forEach(function (d) {
      if (!d.saved || d.saved.getTime() < limit) {
        remove(d.id);
        gone.push(d);
      }
    });
    return gone;
  }

  function expiresOn(saved) { return new Date(saved.getTime() + CONFIG.expireDays * 86400000); }

  /* Drafts saved in the clear by the forms before drafts were encrypted
     (`handbook-form:<form id>:<version>`). Their key has no handbook id, so
     they may belong to another handbook opened from this computer. */
  function legacy() {
    return keys(LEGACY_PREFIX).map(function (k) {
      var file = null;
      try { file = JSON.parse(store().getItem(k)); } catch (e) { file = null; }
      var parts = k.slice(LEGACY_PREFIX.length).split(':');
      var ok = isObject(file) && typeof file.form === 'string' && isObject(file.answers);
      return { key: k, form: ok ? file.form : parts[0], file: ok ? file : null };
    });
  }

  function removeLegacy(key) { if (key.indexOf(LEGACY_PREFIX) === 0) store().removeItem(key); }

  /* ----------------------------------------------------------- session */

  /* Master keys by the salt they were made with, and the rounds used. */
  var session = { masters: {}, rounds: {}, salt: null };

  function unlocked() { return session.salt !== null; }

  function lock() { session = { masters: {}, rounds: {}, salt: null }; }

  /* 'new' (no drafts yet: choose a passphrase), 'locked' or 'open'. */
  function state() {
    if (unlocked()) return 'open';
    return keys(PREFIX).some(function (k) { return readRecord(k); }) ? 'locked' : 'new';
  }

  function checkNew(passphrase, again) {
    if (passphrase.length < MIN_PASSPHRASE) return 'short';
    if (passphrase !== again) return 'mismatch';
    return null;
  }

  /* A first passphrase, when no draft of this handbook exists. */
  function setPassphrase(passphrase) {
    var salt = random(16);
    return pbkdf2(passphrase, salt, ITERATIONS, 'hkdf').then(function (master) {
      session.masters = {};
      session.rounds = {};
      session.masters[b64(salt)] = master;
      session.rounds[b64(salt)] = ITERATIONS;
      session.salt = b64(salt);
    });
  }

  /* Opens the drafts: the passphrase must open at least one of them (the
     newest of each master salt is tried). Rejects with 'wrong' otherwise. */
  function unlock(passphrase) {
    var bySalt = {};
    list().forEach(function (d) {
      var r = d.damaged ? null : readRecord(PREFIX + d.id);
      if (r && !has(bySalt, r.salt)) bySalt[r.salt] = { id: d.id, record: r };
    });
    var salts = Object.keys(bySalt);
    if (!salts.length) return Promise.reject(problem('wrong'));
    var found = {};
    var rounds = {};
    return Promise.all(salts.map(function (salt) {
      var r = bySalt[salt].record;
      /* A record asking for fewer rounds, or absurdly many, is not one of ours. */
      if (typeof r.iterations !== 'number' || r.iterations < ITERATIONS || r.iterations > 10000000) return null;
      rounds[salt] = r.iterations;
      return Promise.resolve().then(function () { return pbkdf2(passphrase, unb64(salt), r.iterations, 'hkdf'); })
        .then(function (master) {
          return draftKey(master, unb64(r.hkdf_salt))
            .then(function (key) { return unseal(key, r.iv, r.data, PREFIX + bySalt[salt].id); })
            .then(function () { found[salt] = master; });
        })
        .catch(function () { /* another passphrase's drafts */ });
    })).then(function () {
      var opened = Object.keys(found);
      if (!opened.length) throw problem('wrong');
      session.masters = found;
      session.rounds = rounds;
      /* New drafts join the salt of the newest draft it opened. */
      session.salt = salts.filter(function (s) { return has(found, s); })[0];
    });
  }

  function keyFor(record, storageKey) {
    var master = session.masters[record.salt];
    if (!master) return Promise.reject(problem(unlocked() ? 'other' : 'locked'));
    return draftKey(master, unb64(record.hkdf_salt)).then(function (key) { return { key: key, aad: storageKey }; });
  }

  /* Encrypts and stores a draft: payload { label, file, raw }. Resolves
     with the time saved; rejects with 'locked', 'quota' or 'blocked'. */
  function save(id, payload) {
    if (!unlocked()) return Promise.reject(problem('locked'));
    if (!isId(id)) return Promise.reject(problem('damaged'));
    var storageKey = PREFIX + id;
    var s;
    try { s = store(); } catch (e) { return Promise.reject(e); }
    var old = readRecord(storageKey);
    var salt = old && session.masters[old.salt] ? old.salt : session.salt;
    var hkdfSalt = old && old.salt === salt ? old.hkdf_salt : b64(random(16));
    var saved = new Date().toISOString();
    var text = JSON.stringify({ saved: saved, label: payload.label || '', file: payload.file, raw: payload.raw || {} });
    return Promise.resolve().then(function () { return draftKey(session.masters[salt], unb64(hkdfSalt)); })
      .then(function (key) { return seal(key, text, storageKey); })
      .then(function (sealed) {
        var record = {
          handbook_draft: RECORD, saved: saved, kdf: 'PBKDF2-SHA256', iterations: session.rounds[salt] || ITERATIONS, salt: salt,
          key: 'HKDF-SHA256', hkdf_salt: hkdfSalt, cipher: 'AES-GCM', iv: sealed.iv, data: sealed.data,
        };
        try {
          s.setItem(storageKey, JSON.stringify(record));
        } catch (e) {
          throw problem(e && (e.name === 'QuotaExceededError' || e.code === 22) ? 'quota' : 'blocked');
        }
        return saved;
      });
  }

  /* Decrypts one draft. Rejects with 'missing', 'damaged', 'locked',
     'other' (saved with another passphrase) or 'wrong'. */
  function open(id) {
    var storageKey = PREFIX + id;
    var s;
    try { s = store(); } catch (e) { return Promise.reject(e); }
    if (!isId(id) || s.getItem(storageKey) === null) return Promise.reject(problem('missing'));
    var r = readRecord(storageKey);
    if (!r) return Promise.reject(problem('damaged'));
    return Promise.resolve().then(function () { return keyFor(r, storageKey); })
      .then(function (k) { return unseal(k.key, r.iv, r.data, k.aad); })
      .then(function (text) {
        var p = null;
        try { p = JSON.parse(text); } catch (e) { p = null; }
        if (!isObject(p) || !isObject(p.file)) throw problem('damaged');
        return { id: id, saved: savedAt(p) || savedAt(r), label: typeof p.label === 'string' ? p.label : '', file: p.file,
          raw: isObject(p.raw) ? p.raw : {} };
      });
  }

  /* Every draft, opened where this passphrase can. */
  function openAll() {
    return Promise.all(list().map(function (d) {
      return open(d.id).then(function (draft) { return { id: d.id, saved: d.saved, draft: draft }; },
        function (e) { return { id: d.id, saved: d.saved, draft: null, problem: e.code || 'damaged' }; });
    }));
  }

  /* ------------------------------------------------------ answers files */

  /* An answers file encrypted with a passphrase of its own: the answers
     file's JSON, AES-256-GCM with a key from PBKDF2-SHA256 and a fresh salt. */
  function encryptFile(text, passphrase) {
    var salt = random(16);
    return pbkdf2(passphrase, salt, ITERATIONS, 'aes')
      .then(function (key) { return seal(key, text, 'handbook answers file'); })
      .then(function (sealed) {
        return JSON.stringify({
          handbook_encrypted: FILE, kdf: 'PBKDF2-SHA256', iterations: ITERATIONS, salt: b64(salt),
          cipher: 'AES-GCM', iv: sealed.iv, data: sealed.data,
        }, null, 2) + '\n';
      });
  }

  function isEncryptedFile(obj) { return isObject(obj) && has(obj, 'handbook_encrypted'); }

  function decryptFile(obj, passphrase) {
    if (obj.handbook_encrypted !== FILE || obj.kdf !== 'PBKDF2-SHA256' || obj.cipher !== 'AES-GCM'
      || typeof obj.iterations !== 'number' || obj.iterations < 100000 || obj.iterations > 10000000) {
      return Promise.reject(problem('unknown_encryption'));
    }
    var salt;
    try { salt = unb64(obj.salt); } catch (e) { return Promise.reject(e); }
    return pbkdf2(passphrase, salt, obj.iterations, 'aes')
      .then(function (key) { return unseal(key, obj.iv, obj.data, 'handbook answers file'); });
  }

  function slug(text) {
    return String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  }

  function localDate(d) {
    function pad(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  /* `<form>-<family>-<date>.json`; an encrypted file leaves the family out
     of its name, since a file name is never encrypted. */
  function fileName(formId, label, date, encrypted) {
    var parts = [formId];
    if (encrypted) parts.push(W.file_encrypted_suffix || 'encrypted');
    else if (slug(label)) parts.push(slug(label));
    parts.push(localDate(date));
    return parts.join('-') + '.json';
  }

  function download(name, text) {
    var blob = new Blob([text], { type: 'application/json' });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  /* Depth of nested arrays and objects, without recursion. */
  function tooDeep(value, limit) {
    var stack = [[value, 1]];
    while (stack.length) {
      var top = stack.pop();
      var v = top[0];
      if (v === null || typeof v !== 'object') continue;
      if (top[1] > limit) return true;
      var children = Array.isArray(v) ? v : Object.keys(v).map(function (k) { return v[k]; });
      for (var i = 0; i < children.length; i++) stack.push([children[i], top[1] + 1]);
    }
    return false;
  }

  /* Reads the text of a file: JSON, not too deep, shaped like an answers
     file or an encrypted one. { json } or a problem code. */
  function readJson(text) {
    if (text.length > LIMITS.fileBytes) return { problem: 'too_big' };
    var json;
    try { json = JSON.parse(text); } catch (e) { return { problem: 'not_answers' }; }
    if (tooDeep(json, LIMITS.depth)) return { problem: 'too_deep' };
    if (isEncryptedFile(json)) return { encrypted: json };
    if (!isObject(json) || typeof json.form !== 'string' || !isObject(json.answers)) return { problem: 'not_answers' };
    return { file: json };
  }

  /* ------------------------------------------- JSON Schema, as published */

  /* The keywords the handbook's answers schemas use (forms.rs,
     answers_schema), checked the way the JSON Schema 2020-12 spec and ajv
     with ajv-formats do. Written here because the page can load no library;
     the browser tests check every download with ajv itself. A keyword this
     does not know fails the check rather than being passed over. */
  var ANNOTATIONS = ['$schema', '$id', 'title', 'description', '$comment'];

  /* ajv-formats' "full" email pattern; the schema caps emails at 320
     characters, and the length is checked first, so it cannot run long. */
  var EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

  function isDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    var y = +m[1];
    var mo = +m[2];
    var d = +m[3];
    var days = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1];
  }

  function isDateTime(s) {
    var m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
    return !!m && isDate(m[1]) && +m[2] < 24 && +m[3] < 60 && +m[4] < 61;
  }

  var FORMATS = { date: isDate, 'date-time': isDateTime, email: function (s) { return s.length <= 320 && EMAIL.test(s); } };

  function typeOf(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    return typeof v;
  }

  function typeMatches(t, v) {
    if (t === 'integer') return typeof v === 'number' && Math.floor(v) === v && isFinite(v);
    if (t === 'number') return typeof v === 'number' && isFinite(v);
    return typeOf(v) === t;
  }

  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
      else { n++; i++; }
    }
    return n;
  }

  /* Problems with `value` against `schema`, each { path, keyword }. */
  function validate(schema, value, path) {
    var out = [];
    path = path || '';
    function fail(keyword, at) { out.push({ path: at === undefined ? path : at, keyword: keyword }); }
    if (!isObject(schema)) { fail('schema'); return out; }
    Object.keys(schema).forEach(function (k) {
      if (ANNOTATIONS.indexOf(k) >= 0) return;
      var s = schema[k];
      switch (k) {
        case 'type':
          if (![].concat(s).some(function (t) { return typeMatches(t, value); })) fail('type');
          break;
        case 'const':
          if (JSON.stringify(s) !== JSON.stringify(value)) fail('const');
          break;
        case 'anyOf':
          if (!s.some(function (sub) { return validate(sub, value, path).length === 0; })) fail('anyOf');
          break;
        case 'oneOf':
          if (s.filter(function (sub) { return validate(sub, value, path).length === 0; }).length !== 1) fail('oneOf');
          break;
        case 'format':
          if (typeof value === 'string' && (!has(FORMATS, s) || !FORMATS[s](value))) fail('format');
          break;
        case 'minimum':
          if (typeof value === 'number' && value < s) fail('minimum');
          break;
        case 'maximum':
          if (typeof value === 'number' && value > s) fail('maximum');
          break;
        case 'maxLength':
          if (typeof value === 'string' && value.length > s && codePoints(value) > s) fail('maxLength');
          break;
        case 'pattern':
          /* The form's own schema only (row ids): never a pattern from a file. */
          if (typeof value === 'string' && !new RegExp(s, 'u').test(value)) fail('pattern');
          break;
        case 'maxItems':
          if (Array.isArray(value) && value.length > s) fail('maxItems');
          break;
        case 'uniqueItems':
          if (s && Array.isArray(value)) {
            var seen = {};
            value.forEach(function (v) {
              var key = JSON.stringify(v);
              if (has(seen, key)) fail('uniqueItems');
              seen[key] = true;
            });
          }
          break;
        case 'items':
          if (Array.isArray(value)) value.forEach(function (v, i) { out.push.apply(out, validate(s, v, path + '/' + i)); });
          break;
        case 'required':
          if (isObject(value)) s.forEach(function (key) { if (!has(value, key)) fail('required', path + '/' + key); });
          break;
        case 'properties':
          if (isObject(value)) {
            Object.keys(value).forEach(function (key) {
              if (has(s, key)) out.push.apply(out, validate(s[key], value[key], path + '/' + key));
            });
          }
          break;
        case 'additionalProperties':
          if (s === false && isObject(value)) {
            Object.keys(value).forEach(function (key) {
              if (!schema.properties || !has(schema.properties, key)) fail('additionalProperties', path + '/' + key);
            });
          } else if (s !== true && s !== false) {
            fail('schema');
          }
          break;
        default:
          fail('schema');
      }
    });
    return out;
  }

  /* ------------------------------------------------- the passphrase box */

  /* The one place a passphrase is typed: the dialog in drafts-parts.html.
     `mode` is 'new' (choose one for drafts), 'unlock', 'file_new' (for an
     encrypted download) or 'file_open'. `use(passphrase)` does the work and
     may reject with 'wrong', which is said in the dialog; the promise
     resolves with use's result, or null if the dialog was cancelled. The
     boxes are emptied as soon as the passphrase is read. */
  function ask(mode, detail, use) {
    var dialog = document.getElementById('passphrase-dialog');
    if (!dialog || typeof dialog.showModal !== 'function') return Promise.reject(problem('no_dialog'));
    var form = dialog.querySelector('form');
    var first = dialog.querySelector('.passphrase-input');
    var again = dialog.querySelector('.passphrase-again');
    var againGroup = dialog.querySelector('.passphrase-again-group');
    var error = dialog.querySelector('.passphrase-error');
    var submit = dialog.querySelector('.passphrase-submit');
    var busy = dialog.querySelector('.passphrase-busy');
    var choosing = mode === 'new' || mode === 'file_new';
    dialog.querySelector('.passphrase-title').textContent = W['title_' + mode] || '';
    dialog.querySelector('.passphrase-intro').textContent = fill(W['intro_' + mode] || '', detail);
    dialog.querySelector('.passphrase-hint').textContent = choosing ? fill(W.hint_new, { min: MIN_PASSPHRASE }) : '';
    dialog.querySelector('.passphrase-hint').hidden = !choosing;
    submit.textContent = W['submit_' + mode] || '';
    first.setAttribute('autocomplete', choosing ? 'new-password' : 'current-password');
    againGroup.hidden = !choosing;
    dialog.querySelector('.passphrase-forgot').hidden = mode !== 'unlock';
    function clearError() {
      error.textContent = '';
      error.hidden = true;
      [first, again].forEach(function (i) { i.classList.remove('input--error'); i.removeAttribute('aria-invalid'); });
    }
    function showError(text, input) {
      error.textContent = '';
      var hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = W.error_prefix || '';
      error.appendChild(hidden);
      error.appendChild(document.createTextNode(text));
      error.hidden = false;
      input.classList.add('input--error');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    first.value = '';
    again.value = '';
    clearError();
    busy.textContent = '';
    return new Promise(function (resolve) {
      var working = false;
      function finish(result) {
        form.removeEventListener('submit', onSubmit);
        dialog.removeEventListener('close', onClose);
        dialog.removeEventListener('cancel', onCancel);
        first.value = '';
        again.value = '';
        if (dialog.open) dialog.close();
        resolve(result);
      }
      function onClose() { if (!working) finish(null); }
      /* Escape while the passphrase is being worked on would lose the answer to it. */
      function onCancel(event) { if (working) event.preventDefault(); }
      function onSubmit(event) {
        event.preventDefault();
        if (working) return;
        if (event.submitter && event.submitter.value === 'cancel') { finish(null); return; }
        clearError();
        var passphrase = first.value;
        var problemCode = choosing ? checkNew(passphrase, again.value) : (passphrase ? null : 'empty');
        if (problemCode) {
          showError(fill(W['error_' + problemCode], { min: MIN_PASSPHRASE }), problemCode === 'mismatch' ? again : first);
          return;
        }
        first.value = '';
        again.value = '';
        working = true;
        submit.disabled = true;
        busy.textContent = W.busy || '';
        Promise.resolve().then(function () { return use(passphrase); }).then(function (result) {
          working = false;
          submit.disabled = false;
          finish(result);
        }, function (e) {
          working = false;
          submit.disabled = false;
          busy.textContent = '';
          var code = e && e.code ? e.code : 'failed';
          showError(W['error_' + code] || W.error_failed, first);
        });
      }
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('close', onClose);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      first.focus();
    });
  }

  /* Asks for the drafts' passphrase if it is not known yet. Resolves true once drafts can be saved. */
  function ensureOpen() {
    var s;
    try { s = state(); } catch (e) { return Promise.reject(e); }
    if (s === 'open') return Promise.resolve(true);
    return ask(s === 'new' ? 'new' : 'unlock', {}, function (passphrase) {
      return (s === 'new' ? setPassphrase(passphrase) : unlock(passphrase)).then(function () { return true; });
    }).then(function (r) { return !!r; });
  }

  window.HandbookDrafts = {
    words: W, fill: fill, config: CONFIG, limits: LIMITS,
    list: list, exists: exists, remove: remove, removeAll: removeAll, expire: expire, expiresOn: expiresOn, newId: newId, isId: isId,
    legacy: legacy, removeLegacy: removeLegacy,
    state: state, lock: lock, unlocked: unlocked, ensureOpen: ensureOpen, ask: ask,
    save: save, open: open, openAll: openAll,
    readJson: readJson, isEncryptedFile: isEncryptedFile, encryptFile: encryptFile, decryptFile: decryptFile,
    fileName: fileName, download: download, validate: validate, formats: FORMATS, toArray: toArray,
  };
})();
