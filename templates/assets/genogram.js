/* Genograms: the family diagram a practitioner would otherwise draw by hand,
   made from a list of people (the household rows of a form).

   One classic script (no modules) so it runs from file:// under the page's
   Content-Security-Policy. It never makes a network request, never writes
   HTML from data (every element is made with createElementNS/createElement
   and every text with textContent), and shows no word of its own: every word
   comes from the page's <script type="application/json" class="hb-text"
   data-for="genogram"> block (keys listed under WORDS below).

   ------------------------------------------------------------------ BOUNDARY
   The engine knows nothing about forms. The forms code gives it people and
   asks it to draw; the answers file keeps only the rows.

   window.HandbookGenogram = {
     layout(people, options)    -> pure: positioned symbols and lines (no DOM)
     describe(people, words, options) -> pure: the diagram in words
                                   (options.layout: that layout, to say when lines cross)
     render(container, people, options) -> draws into a .genogram container
     fromRows(rows)             -> pure: household rows -> people
     provide(name, fn)          -> registers fn() returning people for every
                                   [data-genogram-for="name"] container, and draws
     refresh(name)              -> draws those containers again (call it on
                                   every input/change in the rows)
   }
   In Node, require() gives the same object (for the layout property tests).

   A person (every field optional except id; unknown values are ignored):
     { id: "p1",                 stable id of the row (references use it)
       name: "Kerry Jones",
       sex: "female" | "male" | "not_known" | "not_said",
       born: "2010-04-02"        ISO date (or "2010-04", "2010"); a date after
                                 `today` is a due date: an unborn baby
       age: 15,                  used when `born` is not given; for someone
                                 who has died, the age they died at
       died: true, died_on: "2019-11-30", died_age: 71,
       in_household: true | false,
       subject: true,            the child (or children) the assessment is about
       mother: "p2", father: "p3",          ids of other people
       partners: [{ id: "p4", status: "together" | "separated" | "divorced" }],
       relations: [{ id: "p5", quality: "close" | "distant" | "conflict" | "cut_off" }],
       mother_of: ["p6"], father_of: ["p6"] the same links given from the
                                 parent's side (the child's own mother/father win) }
   Partners and relations may be given on either person or both.

   Household rows (fromRows), one object per row of the repeat, values as the
   answers file holds them ("yes"/"no" for yes/no questions):
     member_id, member_name, member_sex, member_dob, member_age, member_died,
     member_died_age, member_in_household, member_subject, member_mother,
     member_father, member_partner + member_partner_status,
     member_partner_2 + member_partner_2_status,
     member_relation + member_relation_quality,
     member_relation_2 + member_relation_2_quality
   (or member_partners: [{partner, status}] and member_relations:
   [{person, quality}] as nested rows). member_id must be stable: generated
   once when the row is added and kept in the answers file, because the
   relationship pickers store it.

   Container markup (the page gives the words; the script fills the drawing
   and the words list, and sets data-state="filled" or "empty"):
     <div class="genogram" data-genogram-for="household_members"
          data-today="2025-06-01" data-heading-level="3">
       <p class="genogram-empty">...</p>          screen, when nobody is listed
       <div class="genogram-drawing"></div>       the SVG (made if missing)
       <div class="genogram-blank"><p>Draw the family here</p></div>  print, empty
       <div class="genogram-key">...</div>         static key (see genogram.css)
       <div class="genogram-words"></div>          the text alternative
     </div>

   layout() returns { width, height, crossings (0 unless lines had to cross),
     rows: {generation: [ids left to right]}, problems: [{code, ...}],
     people: [{id, name, x, y, shape: square|circle|diamond|triangle, subject,
               died, unborn, inHousehold, lines: [label lines], box}],
     couples: [{a, b, status, path: [[x, y]...], marks: [{x, y}]}],
     children: [{parents: [ids], descent, bar, drops: [{child, path}]}],
     relations: [{a, b, quality, lines: [[[x, y]...]]}],
     household: {d: SVG path, rects} or null }.
   The SVG marks the same structure for tests and styling: .genogram-person
   [data-id][data-shape], .genogram-couple[data-a][data-b][data-status] with
   .genogram-mark slashes, .genogram-children[data-parents] with
   .genogram-drop[data-child], .genogram-relation[data-quality],
   .genogram-household.

   ---------------------------------------------------------------------- WORDS
   title, words_heading, notes_heading, summary ({people}, {household}),
   people, household_count, unnamed ({number}), age, age_months, died,
   died_aged, due ({date}), unborn ({date}), months (12 names: the
   handbook adds [dates] months), sex_female,
   sex_male, sex_not_known, sex_not_said, subject, in_household,
   not_in_household, mother_of, father_of, parent_of ({names}),
   mother_of_with, father_of_with, parent_of_with ({names}, {other}),
   daughter_of, son_of, child_of, partner_together, partner_separated,
   partner_divorced ({name}), rel_close, rel_distant, rel_conflict,
   rel_cut_off ({names}), person, person_no_relations, person_no_facts,
   person_name_only ({name}, {facts}, {relations}), fact_separator,
   relation_separator, list_and ({first}, {last}), list_and_before_vowel
   (the same, used when {last} starts with a vowel: Welsh "ac"), list_comma, role_mother,
   role_father, role_partner, role_relation, role_mother_of, role_father_of,
   status_*, quality_*, and problem_crossing, problem_not_person,
   problem_duplicate, problem_missing, problem_own_parent, problem_own_partner,
   problem_own_relation, problem_same_parents, problem_cycle,
   problem_two_mothers, problem_two_fathers, problem_generation,
   problem_status_conflict, problem_quality_conflict. A value may be an
   object of plural forms ({"one": ..., "other": ...}) for {count}.
   The handbook writes them from templates/lang/<lang>.toml's [script.genogram]
   ({{ words(of="genogram") }} in form-genogram.html);
   tests/fixtures/genogram/index.html holds the English set.

   ---------------------------------------------------------------- CONVENTIONS
   McGoldrick and Gerson's: square male, circle female, diamond when sex is
   not known, not given or the person prefers not to say (the drawing never
   guesses); a triangle for an unborn baby (a date of birth after today);
   a double outline for the child the assessment is about; an X through the
   symbol of someone who has died; couples joined by a line below their
   symbols (one slash separated, two divorced); children hanging from their
   parents' line, oldest on the left; twins (same date of birth) from one
   point; relationships: close two parallel lines, distant dotted, conflict
   zigzag, cut off a line broken between two bars; a dashed line round the
   people who live in the household.

   -------------------------------------------------------------------- LAYOUT
   Generations come from parent links (partners share a generation; a person
   with no parents sits with their partner or above their children). Each
   group of partners ("chain") is drawn side by side: someone with two
   partners sits between them, and an earlier partnership goes on the left.
   Children hang from their parents' line in birth order; a child whose
   partner's own family is drawn moves to the end of their brothers and
   sisters nearest that family (the words keep the true order), which is what
   keeps lines from crossing. The order of people in each row is searched
   (which way round each chain goes, which grandparents are at the top) to
   avoid crossings, then positions are solved as a small quadratic programme
   (children centred under their parents, couples close) under separation
   constraints, so that no symbols or labels ever overlap and no family line
   passes through anyone's symbol or label. "Crossing" means two segments of
   different families' lines (a couple's line, the line down to their
   children, the children's bar and drops) coming within a unit of each other.
   There is none for any family where nobody has more than two partners,
   nobody is related by two routes, at most two people in a group of partners
   have their parents drawn, and at most two of a couple's children marry into
   a drawn family, from the first or last union of their parents' group with
   children (tests/browser/genogram-families.js inClass() states it exactly,
   and the property test checks it). Outside it some lines must cross
   whatever the order (a man between two partners whose parents are all
   drawn, and who has a brother): the layout reports `crossings` and the
   words say so. Relationship lines (close, conflict...) are not part of that
   promise: they bend round symbols where they can, and a white card behind
   each label keeps it legible where one passes. */
(function (root) {
  'use strict';

  /* ------------------------------------------------------------- constants */

  var R = 16;            // half the size of a symbol
  var FONT = 11;         // label font size (user units)
  var LINE = 13;         // label line height
  var LEG = 7;           // couple line: this far below the symbols
  var GAP_ROW = 18;      // between label boxes in a row
  var M_DESC = 6;        // a children's line keeps this far from the labels
  var GAP_BAR = 14;      // between the lines of two families of children
  var PAD = 5;           // household outline, round each person
  var MARGIN = 14;
  var NAME_CHARS = 15;   // wrap names at about this many characters

  var STATUSES = { together: 1, separated: 1, divorced: 1 };
  var QUALITIES = { close: 1, distant: 1, conflict: 1, cut_off: 1 };

  /* ----------------------------------------------------------------- small */

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function str(v) { return v === null || v === undefined ? '' : String(v).trim(); }
  function yes(v) { return v === true || v === 'yes' || v === 'true' || v === 1; }
  function no(v) { return v === false || v === 'no' || v === 'false' || v === 0; }

  /* A whole number of years, 0 to 130, or null. */
  function num(v) {
    var n = typeof v === 'number' ? v : /^\d{1,3}(\.\d+)?$/.test(str(v)) ? parseFloat(str(v)) : NaN;
    return isFinite(n) && n >= 0 && n <= 130 ? Math.floor(n) : null;
  }

  /* "2010-04-02", "2010-04" or "2010" -> {y, m, d} (m, d may be null). */
  function parseDate(v) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(str(v));
    if (!m) return null;
    var d = { y: +m[1], m: m[2] ? +m[2] : null, d: m[3] ? +m[3] : null };
    if (d.m !== null && (d.m < 1 || d.m > 12)) return null;
    if (d.d !== null && (d.d < 1 || d.d > 31)) return null;
    return d;
  }

  function dateKey(d) { return d.y * 10000 + (d.m || 6) * 100 + (d.d || 15); }

  function yearsBetween(a, b) {
    var y = b.y - a.y;
    if (a.m !== null && b.m !== null) {
      if (b.m < a.m || (b.m === a.m && a.d !== null && b.d !== null && b.d < a.d)) y -= 1;
    }
    return y;
  }

  function monthsBetween(a, b) {
    var m = (b.y - a.y) * 12 + ((b.m || 1) - (a.m || 1));
    if (a.d !== null && b.d !== null && b.d < a.d) m -= 1;
    return m;
  }

  function todayParts(v) {
    var d = parseDate(v);
    if (d && d.m && d.d) return d;
    var now = new Date();
    return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
  }

  /* ----------------------------------------------------------------- words */

  /* The page's words, and the plural and list rules of its language. */
  var pluralRules = {};
  function Speaker(words, lang) {
    this.w = isObj(words) ? words : {};
    this.lang = lang || 'en';
    if (!has(pluralRules, this.lang)) {
      try { pluralRules[this.lang] = new Intl.PluralRules(this.lang); } catch (e) { pluralRules[this.lang] = null; }
    }
    this.plural = pluralRules[this.lang];
  }
  Speaker.prototype.get = function (key, count) {
    var v = this.w[key];
    if (isObj(v)) {
      var cat = 'other';
      if (count !== undefined && this.plural) cat = this.plural.select(count);
      v = has(v, cat) ? v[cat] : v.other;
    }
    return typeof v === 'string' ? v : null;
  };
  /* fill('age', {count: 3}) -> "age 3"; a missing key gives the values alone. */
  Speaker.prototype.fill = function (key, values) {
    values = values || {};
    var t = this.get(key, values.count);
    if (t === null) {
      return Object.keys(values).map(function (k) { return String(values[k]); }).join(' ');
    }
    return t.replace(/\{(\w+)\}/g, function (all, k) { return has(values, k) ? String(values[k]) : all; });
  };
  Speaker.prototype.list = function (items) {
    items = items.filter(function (s) { return s; });
    if (items.length < 2) return items.join('');
    var last = items[items.length - 1];
    var and = (/^[aeiouy\u00e0\u00e1\u00e2\u00e4\u00e8\u00e9\u00ea\u00eb\u00ec\u00ed\u00ee\u00ef\u00f2\u00f3\u00f4\u00f6\u00f9\u00fa\u00fb\u00fc\u00fd\u00ff\u0175\u0177]/i.test(last) && this.get('list_and_before_vowel')) || this.get('list_and');
    if (and !== null) {
      var comma = this.get('list_comma');
      if (comma === null) comma = ', ';
      return and.replace('{first}', items.slice(0, -1).join(comma)).replace('{last}', last);
    }
    try { return new Intl.ListFormat(this.lang, { type: 'conjunction' }).format(items); } catch (e) { return items.join(', '); }
  };
  Speaker.prototype.month = function (m) {
    var months = this.w.months;
    return Array.isArray(months) && months[m - 1] ? String(months[m - 1]) : String(m);
  };

  /* ------------------------------------------------------------- the model */

  /* Reads the people, repairs what it can and records every problem, so that
     the layout only ever sees consistent links. */
  function buildModel(people, today) {
    var problems = [];
    var list = Array.isArray(people) ? people : [];
    var persons = [];
    var byId = {};
    var t = todayParts(today);

    list.forEach(function (raw, index) {
      if (!isObj(raw)) { problems.push({ code: 'not_person', index: index }); return; }
      var id = str(raw.id);
      if (!id) id = '#' + (index + 1);
      if (has(byId, id)) {
        var newId = id;
        var n = 2;
        while (has(byId, newId)) newId = id + '~' + (n++);
        problems.push({ code: 'duplicate', id: id, a: byId[id].id, b: newId });
        id = newId;
      }
      var p = {
        id: id, index: persons.length, raw: raw,
        name: str(raw.name), sex: null, born: null, age: null, unborn: false,
        died: yes(raw.died), diedAge: null, diedOn: parseDate(raw.died_on),
        inHousehold: yes(raw.in_household) ? true : no(raw.in_household) ? false : null,
        subject: yes(raw.subject),
        mother: null, father: null, partners: [], relations: [],
      };
      var sex = str(raw.sex).toLowerCase();
      if (sex === 'female' || sex === 'male') p.sex = sex;
      else if (sex === 'not_known' || sex === 'unknown') p.sex = 'not_known';
      else if (sex === 'not_said' || sex === 'prefer_not_to_say') p.sex = 'not_said';
      p.born = parseDate(raw.born);
      if (p.born && dateKey(p.born) > dateKey(t) && !p.died) p.unborn = true;
      var age = num(raw.age);
      if (p.died) {
        p.diedAge = num(raw.died_age);
        if (p.diedAge === null && p.born && p.diedOn) p.diedAge = yearsBetween(p.born, p.diedOn);
        if (p.diedAge === null && !p.born && age !== null) p.diedAge = age;
      } else if (!p.born && age !== null) {
        p.age = age;
      }
      persons.push(p);
      byId[id] = p;
    });

    function ref(p, v, role) {
      var id = str(v);
      if (!id) return null;
      if (!has(byId, id)) { problems.push({ code: 'missing', a: p.id, role: role }); return null; }
      if (id === p.id) { problems.push({ code: role === 'partner' ? 'own_partner' : role === 'relation' ? 'own_relation' : 'own_parent', a: p.id }); return null; }
      return id;
    }

    persons.forEach(function (p) {
      p.mother = ref(p, p.raw.mother, 'mother');
      p.father = ref(p, p.raw.father, 'father');
    });
    /* Links given from the parent's side fill in; the child's own row wins. */
    persons.forEach(function (p) {
      [['mother_of', 'mother'], ['father_of', 'father']].forEach(function (pair) {
        var kids = p.raw[pair[0]];
        if (!Array.isArray(kids)) return;
        kids.forEach(function (k) {
          var kid = ref(p, k, pair[0]);
          if (kid === null) return;
          var c = byId[kid];
          if (c[pair[1]] === null) c[pair[1]] = p.id;
          else if (c[pair[1]] !== p.id) problems.push({ code: 'two_' + pair[1] + 's', a: p.id, b: kid, c: c[pair[1]] });
        });
      });
      if (p.mother !== null && p.mother === p.father) {
        problems.push({ code: 'same_parents', a: p.id, b: p.mother });
        p.father = null;
      }
    });

    /* Parent links that go round in a circle: the link that closes it goes. */
    var state = {};
    persons.forEach(function (start) {
      if (state[start.id]) return;
      var stack = [{ p: start, i: 0 }];
      state[start.id] = 1;
      while (stack.length) {
        var top = stack[stack.length - 1];
        var roles = ['mother', 'father'];
        if (top.i >= roles.length) { state[top.p.id] = 2; stack.pop(); continue; }
        var role = roles[top.i++];
        var pid = top.p[role];
        if (pid === null) continue;
        if (state[pid] === 1) {
          problems.push({ code: 'cycle', a: top.p.id, b: pid });
          top.p[role] = null;
        } else if (!state[pid]) {
          state[pid] = 1;
          stack.push({ p: byId[pid], i: 0 });
        }
      }
    });

    /* Partners and relations, from either side, once per pair. */
    var pairs = {};
    var rels = {};
    function pairKey(a, b) { return a < b ? a + '\u0000' + b : b + '\u0000' + a; }
    persons.forEach(function (p) {
      (Array.isArray(p.raw.partners) ? p.raw.partners : []).forEach(function (l) {
        if (!isObj(l)) return;
        var o = ref(p, l.id, 'partner');
        if (o === null) return;
        var s = STATUSES[str(l.status)] ? str(l.status) : null;
        var k = pairKey(p.id, o);
        if (!has(pairs, k)) pairs[k] = { a: p.id, b: o, status: s, explicit: true };
        else if (s && pairs[k].status && pairs[k].status !== s) problems.push({ code: 'status_conflict', a: pairs[k].a, b: pairs[k].b, status: pairs[k].status });
        else if (s && !pairs[k].status) pairs[k].status = s;
      });
      (Array.isArray(p.raw.relations) ? p.raw.relations : []).forEach(function (l) {
        if (!isObj(l)) return;
        var o = ref(p, l.id, 'relation');
        var q = str(l.quality);
        if (o === null || !QUALITIES[q]) return;
        var k = pairKey(p.id, o);
        if (!has(rels, k)) rels[k] = { a: p.id, b: o, quality: q };
        else if (rels[k].quality !== q) problems.push({ code: 'quality_conflict', a: rels[k].a, b: rels[k].b, quality: rels[k].quality });
      });
    });
    /* The two parents of a child are drawn as a couple even when not listed as partners. */
    persons.forEach(function (p) {
      if (p.mother !== null && p.father !== null) {
        var k = pairKey(p.mother, p.father);
        if (!has(pairs, k)) pairs[k] = { a: p.mother, b: p.father, status: null, explicit: false };
      }
    });
    var couples = Object.keys(pairs).map(function (k) { return pairs[k]; });
    couples.forEach(function (c) {
      byId[c.a].partners.push(c);
      byId[c.b].partners.push(c);
    });
    var relations = Object.keys(rels).map(function (k) { return rels[k]; });

    return { persons: persons, byId: byId, couples: couples, relations: relations, problems: problems, today: t };
  }

  /* --------------------------------------------------- generations, chains */

  function structure(model) {
    var persons = model.persons;
    var byId = model.byId;
    /* Chains: people joined by partnerships (union-find). */
    var parent = {};
    function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
    persons.forEach(function (p) { parent[p.id] = p.id; });
    model.couples.forEach(function (c) {
      var a = find(c.a), b = find(c.b);
      if (a !== b) parent[b] = a;
    });
    var chainOf = {};
    var chains = [];
    persons.forEach(function (p) {
      var r = find(p.id);
      if (!has(chainOf, r)) { chainOf[r] = { id: chains.length, members: [], couples: [], unions: [], level: null }; chains.push(chainOf[r]); }
      chainOf[r].members.push(p.id);
      p.chain = chainOf[r];
    });
    model.couples.forEach(function (c) { byId[c.a].chain.couples.push(c); });
    model.chains = chains;

    /* Levels: breadth first over chains; a parent link that disagrees with
       the levels already given is not drawn (and is reported). */
    var links = [];
    persons.forEach(function (p) {
      ['mother', 'father'].forEach(function (role) {
        if (p[role] !== null) links.push({ child: p.id, parent: p[role], role: role, drawn: true });
      });
    });
    var adj = chains.map(function () { return []; });
    links.forEach(function (l) {
      var up = byId[l.parent].chain.id, down = byId[l.child].chain.id;
      adj[up].push({ to: down, d: 1, link: l });
      adj[down].push({ to: up, d: -1, link: l });
    });
    var components = [];
    chains.forEach(function (c) {
      if (c.level !== null) return;
      var comp = { chains: [], index: components.length };
      components.push(comp);
      c.level = 0;
      var queue = [c];
      while (queue.length) {
        var cur = queue.shift();
        cur.component = comp;
        comp.chains.push(cur);
        adj[cur.id].forEach(function (e) {
          var other = chains[e.to];
          if (other.level === null) { other.level = cur.level + e.d; queue.push(other); }
        });
      }
    });
    links.forEach(function (l) {
      var up = byId[l.parent].chain, down = byId[l.child].chain;
      if (down.level !== up.level + 1) {
        l.drawn = false;
        model.problems.push({ code: 'generation', a: l.child, b: l.parent, role: l.role });
      }
    });
    model.links = links;

    /* Line up the generations of separate groups (a lodger, a friend): by
       years of birth where both have them, else top to top. */
    function meanYear(comp) {
      var byLevel = {};
      comp.chains.forEach(function (c) {
        c.members.forEach(function (id) {
          var p = byId[id];
          var y = p.born ? p.born.y : p.age !== null ? model.today.y - p.age : null;
          if (y === null) return;
          (byLevel[c.level] = byLevel[c.level] || []).push(y);
        });
      });
      return byLevel;
    }
    components.forEach(function (comp) {
      var min = Infinity;
      comp.chains.forEach(function (c) { min = Math.min(min, c.level); });
      comp.chains.forEach(function (c) { c.level -= min; });
      comp.size = comp.chains.reduce(function (n, c) { return n + c.members.length; }, 0);
      comp.subject = comp.chains.some(function (c) { return c.members.some(function (id) { return byId[id].subject; }); });
    });
    components.sort(function (a, b) { return (b.subject - a.subject) || (b.size - a.size) || (a.index - b.index); });
    var main = components[0];
    if (main) {
      var mainYears = meanYear(main);
      components.slice(1).forEach(function (comp) {
        var years = meanYear(comp);
        var best = 0, bestCost = Infinity;
        for (var off = -3; off <= 4; off++) {
          var cost = 0, n = 0;
          Object.keys(years).forEach(function (lv) {
            var target = mainYears[+lv + off];
            if (!target) return;
            var a = years[lv].reduce(function (s, y) { return s + y; }, 0) / years[lv].length;
            var b = target.reduce(function (s, y) { return s + y; }, 0) / target.length;
            cost += Math.abs(a - b); n++;
          });
          if (n && cost / n < bestCost) { bestCost = cost / n; best = off; }
        }
        if (bestCost === Infinity) best = 0;
        comp.chains.forEach(function (c) { c.level += best; });
      });
      var lo = Infinity;
      chains.forEach(function (c) { lo = Math.min(lo, c.level); });
      chains.forEach(function (c) { c.level -= lo; });
    }
    model.components = components;
    persons.forEach(function (p) { p.level = p.chain.level; });

    /* Unions: a couple, or one parent, and the children drawn from them. */
    var unions = [];
    var unionByKey = {};
    function unionFor(a, b, couple) {
      var key = b === null ? a : (a < b ? a + '\u0000' + b : b + '\u0000' + a);
      if (!has(unionByKey, key)) {
        var u = { id: 'u' + unions.length, a: a, b: b, couple: couple || null, kids: [] };
        unions.push(u);
        unionByKey[key] = u;
        byId[a].chain.unions.push(u);
      }
      return unionByKey[key];
    }
    model.couples.forEach(function (c) { unionFor(c.a, c.b, c); });
    persons.forEach(function (p) {
      p.birthUnion = null;
      var m = null, f = null;
      links.forEach(function (l) {
        if (l.child !== p.id || !l.drawn) return;
        if (l.role === 'mother') m = l.parent; else f = l.parent;
      });
      if (m === null && f === null) return;
      var u = m !== null && f !== null ? unionFor(m, f) : unionFor(m !== null ? m : f, null);
      u.kids.push(p.id);
      p.birthUnion = u;
    });
    model.unionById = {};
    unions.forEach(function (u) { model.unionById[u.id] = u; });
    unions.forEach(function (u) { u.kids = birthOrder(u.kids.map(function (id) { return byId[id]; })).map(function (p) { return p.id; }); });
    model.unions = unions;

    /* A default order for each chain: a path where it can be. */
    chains.forEach(function (c) { c.order = chainOrder(c, byId); });
  }

  /* Oldest first; someone with no date keeps their place after the one before them in the list. */
  function birthOrder(kids) {
    var last = -Infinity;
    var keyed = kids.slice().sort(function (a, b) { return a.index - b.index; }).map(function (p) {
      var k = null;
      if (p.born) k = dateKey(p.born);
      else if (p.age !== null) k = -p.age * 10000 + 99999999;
      if (k !== null) last = k;
      return { p: p, k: k !== null ? k : last };
    });
    /* An age alone is compared through a year of birth. */
    keyed.sort(function (a, b) { return (a.k - b.k) || (a.p.index - b.p.index); });
    return keyed.map(function (x) { return x.p; });
  }

  function chainOrder(chain, byId) {
    var m = chain.members;
    if (m.length === 1) return m.slice();
    var nb = {};
    m.forEach(function (id) { nb[id] = []; });
    chain.couples.forEach(function (c) { nb[c.a].push(c.b); nb[c.b].push(c.a); });
    var start = m.slice().sort(function (a, b) { return (nb[a].length - nb[b].length) || (byId[a].index - byId[b].index); })[0];
    var seen = {};
    var out = [];
    (function walk(id) {
      var stack = [id];
      while (stack.length) {
        var x = stack.pop();
        if (seen[x]) continue;
        seen[x] = true;
        out.push(x);
        nb[x].slice().sort(function (a, b) { return (nb[b].length - nb[a].length) || (byId[b].index - byId[a].index); }).forEach(function (y) { if (!seen[y]) stack.push(y); });
      }
    })(start);
    return out;
  }

  /* ------------------------------------------------- arranging the rows */

  function arrange(model, choice) {
    var byId = model.byId;
    var placed = {};
    var chainPlaced = {};
    var sibOrder = {};

    function members(chain) {
      var o = chain.order.slice();
      return choice.flip[chain.id] ? o.reverse() : o;
    }
    function slotsOf(chain, mem) {
      var pos = {};
      mem.forEach(function (id, i) { pos[id] = i; });
      return chain.unions.filter(function (u) { return u.kids.length; }).map(function (u) {
        var key;
        if (u.b === null) key = pos[u.a] * 2;
        else {
          var lo = Math.min(pos[u.a], pos[u.b]), hi = Math.max(pos[u.a], pos[u.b]);
          key = hi - lo === 1 ? 2 * lo + 1 : 2 * hi - 0.5;
        }
        return { u: u, key: key };
      }).sort(function (a, b) { return a.key - b.key; }).map(function (x) { return x.u; });
    }
    function put(target, level, items) {
      if (!items.length) return;
      target[level] = (target[level] || []).concat(items);
    }
    function levelsOf(objs) {
      var s = {};
      objs.forEach(function (o) { Object.keys(o).forEach(function (k) { s[k] = true; }); });
      return Object.keys(s).map(Number).sort(function (a, b) { return a - b; });
    }
    function nonEmpty(o) { return Object.keys(o).some(function (k) { return o[k].length; }); }
    function above(o, level) { return Object.keys(o).some(function (k) { return +k < level && o[k].length; }); }
    function cat(blocks, part, level) {
      var out = [];
      blocks.forEach(function (b) { if (b[part][level]) out = out.concat(b[part][level]); });
      return out;
    }

    function place(chain, mem) {
      chainPlaced[chain.id] = true;
      mem.forEach(function (id) { placed[id] = true; });
    }

    /* The children of one union, each with everything hanging from them. */
    function sibship(u, innerEnd) {
      var blocks = [];
      u.kids.forEach(function (k) {
        if (placed[k] || chainPlaced[byId[k].chain.id]) return;
        var b = dblock(k, byId[k].chain);
        blocks.push({ k: k, b: b, exL: nonEmpty(b.left), exR: nonEmpty(b.right) });
      });
      var first = blocks.filter(function (x) { return x.exL; });
      var middle = blocks.filter(function (x) { return !x.exL && !x.exR; });
      var last = blocks.filter(function (x) { return x.exR && !x.exL; });
      var ordered = first.concat(middle, last);
      var ids = ordered.map(function (x) { return x.k; });
      var excluded = u.kids.filter(function (k) { return ids.indexOf(k) < 0; });
      sibOrder[u.id] = innerEnd === 'left' ? excluded.concat(ids) : ids.concat(excluded);
      var out = { main: {}, left: {}, right: {} };
      ordered.forEach(function (x) {
        ['main', 'left', 'right'].forEach(function (part) {
          Object.keys(x.b[part]).forEach(function (lv) { put(out[part], +lv, x.b[part][lv]); });
        });
      });
      return out;
    }

    /* Lists per level for a chain at level L with its children's groups and
       the families of in-laws on each side. */
    function compose(L, mem, groups, inL, inR, split) {
      var out = split ? { main: {}, left: {}, right: {} } : { all: {} };
      var swapL = groups.some(function (g) { return above(g.left, L); });
      var swapR = groups.some(function (g) { return above(g.right, L); });
      var lvls = levelsOf(groups.map(function (g) { return g.main; }).concat(
        groups.map(function (g) { return g.left; }), groups.map(function (g) { return g.right; }),
        inL.map(function (b) { return b.all; }), inR.map(function (b) { return b.all; })));
      if (lvls.indexOf(L) < 0) lvls.push(L);
      lvls.forEach(function (lv) {
        var aL = cat(inL, 'all', lv), aR = cat(inR, 'all', lv);
        if (lv > L) {
          put(split ? out.main : out.all, lv, aL.concat(cat(groups, 'main', lv), aR));
          return;
        }
        var gL = cat(groups, 'left', lv), gR = cat(groups, 'right', lv);
        var left = swapL ? gL.concat(aL) : aL.concat(gL);
        var right = swapR ? aR.concat(gR) : gR.concat(aR);
        if (lv === L) put(split ? out.main : out.all, lv, left.concat(mem, right));
        else if (split) { put(out.left, lv, left); put(out.right, lv, right); }
        else put(out.all, lv, left.concat(right));
      });
      return out;
    }

    /* A person hanging from their parents (c), or the top of a family (c null). */
    function dblock(c, chain) {
      var mem = members(chain);
      place(chain, mem);
      var j = c === null ? -1 : mem.indexOf(c);
      var groups = slotsOf(chain, mem).map(function (u) { return sibship(u, null); });
      var inL = [], inR = [];
      mem.forEach(function (id, i) {
        if (id === c) return;
        var bu = byId[id].birthUnion;
        if (!bu || chainPlaced[byId[bu.a].chain.id]) return;
        var side = j < 0 ? (i < mem.length / 2 ? 'left' : 'right') : (i < j ? 'left' : 'right');
        var b = ablock(id, bu, side);
        (side === 'left' ? inL : inR).push(b);
      });
      return compose(chain.level, mem, groups, inL, inR, true);
    }

    /* The birth family of p (a partner of someone already placed), kept on one side of p. */
    function ablock(p, bu, side) {
      var pc = byId[bu.a].chain;
      var mem = members(pc);
      place(pc, mem);
      var pos = {};
      mem.forEach(function (id, i) { pos[id] = i; });
      var lo, hi;
      if (bu.b === null) { lo = hi = pos[bu.a]; } else { lo = Math.min(pos[bu.a], pos[bu.b]); hi = Math.max(pos[bu.a], pos[bu.b]); }
      var groups = slotsOf(pc, mem).map(function (u) { return sibship(u, u === bu ? (side === 'left' ? 'right' : 'left') : null); });
      var qL = [], qR = [];
      mem.forEach(function (id, i) {
        var b2 = byId[id].birthUnion;
        if (!b2 || chainPlaced[byId[b2.a].chain.id]) return;
        var s = i < lo || (bu.b !== null && i === lo) ? 'left' : i > hi ? 'right' : side;
        var blk = ablock(id, b2, s);
        (s === 'left' ? qL : qR).push(blk);
      });
      return compose(pc.level, mem, groups, qL, qR, false);
    }

    var rows = {};
    var compRoots = [];
    model.components.forEach(function (comp, ci) {
      var parts = [];
      for (;;) {
        var todo = comp.chains.filter(function (c) { return !chainPlaced[c.id]; });
        if (!todo.length) break;
        var tops = todo.filter(function (c) { return c.members.every(function (id) { var b = byId[id].birthUnion; return !b || chainPlaced[byId[b.a].chain.id]; }); });
        if (!tops.length) tops = todo;
        var pick = tops[0];
        if (!parts.length && choice.root[ci] !== undefined) {
          var want = model.chains[choice.root[ci]];
          if (want && tops.indexOf(want) >= 0) pick = want;
        }
        if (!parts.length) compRoots[ci] = pick.id;
        parts.push(dblock(null, pick));
      }
      parts.forEach(function (b) {
        levelsOf([b.main, b.left, b.right]).forEach(function (lv) {
          put(rows, lv, (b.left[lv] || []).concat(b.main[lv] || [], b.right[lv] || []));
        });
      });
    });
    return { rows: rows, sibOrder: sibOrder, roots: compRoots };
  }

  /* ------------------------------------------------------- constraints */

  /* Difference constraints x[t] - x[s] >= gap between variables (people and
     the points where children's lines leave a couple). Row order and couples
     first (always consistent); then, for each level, the lines of two
     families of children must not meet: added one by one, and one that would
     contradict the others (a cycle) is counted as a crossing instead. */
  function buildConstraints(model, rows, boxes) {
    var byId = model.byId;
    var vars = [];
    var index = {};
    function v(key) { if (!has(index, key)) { index[key] = vars.length; vars.push(key); } return index[key]; }
    var edges = [];
    var out = [];
    function add(s, t, gap, kind) {
      edges.push({ s: s, t: t, gap: gap, kind: kind });
      (out[s] = out[s] || []).push(t);
    }
    function reaches(from, to) {
      var seen = {};
      var stack = [from];
      while (stack.length) {
        var x = stack.pop();
        if (x === to) return true;
        if (seen[x]) continue;
        seen[x] = true;
        (out[x] || []).forEach(function (y) { if (!seen[y]) stack.push(y); });
      }
      return false;
    }
    var pos = {};
    var levels = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; });
    levels.forEach(function (lv) {
      rows[lv].forEach(function (id, i) { pos[id] = i; v(id); });
    });
    var conflicts = 0;
    var nested = 0;
    var descentVar = {};
    levels.forEach(function (lv) {
      var row = rows[lv];
      for (var i = 0; i + 1 < row.length; i++) {
        add(v(row[i]), v(row[i + 1]), (boxes[row[i]].w + boxes[row[i + 1]].w) / 2 + GAP_ROW, 'row');
      }
    });
    model.unions.forEach(function (u) {
      if (u.b === null || !u.kids.some(function (k) { return isDrawn(model, u, k); })) return;
      var a = u.a, b = u.b;
      if (pos[a] > pos[b]) { var t = a; a = b; b = t; }
      var d = v('d:' + u.id);
      descentVar[u.id] = d;
      add(v(a), d, boxes[a].w / 2 + M_DESC, 'couple');
      add(d, v(b), boxes[b].w / 2 + M_DESC, 'couple');
    });
    model.couples.forEach(function (c) {
      if (Math.abs(pos[c.a] - pos[c.b]) !== 1 || byId[c.a].level !== byId[c.b].level) nested++;
    });
    /* Families of children, level by level. */
    levels.forEach(function (lv) {
      var sibs = model.unions.filter(function (u) {
        return byId[u.a].level === lv - 1 && u.kids.some(function (k) { return isDrawn(model, u, k); });
      }).map(function (u) {
        var kids = u.kids.filter(function (k) { return isDrawn(model, u, k); }).sort(function (x, y) { return pos[x] - pos[y]; });
        return { u: u, first: kids[0], last: kids[kids.length - 1], d: u.b === null ? v(u.a) : descentVar[u.id] };
      });
      sibs.sort(function (x, y) { return pos[x.first] - pos[y.first]; });
      for (var i = 0; i + 1 < sibs.length; i++) {
        var S = sibs[i], T = sibs[i + 1];
        var ok = true;
        var from = [v(S.last), S.d], to = [v(T.first), T.d];
        var pending = [];
        from.forEach(function (s) { to.forEach(function (t) { if (s !== t) pending.push([s, t]); else ok = false; }); });
        if (ok) {
          pending.forEach(function (pr) { if (reaches(pr[1], pr[0])) ok = false; });
        }
        if (ok) pending.forEach(function (pr) { add(pr[0], pr[1], GAP_BAR, 'hull'); });
        else conflicts++;
      }
    });
    return { vars: vars, index: index, edges: edges, conflicts: conflicts, nested: nested, pos: pos, descentVar: descentVar };
  }

  function isDrawn(model, u, kid) {
    var p = model.byId[kid];
    return p.birthUnion === u;
  }

  /* --------------------------------------------------------- positions */

  /* Minimise a sum of weighted squares (children centred under their
     parents, parents' line leaving from the middle, couples and rows close)
     subject to x[t] - x[s] >= gap, by Hildreth's dual coordinate method, then
     make the constraints exact with one pass in topological order. Written by
     hand: no small dependency-free library does this. */
  function solve(n, terms, edges) {
    if (n > 150) return solveLarge(n, terms, edges);
    var eps = 1e-4;
    var Q = [];
    var i, j, k;
    for (i = 0; i < n; i++) { Q.push(new Float64Array(n)); Q[i][i] = 2 * eps; }
    terms.forEach(function (t) {
      t.c.forEach(function (a) {
        t.c.forEach(function (b) { Q[a[0]][b[0]] += 2 * t.w * a[1] * b[1]; });
      });
    });
    var Qi = invert(Q, n);
    var m = edges.length;
    /* Constraint k: x[s] - x[t] <= -gap. */
    var H = [];
    for (k = 0; k < m; k++) {
      var row = new Float64Array(m);
      var s1 = edges[k].s, t1 = edges[k].t;
      for (j = 0; j < m; j++) {
        var s2 = edges[j].s, t2 = edges[j].t;
        row[j] = Qi[s1][s2] - Qi[s1][t2] - Qi[t1][s2] + Qi[t1][t2];
      }
      H.push(row);
    }
    var lambda = new Float64Array(m);
    var sweeps = m <= 200 ? 600 : Math.max(20, Math.floor(600 * 40000 / (m * m)));
    for (var sweep = 0; sweep < sweeps; sweep++) {
      var change = 0;
      for (k = 0; k < m; k++) {
        var g = -edges[k].gap;
        var hk = H[k];
        var dot = 0;
        for (j = 0; j < m; j++) dot += hk[j] * lambda[j];
        var nl = lambda[k] - (dot + g) / hk[k];
        if (nl < 0) nl = 0;
        change = Math.max(change, Math.abs(nl - lambda[k]));
        lambda[k] = nl;
      }
      if (change < 1e-5) break;
    }
    /* x = -Qi A' lambda, A row k = e_s - e_t. */
    var x = new Float64Array(n);
    for (k = 0; k < m; k++) {
      if (!lambda[k]) continue;
      var s = edges[k].s, t = edges[k].t;
      for (i = 0; i < n; i++) x[i] -= (Qi[i][s] - Qi[i][t]) * lambda[k];
    }
    /* Exact: push right in topological order. */
    var indeg = new Array(n).fill(0);
    var outs = [];
    for (i = 0; i < n; i++) outs.push([]);
    edges.forEach(function (e) { indeg[e.t]++; outs[e.s].push(e); });
    var queue = [];
    for (i = 0; i < n; i++) if (!indeg[i]) queue.push(i);
    while (queue.length) {
      var a = queue.shift();
      outs[a].forEach(function (e) {
        if (x[e.t] < x[a] + e.gap) x[e.t] = x[a] + e.gap;
        if (--indeg[e.t] === 0) queue.push(e.t);
      });
    }
    return x;
  }

  /* For lists far longer than a household: start from the leftmost
     feasible positions and move one variable at a time towards its best
     place, never past a constraint, so every step stays feasible. */
  function solveLarge(n, terms, edges) {
    var x = new Float64Array(n);
    var i;
    var ins = [], outs = [], mine = [];
    for (i = 0; i < n; i++) { ins.push([]); outs.push([]); mine.push([]); }
    edges.forEach(function (e) { ins[e.t].push(e); outs[e.s].push(e); });
    terms.forEach(function (t) { t.c.forEach(function (a) { mine[a[0]].push(t); }); });
    var indeg = ins.map(function (l) { return l.length; });
    var queue = [];
    for (i = 0; i < n; i++) if (!indeg[i]) queue.push(i);
    while (queue.length) {
      var a = queue.shift();
      outs[a].forEach(function (e) {
        if (x[e.t] < x[a] + e.gap) x[e.t] = x[a] + e.gap;
        if (--indeg[e.t] === 0) queue.push(e.t);
      });
    }
    for (var round = 0; round < 40; round++) {
      for (i = 0; i < n; i++) {
        var num = 0, den = 0;
        mine[i].forEach(function (t) {
          var ci = 0, rest = 0;
          t.c.forEach(function (a) { if (a[0] === i) ci += a[1]; else rest += a[1] * x[a[0]]; });
          num -= t.w * ci * rest;
          den += t.w * ci * ci;
        });
        if (!den) continue;
        var lo = -Infinity, hi = Infinity;
        ins[i].forEach(function (e) { lo = Math.max(lo, x[e.s] + e.gap); });
        outs[i].forEach(function (e) { hi = Math.min(hi, x[e.t] - e.gap); });
        if (lo > hi) continue;
        x[i] = Math.max(lo, Math.min(hi, num / den));
      }
    }
    return x;
  }

  function invert(A, n) {
    var M = A.map(function (r) { return Float64Array.from(r); });
    var I = [];
    var i, j, k;
    for (i = 0; i < n; i++) { I.push(new Float64Array(n)); I[i][i] = 1; }
    for (i = 0; i < n; i++) {
      var best = i;
      for (k = i + 1; k < n; k++) if (Math.abs(M[k][i]) > Math.abs(M[best][i])) best = k;
      var tmp = M[i]; M[i] = M[best]; M[best] = tmp;
      tmp = I[i]; I[i] = I[best]; I[best] = tmp;
      var piv = M[i][i] || 1e-12;
      for (j = 0; j < n; j++) { M[i][j] /= piv; I[i][j] /= piv; }
      for (k = 0; k < n; k++) {
        if (k === i) continue;
        var f = M[k][i];
        if (!f) continue;
        for (j = 0; j < n; j++) { M[k][j] -= f * M[i][j]; I[k][j] -= f * I[i][j]; }
      }
    }
    return I;
  }

  /* ------------------------------------------------------------ labels */

  function textWidth(s) {
    var w = 0;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (/[iljtfI.,:;'!|()\[\] ]/.test(ch)) w += 0.32;
      else if (/[mwMW@]/.test(ch)) w += 0.9;
      else if (/[A-Z]/.test(ch)) w += 0.7;
      else if (/[0-9]/.test(ch)) w += 0.58;
      else w += 0.58;
    }
    return w * FONT * 1.06;
  }

  function wrap(name) {
    var parts = name.split(/\s+/).filter(Boolean);
    var lines = [];
    var cur = '';
    parts.forEach(function (w) {
      if (!cur) cur = w;
      else if ((cur + ' ' + w).length <= NAME_CHARS) cur += ' ' + w;
      else { lines.push(cur); cur = w; }
    });
    if (cur) lines.push(cur);
    if (lines.length > 3) lines = lines.slice(0, 2).concat([lines.slice(2).join(' ')]);
    return lines;
  }

  function displayName(p, say) {
    return p.name || say.fill('unnamed', { number: p.index + 1 });
  }

  /* The line under the name: an age, an age at death, a due date. */
  function ageLine(p, say, today) {
    if (p.unborn) return say.fill('due', { date: (p.born.m ? say.month(p.born.m) + ' ' : '') + p.born.y });
    if (p.died) return p.diedAge !== null ? say.fill('died_aged', { count: p.diedAge }) : say.fill('died', {});
    if (p.born) {
      var y = yearsBetween(p.born, today);
      if (y < 1 && p.born.m) return say.fill('age_months', { count: Math.max(0, monthsBetween(p.born, today)) });
      return say.fill('age', { count: Math.max(0, y) });
    }
    if (p.age !== null) return say.fill('age', { count: p.age });
    return '';
  }

  function shapeOf(p) {
    if (p.unborn) return 'triangle';
    if (p.sex === 'male') return 'square';
    if (p.sex === 'female') return 'circle';
    return 'diamond';
  }

  /* --------------------------------------------------------------- layout */

  function layout(people, options) {
    options = options || {};
    var say = new Speaker(options.words, options.lang);
    var model = buildModel(people, options.today);
    structure(model);
    var byId = model.byId;
    var boxes = {};
    var maxLines = 1;
    model.persons.forEach(function (p) {
      var lines = wrap(displayName(p, say));
      var age = ageLine(p, say, model.today);
      if (age) lines = lines.concat([age]);
      p.lines = lines;
      p.hasAge = !!age;
      maxLines = Math.max(maxLines, lines.length);
      var w = 2 * R + 8;
      lines.forEach(function (l) { w = Math.max(w, textWidth(l) + 6); });
      boxes[p.id] = { w: w };
    });

    /* Search the choices: which way round each chain goes, which family is at the top. */
    var choice = { flip: {}, root: {} };
    model.chains.forEach(function (c) { choice.flip[c.id] = conventionCost(model, c.order.slice().reverse()) < conventionCost(model, c.order); });
    var best = evaluate(model, choice, boxes);
    /* About 80 tries for a household; fewer for very long lists, so no input hangs. */
    var budget = Math.max(6, Math.min(80, Math.floor(2400 / Math.max(1, model.persons.length))));
    for (var pass = 0; pass < 4 && best.cost > 0 && budget > 0; pass++) {
      var improved = false;
      model.components.forEach(function (comp, ci) {
        var tops = comp.chains.filter(function (c) { return c.members.every(function (id) { return !byId[id].birthUnion; }); });
        if (tops.length < 2) return;
        tops.forEach(function (t) {
          if (budget-- <= 0 || best.roots[ci] === t.id) return;
          var next = { flip: choice.flip, root: Object.assign({}, choice.root) };
          next.root[ci] = t.id;
          var e = evaluate(model, next, boxes);
          if (e.cost < best.cost) { best = e; choice = next; improved = true; }
        });
      });
      model.chains.forEach(function (c) {
        if (c.members.length < 2 || budget-- <= 0) return;
        var next = { flip: Object.assign({}, choice.flip), root: choice.root };
        next.flip[c.id] = !next.flip[c.id];
        var e = evaluate(model, next, boxes);
        if (e.cost < best.cost) { best = e; choice = next; improved = true; }
      });
      if (!improved) break;
    }
    if (best.conflicts > 0 || best.nested > 0) model.problems.push({ code: 'crossing' });

    /* Positions. */
    var con = best.con;
    var n = con.vars.length;
    var terms = [];
    var ix = con.index;
    model.unions.forEach(function (u) {
      var kids = u.kids.filter(function (k) { return isDrawn(model, u, k); }).sort(function (a, b) { return con.pos[a] - con.pos[b]; });
      if (!kids.length) return;
      var d = u.b === null ? ix[u.a] : con.descentVar[u.id];
      var f = ix[kids[0]], l = ix[kids[kids.length - 1]];
      /* A single child straight below the parents' line, almost whatever it costs. */
      terms.push({ w: f === l || twinsOnly(kids, byId) ? 40 : 4, c: f === l ? [[d, 1], [f, -1]] : [[d, 1], [f, -0.5], [l, -0.5]] });
      if (u.b !== null) terms.push({ w: 0.6, c: [[d, 1], [ix[u.a], -0.5], [ix[u.b], -0.5]] });
    });
    model.couples.forEach(function (c) { terms.push({ w: 0.1, c: [[ix[c.a], 1], [ix[c.b], -1]] }); });
    Object.keys(best.rows).forEach(function (lv) {
      var row = best.rows[lv];
      for (var i = 0; i + 1 < row.length; i++) terms.push({ w: 0.04, c: [[ix[row[i]], 1], [ix[row[i + 1]], -1]] });
    });
    var x = n ? solve(n, terms, con.edges) : [];

    /* Geometry. */
    var levels = Object.keys(best.rows).map(Number).sort(function (a, b) { return a - b; });
    var labelTop = R + LEG + 5;
    var labelH = maxLines * LINE + 3;
    var pitch = 2 * R + LEG + 5 + labelH + 40;
    var minX = Infinity, maxX = -Infinity;
    model.persons.forEach(function (p) {
      var px = x[ix[p.id]];
      minX = Math.min(minX, px - boxes[p.id].w / 2);
      maxX = Math.max(maxX, px + boxes[p.id].w / 2);
    });
    var shift = MARGIN + PAD - (isFinite(minX) ? minX : 0);
    var topLevel = levels.length ? levels[0] : 0;
    function X(id) { return x[ix[id]] + shift; }
    function Y(level) { return MARGIN + PAD + R + 4 + (level - topLevel) * pitch; }

    var out = {
      people: [], couples: [], children: [], relations: [], household: null,
      width: Math.ceil((isFinite(maxX) ? maxX - minX : 0) + 2 * (MARGIN + PAD)),
      height: levels.length ? Math.ceil(Y(levels[levels.length - 1]) + labelTop + labelH + PAD + MARGIN) : 0,
      rows: {}, problems: model.problems, crossings: best.conflicts + best.nested,
      font: FONT, line: LINE,
    };
    levels.forEach(function (lv) { out.rows[lv - topLevel] = best.rows[lv].slice(); });
    var where = {};
    model.persons.forEach(function (p) {
      var px = X(p.id), py = Y(p.level);
      var w = boxes[p.id].w;
      var item = {
        id: p.id, name: displayName(p, say), x: px, y: py, level: p.level - topLevel, shape: shapeOf(p), size: R,
        sex: p.sex, subject: p.subject, died: p.died, unborn: p.unborn, inHousehold: p.inHousehold,
        lines: p.lines, hasAge: p.hasAge, labelY: py + labelTop,
        box: { x1: px - w / 2, y1: py - R - 2, x2: px + w / 2, y2: py + labelTop + p.lines.length * LINE + 3 },
      };
      where[p.id] = item;
      out.people.push(item);
    });
    var yc = LEG + R;
    model.couples.forEach(function (c) {
      var a = where[c.a], b = where[c.b];
      if (a.x > b.x) { var t = a; a = b; b = t; }
      var adjacent = Math.abs(con.pos[c.a] - con.pos[c.b]) === 1 && a.level === b.level;
      var depth = adjacent ? 0 : 5 * Math.max(1, Math.abs(con.pos[c.a] - con.pos[c.b]) - 1);
      var y = a.y + yc + depth;
      var la = a.x + R * 0.45, lb = b.x - R * 0.45;
      var u = null;
      model.unions.forEach(function (un) { if (un.couple === c) u = un; });
      var dx = u && has(con.descentVar, u.id) ? x[con.descentVar[u.id]] + shift : null;
      var marks = [];
      var count = c.status === 'separated' ? 1 : c.status === 'divorced' ? 2 : 0;
      if (count) {
        var mx = (la + lb) / 2;
        if (dx !== null) mx = dx - la > lb - dx ? (la + dx) / 2 : (dx + lb) / 2;
        for (var i = 0; i < count; i++) marks.push({ x: mx + (count === 2 ? (i ? 3.5 : -3.5) : 0), y: y });
      }
      out.couples.push({
        a: a.id, b: b.id, status: c.status, explicit: c.explicit, nested: !adjacent, y: y,
        path: [[la, a.y + legStart(a.shape, R * 0.45)], [la, y], [lb, y], [lb, b.y + legStart(b.shape, R * 0.45)]],
        marks: marks,
      });
    });
    model.unions.forEach(function (u) {
      var kids = u.kids.filter(function (k) { return isDrawn(model, u, k); });
      if (!kids.length) return;
      var pa = where[u.a];
      var first = Infinity, last = -Infinity;
      kids.forEach(function (k) { first = Math.min(first, where[k].x); last = Math.max(last, where[k].x); });
      var top = u.b === null ? pa.y + labelTop + pa.lines.length * LINE + 4 : pa.y + yc;
      var dx = u.b === null ? pa.x : x[con.descentVar[u.id]] + shift;
      /* One child (or twins) a pixel or two off the couple's line: straighten
         it when the child is still between the two parents' labels (the line
         of this family only gets narrower). */
      if (u.b !== null && kids.length && last - first < 1e-6 || (u.b !== null && twinsOnly(kids, byId))) {
        var gx = (first + last) / 2;
        var pb = where[u.b];
        var lo = Math.min(pa.x, pb.x) + boxes[pa.x < pb.x ? pa.id : pb.id].w / 2 + 2;
        var hi = Math.max(pa.x, pb.x) - boxes[pa.x < pb.x ? pb.id : pa.id].w / 2 - 2;
        if (Math.abs(gx - dx) < 10 && gx >= lo && gx <= hi) dx = gx;
      }
      var kidTop = where[kids[0]].y - R;
      var labelBottom = pa.y + labelTop + labelH;
      var barY = labelBottom + (kidTop - labelBottom) / 2;
      if (u.b === null) top = Math.min(top, barY - 2);
      /* Twins (the same date of birth) leave the line from one point. */
      var drops = [];
      var groups = {};
      kids.forEach(function (k) {
        var p = byId[k];
        var key = p.born && p.born.d ? 'b' + dateKey(p.born) : 'k' + k;
        (groups[key] = groups[key] || []).push(k);
      });
      Object.keys(groups).forEach(function (key) {
        var g = groups[key];
        var gx = g.reduce(function (s, k) { return s + where[k].x; }, 0) / g.length;
        g.forEach(function (k) {
          var kp = where[k];
          drops.push({ child: k, twin: g.length > 1, path: [[g.length > 1 ? gx : kp.x, barY], [kp.x, kp.y - symbolTop(kp.shape, R)]] });
        });
      });
      out.children.push({
        union: u.id, parents: u.b === null ? [u.a] : [u.a, u.b],
        descent: [[dx, top], [dx, barY]],
        bar: [[Math.min(first, dx), barY], [Math.max(last, dx), barY]],
        drops: drops,
      });
    });
    var family = [];
    out.couples.forEach(function (c) { for (var i = 0; i + 1 < c.path.length; i++) family.push([c.path[i], c.path[i + 1]]); });
    out.children.forEach(function (c) {
      family.push(c.descent, c.bar);
      c.drops.forEach(function (d) { family.push(d.path); });
    });
    /* Shortest first: they have the fewest ways round. */
    function dist(r) { return Math.pow(where[r.a].x - where[r.b].x, 2) + Math.pow(where[r.a].y - where[r.b].y, 2); }
    model.relations.slice().sort(function (p, q) { return dist(p) - dist(q); }).forEach(function (r) {
      var lines = relationLines(where[r.a], where[r.b], r.quality, out.people, family);
      out.relations.push({ a: r.a, b: r.b, quality: r.quality, lines: lines });
      /* The next relationship line keeps away from this one too. */
      lines.forEach(function (pts) { for (var i = 0; i + 1 < pts.length; i += 2) family.push([pts[i], pts[i + 1]]); });
    });
    out.household = household(out.people, best.rows, where, topLevel);
    return out;
  }

  function conventionCost(model, order) {
    var byId = model.byId;
    var cost = 0;
    for (var i = 0; i + 1 < order.length; i++) {
      var a = byId[order[i]], b = byId[order[i + 1]];
      if (a.sex === 'female' && b.sex === 'male') cost += 1;
    }
    /* An ended partnership on the left of a current one. */
    order.forEach(function (id, i) {
      var p = byId[id];
      if (i === 0 || i === order.length - 1) return;
      var left = null, right = null;
      p.partners.forEach(function (c) {
        var o = c.a === id ? c.b : c.a;
        if (o === order[i - 1]) left = c;
        if (o === order[i + 1]) right = c;
      });
      var ended = function (c) { return c && (c.status === 'separated' || c.status === 'divorced'); };
      if (left && right && !ended(left) && ended(right)) cost += 2;
    });
    return cost;
  }

  function evaluate(model, choice, boxes) {
    var arr = arrange(model, choice);
    var con = buildConstraints(model, arr.rows, boxes);
    var inversions = 0;
    Object.keys(arr.sibOrder).forEach(function (uid) {
      var order = arr.sibOrder[uid];
      var birth = model.unionById[uid].kids;
      for (var i = 0; i < order.length; i++) {
        for (var j = i + 1; j < order.length; j++) if (birth.indexOf(order[i]) > birth.indexOf(order[j])) inversions++;
      }
    });
    var conv = 0;
    Object.keys(arr.rows).forEach(function (lv) {
      var row = arr.rows[lv];
      var start = 0;
      for (var i = 1; i <= row.length; i++) {
        if (i === row.length || model.byId[row[i]].chain !== model.byId[row[start]].chain) {
          if (i - start > 1) conv += conventionCost(model, row.slice(start, i));
          start = i;
        }
      }
    });
    return {
      rows: arr.rows, con: con, roots: arr.roots, conflicts: con.conflicts, nested: con.nested,
      cost: (con.conflicts + con.nested) * 1000 + inversions * 20 + conv,
    };
  }

  function twinsOnly(kids, byId) {
    if (kids.length < 2) return false;
    var b = byId[kids[0]].born;
    return !!(b && b.d) && kids.every(function (k) { var o = byId[k].born; return o && o.d && dateKey(o) === dateKey(b); });
  }

  /* How far below a symbol's centre its outline is, at dx from the centre. */
  function legStart(shape, dx) {
    if (shape === 'circle') return Math.sqrt(R * R - dx * dx);
    if (shape === 'diamond') return R * 1.15 - dx;
    if (shape === 'triangle') return R * 0.7;
    return R;
  }
  function symbolTop(shape) {
    if (shape === 'diamond') return R * 1.15;
    if (shape === 'triangle') return R * 0.85;
    return R;
  }

  /* Relationship lines as polylines: straight between symbols of different
     rows or neighbours, an arc above the row otherwise. */
  function relationLines(a, b, quality, people, family) {
    var pts = route(a, b, people, family);
    if (quality === 'close') return [offset(pts, 2.2), offset(pts, -2.2)];
    if (quality === 'conflict') return [zigzag(pts, 3.5, 7)];
    if (quality === 'cut_off') return cutOff(pts);
    return [pts];
  }

  /* A relationship line goes straight between the two symbols when nobody
     is in the way; otherwise it bends (a quadratic curve, either side, more
     and more) until it passes no other symbol or label, or as few as it can. */
  function route(a, b, people, family) {
    var N = 48;
    var dx = b.x - a.x, dy = b.y - a.y;
    var len = Math.sqrt(dx * dx + dy * dy) || 1;
    var nx = -dy / len, ny = dx / len;
    var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    /* What a line may not pass: every other symbol and label, and the two
       people's own labels (the part of their box below the symbol). */
    var boxes = [];
    people.forEach(function (p) {
      if (p.id !== a.id && p.id !== b.id) {
        boxes.push({ x1: p.x - R - 3, x2: p.x + R + 3, y1: p.y - R * 1.2 - 3, y2: p.y + R * 1.2 + 3, cost: 15 });
      }
      boxes.push({ x1: p.box.x1 - 2, x2: p.box.x2 + 2, y1: p.labelY - 2, y2: p.box.y2 + 2, cost: 3 });
    });
    var best = null;
    function consider(pts, cost) {
      boxes.forEach(function (bx) {
        if (pts.some(function (q) { return q[0] > bx.x1 && q[0] < bx.x2 && q[1] > bx.y1 && q[1] < bx.y2; })) cost += bx.cost * 4;
      });
      /* Running along a family line is worse than crossing it. */
      var x1 = Infinity, x2 = -Infinity, y1 = Infinity, y2 = -Infinity;
      pts.forEach(function (q) { x1 = Math.min(x1, q[0]); x2 = Math.max(x2, q[0]); y1 = Math.min(y1, q[1]); y2 = Math.max(y2, q[1]); });
      var near = family.filter(function (f) {
        return Math.max(f[0][0], f[1][0]) > x1 - 7 && Math.min(f[0][0], f[1][0]) < x2 + 7 && Math.max(f[0][1], f[1][1]) > y1 - 7 && Math.min(f[0][1], f[1][1]) < y2 + 7;
      });
      var along = 0;
      pts.forEach(function (q) {
        if (near.some(function (f) { return nearSegment(q, f[0], f[1]) < 7; })) along++;
      });
      cost += Math.max(0, along - 2) * 2;
      if (!best || cost < best.cost) best = { cost: cost, pts: pts };
    }
    function bezier(P) {
      var pts = [];
      for (var i = 0; i <= N; i++) {
        var t = i / N, u = 1 - t;
        if (P.length === 3) pts.push([u * u * P[0][0] + 2 * u * t * P[1][0] + t * t * P[2][0], u * u * P[0][1] + 2 * u * t * P[1][1] + t * t * P[2][1]]);
        else pts.push([u * u * u * P[0][0] + 3 * u * u * t * P[1][0] + 3 * u * t * t * P[2][0] + t * t * t * P[3][0], u * u * u * P[0][1] + 3 * u * u * t * P[1][1] + 3 * u * t * t * P[2][1] + t * t * t * P[3][1]]);
      }
      return pts;
    }
    /* Straight, or bowed to either side. */
    [0, 24, -24, 48, -48, 80, -80, 120, -120, 170, -170, 240, -240].forEach(function (off, k) {
      var cx = mx + nx * off, cy = my + ny * off;
      function edge(p) {
        var ex = cx - p.x, ey = cy - p.y;
        var l = Math.sqrt(ex * ex + ey * ey) || 1;
        return [p.x + ex / l * (R + 3), p.y + ey / l * (R + 3)];
      }
      consider(bezier([edge(a), [cx, cy], edge(b)]), k * 0.5);
    });
    /* Out of a symbol's side, round its label, into the other's side. */
    [1, -1].forEach(function (sa) {
      [1, -1].forEach(function (sb) {
        [22, 50, 90, 140].forEach(function (h, k) {
          var p0 = [a.x + sa * (R + 3), a.y], p3 = [b.x + sb * (R + 3), b.y];
          consider(bezier([p0, [p0[0] + sa * h, p0[1]], [p3[0] + sb * h, p3[1]], p3]), 3 + k);
        });
      });
    });
    return best.pts;
  }

  function nearSegment(p, a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1];
    var l = dx * dx + dy * dy;
    var t = l ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l : 0;
    t = Math.max(0, Math.min(1, t));
    return Math.sqrt(Math.pow(p[0] - a[0] - t * dx, 2) + Math.pow(p[1] - a[1] - t * dy, 2));
  }

  function normalAt(pts, i) {
    var a = pts[Math.max(0, i - 1)], b = pts[Math.min(pts.length - 1, i + 1)];
    var dx = b[0] - a[0], dy = b[1] - a[1];
    var l = Math.sqrt(dx * dx + dy * dy) || 1;
    return [-dy / l, dx / l];
  }
  function offset(pts, d) {
    return pts.map(function (p, i) { var nrm = normalAt(pts, i); return [p[0] + nrm[0] * d, p[1] + nrm[1] * d]; });
  }
  function resample(pts, step) {
    var out = [pts[0]];
    var carry = 0;
    for (var i = 1; i < pts.length; i++) {
      var a = pts[i - 1], b = pts[i];
      var seg = Math.sqrt(Math.pow(b[0] - a[0], 2) + Math.pow(b[1] - a[1], 2));
      var tPos = step - carry;
      while (tPos <= seg) {
        out.push([a[0] + (b[0] - a[0]) * tPos / seg, a[1] + (b[1] - a[1]) * tPos / seg]);
        tPos += step;
      }
      carry = seg - (tPos - step);
    }
    out.push(pts[pts.length - 1]);
    return out;
  }
  function zigzag(pts, amp, wave) {
    var r = resample(pts, wave / 2);
    return r.map(function (p, i) {
      if (i === 0 || i === r.length - 1) return p;
      var nrm = normalAt(r, i);
      var s = i % 2 ? amp : -amp;
      return [p[0] + nrm[0] * s, p[1] + nrm[1] * s];
    });
  }
  function cutOff(pts) {
    var mid = Math.floor(pts.length / 2);
    var g = Math.max(1, Math.round(pts.length / 12));
    var left = pts.slice(0, mid - g + 1), right = pts.slice(mid + g);
    function bar(i) { var nrm = normalAt(pts, i); var p = pts[i]; return [[p[0] - nrm[0] * 6, p[1] - nrm[1] * 6], [p[0] + nrm[0] * 6, p[1] + nrm[1] * 6]]; }
    return [left, right, bar(mid - g), bar(mid + g)];
  }

  /* The household: one path round the people who live there. Each run of
     household members next to each other in a row is a box; boxes in
     neighbouring rows that overlap are joined through the space between the
     rows (where there are lines, never people). The outline of their union
     is one <path>: several closed outlines when the household members are
     not next to each other in the drawing. */
  function household(people, rows, where, topLevel) {
    var rects = [];
    var runs = {};
    Object.keys(rows).map(Number).sort(function (a, b) { return a - b; }).forEach(function (lv) {
      var run = null;
      rows[lv].forEach(function (id) {
        var p = where[id];
        if (p.inHousehold) {
          if (!run) { run = { x1: p.box.x1, x2: p.box.x2, y1: p.box.y1, y2: p.box.y2 }; (runs[lv] = runs[lv] || []).push(run); }
          else { run.x2 = p.box.x2; run.y1 = Math.min(run.y1, p.box.y1); run.y2 = Math.max(run.y2, p.box.y2); }
        } else run = null;
      });
    });
    var lvls = Object.keys(runs).map(Number).sort(function (a, b) { return a - b; });
    lvls.forEach(function (lv) {
      runs[lv].forEach(function (r) { rects.push([r.x1 - PAD, r.y1 - PAD, r.x2 + PAD, r.y2 + PAD]); });
    });
    lvls.forEach(function (lv) {
      (runs[lv + 1] || []).forEach(function (lo) {
        runs[lv].forEach(function (up) {
          var a = Math.max(lo.x1, up.x1), b = Math.min(lo.x2, up.x2);
          if (b - a > 2 * PAD) rects.push([a, up.y2, b, lo.y1]);
        });
      });
    });
    if (!rects.length) return null;
    return { rects: rects, d: outline(rects) };
  }

  function outline(rects) {
    var xs = [], ys = [];
    rects.forEach(function (r) { xs.push(r[0], r[2]); ys.push(r[1], r[3]); });
    function uniq(a) { return a.sort(function (p, q) { return p - q; }).filter(function (v, i) { return i === 0 || v - a[i - 1] > 1e-6; }); }
    xs = uniq(xs); ys = uniq(ys);
    var W = xs.length - 1, Hh = ys.length - 1;
    function covered(i, j) {
      if (i < 0 || j < 0 || i >= W || j >= Hh) return false;
      var cx = (xs[i] + xs[i + 1]) / 2, cy = (ys[j] + ys[j + 1]) / 2;
      return rects.some(function (r) { return cx > r[0] && cx < r[2] && cy > r[1] && cy < r[3]; });
    }
    var edges = {};
    function key(p) { return p[0].toFixed(2) + ',' + p[1].toFixed(2); }
    function addEdge(a, b) { (edges[key(a)] = edges[key(a)] || []).push({ a: a, b: b }); }
    for (var i = 0; i < W; i++) {
      for (var j = 0; j < Hh; j++) {
        if (!covered(i, j)) continue;
        var x1 = xs[i], x2 = xs[i + 1], y1 = ys[j], y2 = ys[j + 1];
        if (!covered(i, j - 1)) addEdge([x1, y1], [x2, y1]);
        if (!covered(i + 1, j)) addEdge([x2, y1], [x2, y2]);
        if (!covered(i, j + 1)) addEdge([x2, y2], [x1, y2]);
        if (!covered(i - 1, j)) addEdge([x1, y2], [x1, y1]);
      }
    }
    var d = [];
    Object.keys(edges).sort().forEach(function (k) {
      while (edges[k] && edges[k].length) {
        var e = edges[k].pop();
        var loop = [e.a];
        var cur = e;
        for (var guard = 0; guard < 100000; guard++) {
          loop.push(cur.b);
          var nk = key(cur.b);
          if (!edges[nk] || !edges[nk].length) break;
          cur = edges[nk].pop();
        }
        /* Drop points in the middle of straight runs. */
        var pts = loop.filter(function (p, idx) {
          if (idx === 0 || idx === loop.length - 1) return true;
          var a = loop[idx - 1], b = loop[idx + 1];
          return !((a[0] === p[0] && p[0] === b[0]) || (a[1] === p[1] && p[1] === b[1]));
        });
        d.push('M' + pts.map(function (p) { return p[0].toFixed(1) + ' ' + p[1].toFixed(1); }).join('L') + 'Z');
      }
    });
    return d.join('');
  }

  /* ------------------------------------------------------------- in words */

  /* Every person and every relationship as sentences, in the list's order,
     and every problem with the data. */
  function describe(people, words, options) {
    options = options || {};
    var say = new Speaker(words, options.lang);
    var model = buildModel(people, options.today);
    structure(model);
    var byId = model.byId;
    function name(id) { return displayName(byId[id], say); }
    function names(ids) { return say.list(ids.map(name)); }
    var items = model.persons.map(function (p) {
      var facts = [];
      if (p.sex) facts.push(say.fill('sex_' + p.sex, {}));
      if (p.unborn) facts.push(say.fill('unborn', { date: (p.born.m ? say.month(p.born.m) + ' ' : '') + p.born.y }));
      else if (p.died) facts.push(p.diedAge !== null ? say.fill('died_aged', { count: p.diedAge }) : say.fill('died', {}));
      else {
        var age = ageLine(p, say, model.today);
        if (age) facts.push(age);
      }
      if (p.subject) facts.push(say.fill('subject', {}));
      if (p.inHousehold === true) facts.push(say.fill('in_household', {}));
      if (p.inHousehold === false) facts.push(say.fill('not_in_household', {}));
      var rels = [];
      /* Parents, as the data gives them (drawn or not). */
      var ps = [p.mother, p.father].filter(function (x) { return x !== null; });
      if (ps.length) rels.push(say.fill(p.sex === 'female' ? 'daughter_of' : p.sex === 'male' ? 'son_of' : 'child_of', { names: names(ps), count: ps.length }));
      /* Children, by the other parent. */
      var kidsBy = {};
      var order = [];
      birthOrder(model.persons.filter(function (c) { return c.mother === p.id || c.father === p.id; })).forEach(function (c) {
        var other = c.mother === p.id ? c.father : c.mother;
        var k = other === null ? '' : other;
        if (!has(kidsBy, k)) { kidsBy[k] = []; order.push(k); }
        kidsBy[k].push(c.id);
      });
      var role = p.sex === 'female' ? 'mother_of' : p.sex === 'male' ? 'father_of' : 'parent_of';
      order.forEach(function (k) {
        var v = { names: names(kidsBy[k]), count: kidsBy[k].length };
        if (order.length > 1 && k) { v.other = name(k); rels.push(say.fill(role + '_with', v)); }
        else rels.push(say.fill(role, v));
      });
      p.partners.forEach(function (c) {
        if (!c.explicit) return;
        var o = c.a === p.id ? c.b : c.a;
        rels.push(say.fill('partner_' + (c.status || 'together'), { name: name(o) }));
      });
      var byQ = {};
      var qOrder = [];
      model.relations.forEach(function (r) {
        if (r.a !== p.id && r.b !== p.id) return;
        if (!has(byQ, r.quality)) { byQ[r.quality] = []; qOrder.push(r.quality); }
        byQ[r.quality].push(r.a === p.id ? r.b : r.a);
      });
      qOrder.forEach(function (q) { rels.push(say.fill('rel_' + q, { names: names(byQ[q]), count: byQ[q].length })); });
      var v2 = { name: displayName(p, say), facts: facts.join(say.get('fact_separator') || ', '), relations: rels.join(say.get('relation_separator') || '; ') };
      var key = facts.length ? (rels.length ? 'person' : 'person_no_relations') : (rels.length ? 'person_no_facts' : 'person_name_only');
      return { id: p.id, text: say.fill(key, v2) };
    });
    /* Given the layout of the same people, say too when lines had to cross. */
    if (options.layout && options.layout.crossings > 0) model.problems.push({ code: 'crossing' });
    var notes = model.problems.map(function (pr) { return problemText(pr, say, model); }).filter(Boolean);
    var inHouse = model.persons.filter(function (p) { return p.inHousehold === true; }).length;
    return {
      title: say.fill('title', { count: model.persons.length }),
      summary: model.persons.length ? say.fill('summary', {
        people: say.fill('people', { count: model.persons.length }),
        household: say.fill('household_count', { count: inHouse }),
      }) : '',
      people: items,
      notes: notes,
    };
  }

  function problemText(pr, say, model) {
    var byId = model.byId;
    function n(id) { return byId[id] ? displayName(byId[id], say) : String(id); }
    switch (pr.code) {
      case 'crossing': return say.fill('problem_crossing', {});
      case 'not_person': return say.fill('problem_not_person', { number: pr.index + 1 });
      case 'duplicate': return say.fill('problem_duplicate', { name: n(pr.b), other: n(pr.a) });
      case 'missing': return say.fill('problem_missing', { name: n(pr.a), role: say.fill('role_' + pr.role, {}) });
      case 'own_parent': return say.fill('problem_own_parent', { name: n(pr.a) });
      case 'own_partner': return say.fill('problem_own_partner', { name: n(pr.a) });
      case 'own_relation': return say.fill('problem_own_relation', { name: n(pr.a) });
      case 'same_parents': return say.fill('problem_same_parents', { name: n(pr.a), other: n(pr.b) });
      case 'cycle': return say.fill('problem_cycle', { child: n(pr.a), parent: n(pr.b) });
      case 'two_mothers': return say.fill('problem_two_mothers', { parent: n(pr.a), child: n(pr.b), other: n(pr.c) });
      case 'two_fathers': return say.fill('problem_two_fathers', { parent: n(pr.a), child: n(pr.b), other: n(pr.c) });
      case 'generation': return say.fill('problem_generation', { child: n(pr.a), parent: n(pr.b) });
      case 'status_conflict': return say.fill('problem_status_conflict', { a: n(pr.a), b: n(pr.b), status: say.fill('status_' + pr.status, {}) });
      case 'quality_conflict': return say.fill('problem_quality_conflict', { a: n(pr.a), b: n(pr.b), quality: say.fill('quality_' + pr.quality, {}) });
      default: return null;
    }
  }

  /* ---------------------------------------------------------------- rows */

  /* Household rows of a form -> people. */
  function fromRows(rows) {
    if (!Array.isArray(rows)) return [];
    return rows.map(function (r, i) {
      if (!isObj(r)) return null;
      var p = {
        id: str(r.member_id) || '#' + (i + 1),
        name: str(r.member_name),
        sex: str(r.member_sex),
        born: str(r.member_dob),
        age: r.member_age,
        died: yes(r.member_died),
        died_age: r.member_died_age,
        in_household: yes(r.member_in_household) ? true : no(r.member_in_household) ? false : null,
        subject: yes(r.member_subject),
        mother: str(r.member_mother),
        father: str(r.member_father),
        partners: [],
        relations: [],
      };
      function partner(id, status) { if (str(id)) p.partners.push({ id: str(id), status: str(status) || 'together' }); }
      function relation(id, quality) { if (str(id) && str(quality)) p.relations.push({ id: str(id), quality: str(quality) }); }
      partner(r.member_partner, r.member_partner_status);
      partner(r.member_partner_2, r.member_partner_2_status);
      if (Array.isArray(r.member_partners)) r.member_partners.forEach(function (x) { if (isObj(x)) partner(x.partner, x.status); });
      relation(r.member_relation, r.member_relation_quality);
      relation(r.member_relation_2, r.member_relation_2_quality);
      if (Array.isArray(r.member_relations)) r.member_relations.forEach(function (x) { if (isObj(x)) relation(x.person, x.quality); });
      return p;
    }).filter(Boolean);
  }

  /* ------------------------------------------------------------------ DOM */

  var SVG = 'http://www.w3.org/2000/svg';
  var counter = 0;

  function words(name) {
    var el = document.querySelector('script.hb-text[data-for="' + name + '"]');
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(name, cls, parent, text) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function pathD(pts) {
    return pts.map(function (p, i) { return (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1); }).join('');
  }

  function symbol(g, shape, x, y, r, cls) {
    if (shape === 'square') return el('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, 'class': cls }, g);
    if (shape === 'circle') return el('circle', { cx: x, cy: y, r: r, 'class': cls }, g);
    if (shape === 'triangle') {
      return el('polygon', { points: [[x, y - r * 0.85], [x + r * 0.9, y + r * 0.7], [x - r * 0.9, y + r * 0.7]].map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' '), 'class': cls }, g);
    }
    var d = r * 1.15;
    return el('polygon', { points: [[x, y - d], [x + d, y], [x, y + d], [x - d, y]].map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' '), 'class': cls }, g);
  }

  function drawSvg(lay, desc) {
    var id = 'genogram-' + (++counter);
    var svg = el('svg', {
      viewBox: '0 0 ' + lay.width + ' ' + lay.height, width: lay.width, height: lay.height,
      role: 'img', 'aria-labelledby': id + '-title', 'class': 'genogram-svg',
      'font-size': FONT, 'font-family': 'Arial, Helvetica, sans-serif',
      'data-crossings': lay.crossings,
    });
    el('title', { id: id + '-title' }, svg).textContent = desc.title;
    if (lay.household) el('path', { d: lay.household.d, 'class': 'genogram-household', fill: 'none', stroke: '#000', 'stroke-dasharray': '6 4', 'stroke-width': 1.5 }, svg);
    var lines = el('g', { 'class': 'genogram-lines', fill: 'none', stroke: '#000', 'stroke-width': 1.5 }, svg);
    lay.couples.forEach(function (c) {
      var g = el('g', { 'class': 'genogram-couple', 'data-a': c.a, 'data-b': c.b, 'data-status': c.status || 'none' }, lines);
      el('path', { d: pathD(c.path), 'class': 'genogram-couple-line' }, g);
      c.marks.forEach(function (m) { el('line', { x1: m.x - 4, y1: m.y + 6, x2: m.x + 4, y2: m.y - 6, 'class': 'genogram-mark' }, g); });
    });
    lay.children.forEach(function (c) {
      var g = el('g', { 'class': 'genogram-children', 'data-parents': c.parents.join(' ') }, lines);
      el('path', { d: pathD(c.descent) + pathD(c.bar), 'class': 'genogram-descent' }, g);
      c.drops.forEach(function (dr) { el('path', { d: pathD(dr.path), 'class': 'genogram-drop', 'data-child': dr.child }, g); });
    });
    var rels = el('g', { 'class': 'genogram-relations', fill: 'none', stroke: '#000', 'stroke-width': 1.2 }, svg);
    lay.relations.forEach(function (r) {
      var g = el('g', { 'class': 'genogram-relation genogram-relation-' + r.quality, 'data-a': r.a, 'data-b': r.b, 'data-quality': r.quality }, rels);
      r.lines.forEach(function (pts) {
        var attrs = { d: pathD(pts) };
        if (r.quality === 'distant') { attrs['stroke-dasharray'] = '2 3'; }
        el('path', attrs, g);
      });
    });
    var folk = el('g', { 'class': 'genogram-people' }, svg);
    lay.people.forEach(function (p) {
      var g = el('g', { 'class': 'genogram-person', 'data-id': p.id, 'data-shape': p.shape }, folk);
      symbol(g, p.shape, p.x, p.y, p.size, 'genogram-symbol').setAttribute('fill', '#fff');
      g.lastChild.setAttribute('stroke', '#000');
      g.lastChild.setAttribute('stroke-width', '1.5');
      if (p.subject) {
        var inner = symbol(g, p.shape, p.x, p.y, p.size - 4, 'genogram-subject');
        inner.setAttribute('fill', 'none'); inner.setAttribute('stroke', '#000'); inner.setAttribute('stroke-width', '1.5');
      }
      if (p.died) {
        var k = p.size * (p.shape === 'circle' ? 0.72 : p.shape === 'square' ? 1 : 0.6);
        el('path', { d: 'M' + (p.x - k) + ' ' + (p.y - k) + 'L' + (p.x + k) + ' ' + (p.y + k) + 'M' + (p.x + k) + ' ' + (p.y - k) + 'L' + (p.x - k) + ' ' + (p.y + k), 'class': 'genogram-died', stroke: '#000', 'stroke-width': 1.5 }, g);
      }
      /* A white card behind the words keeps them legible where a
         relationship line passes behind (a stroked halo would put every
         word into a PDF twice). */
      var tw = 0;
      p.lines.forEach(function (line) { tw = Math.max(tw, textWidth(line)); });
      el('rect', { x: p.x - tw / 2 - 2, y: p.labelY, width: tw + 4, height: p.lines.length * LINE + 2, fill: '#fff', 'class': 'genogram-label-card' }, g);
      var t = el('text', { x: p.x, y: p.labelY + FONT - 1, 'text-anchor': 'middle', 'class': 'genogram-label', fill: '#000' }, g);
      p.lines.forEach(function (line, i) {
        var span = el('tspan', { x: p.x, dy: i ? LINE : 0 }, t);
        if (i === p.lines.length - 1 && p.hasAge) span.setAttribute('class', 'genogram-age');
        span.textContent = line;
      });
    });
    return svg;
  }

  function render(container, people, options) {
    if (!container) return null;
    options = options || {};
    var w = options.words || words('genogram');
    var lang = options.lang || document.documentElement.getAttribute('lang') || 'en';
    var today = options.today || container.getAttribute('data-today') || null;
    var lay = layout(people, { words: w, lang: lang, today: today });
    var desc = describe(people, w, { lang: lang, today: today, layout: lay });
    var say = new Speaker(w, lang);
    var drawing = container.querySelector('.genogram-drawing');
    if (!drawing) { drawing = html('div', 'genogram-drawing', null); container.insertBefore(drawing, container.querySelector('.genogram-blank, .genogram-key')); }
    while (drawing.firstChild) drawing.removeChild(drawing.firstChild);
    var filled = lay.people.length > 0;
    container.setAttribute('data-state', filled ? 'filled' : 'empty');
    /* Wider than this and the words would print under 7 pt across A4
       portrait (178 mm between the margins): give it a landscape page. */
    container.classList.toggle('genogram-wide', filled && lay.width > 790);
    if (filled) {
      var svg = drawSvg(lay, desc);
      drawing.appendChild(svg);
      drawing.setAttribute('role', 'group');
      drawing.setAttribute('tabindex', '0');
      drawing.setAttribute('aria-labelledby', svg.querySelector('title').id);
      svg.style.width = '100%';
      svg.style.maxWidth = lay.width + 'px';
      svg.style.minWidth = Math.min(lay.width, Math.round(lay.width * 0.72)) + 'px';
      svg.style.height = 'auto';
    } else {
      drawing.removeAttribute('role');
      drawing.removeAttribute('tabindex');
      drawing.removeAttribute('aria-labelledby');
    }
    var box = container.querySelector('.genogram-words');
    if (!box) box = html('div', 'genogram-words', container);
    while (box.firstChild) box.removeChild(box.firstChild);
    if (filled) {
      var level = parseInt(container.getAttribute('data-heading-level'), 10);
      if (!(level >= 2 && level <= 6)) level = 3;
      html('h' + level, 'genogram-words-heading', box, say.fill('words_heading', {}));
      if (desc.summary) html('p', 'genogram-summary', box, desc.summary);
      var ul = html('ul', 'genogram-people-list', box);
      desc.people.forEach(function (it) { html('li', null, ul, it.text).setAttribute('data-id', it.id); });
      if (desc.notes.length) {
        html('p', 'genogram-notes-heading', box, say.fill('notes_heading', {}));
        var notes = html('ul', 'genogram-notes', box);
        desc.notes.forEach(function (t) { html('li', null, notes, t); });
      }
    }
    return lay;
  }

  var providers = {};
  function refresh(name) {
    if (typeof document === 'undefined') return;
    Array.prototype.forEach.call(document.querySelectorAll('[data-genogram-for]'), function (c) {
      var n = c.getAttribute('data-genogram-for');
      if ((name === undefined || n === name) && providers[n]) render(c, providers[n](c));
    });
  }
  function provide(name, fn) {
    providers[name] = fn;
    if (typeof document === 'undefined') return;
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { refresh(name); });
    else refresh(name);
  }

  var api = { layout: layout, describe: describe, render: render, fromRows: fromRows, provide: provide, refresh: refresh };
  root.HandbookGenogram = api;
  if (typeof module === 'object' && module && module.exports) module.exports = api;
})(typeof window !== 'undefined' ? window : this);
