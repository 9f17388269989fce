// Random families for the genogram property tests, the class of families
// the layout promises to draw without crossing lines, and a geometric check
// of a drawing that knows nothing about how the layout works: it reads only
// the positions of symbols, labels and line segments.
'use strict';

/** A small deterministic random source (xorshift32, seed mixed first). */
function rng(seed) {
  let s = (Math.imul(seed, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  for (let i = 0; i < 8; i++) next();
  return next;
}

/**
 * A random family of 4 to 20 people over at most four generations, grown the
 * way a household list grows: a couple, then children (of a couple or of one
 * parent), new partners (at most two each, any status), and parents for
 * someone who has none (which brings in-law families and grandparents).
 * Every step adds new people only, so no one is related to anyone by two
 * routes. Some relationships (close, distant, conflict, cut off) at random.
 */
function family(seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const max = 4 + Math.floor(r() * 17);
  const people = [];
  const level = {};
  let n = 0;
  function person(lv, sex) {
    const p = {
      id: 'q' + (++n),
      name: 'Person ' + n + (r() < 0.3 ? ' Longername-Smith' : ''),
      sex: sex || pick(['female', 'male', 'male', 'female', 'not_known', 'not_said', '']),
      born: String(1935 + lv * 24 + Math.floor(r() * 18)) + '-0' + (1 + Math.floor(r() * 9)) + '-1' + Math.floor(r() * 9),
      in_household: r() < 0.4,
      died: lv === 0 && r() < 0.3,
      partners: [],
      relations: [],
    };
    people.push(p);
    level[p.id] = lv;
    return p;
  }
  const byId = (id) => people.find((p) => p.id === id);
  const partnersOf = (p) => people.filter((q) => q.partners.some((l) => l.id === p.id)).map((q) => q.id).concat(p.partners.map((l) => l.id));
  const first = Math.floor(r() * 2) + 1;
  const a = person(first, 'female');
  const b = person(first, 'male');
  a.partners.push({ id: b.id, status: pick(['together', 'separated', 'divorced']) });
  for (let guard = 0; people.length < max && guard < 200; guard++) {
    const op = r();
    if (op < 0.5) {
      const p = pick(people);
      if (level[p.id] >= 3) continue;
      const ps = partnersOf(p);
      const other = ps.length && r() < 0.85 ? byId(pick(ps)) : null;
      const c = person(level[p.id] + 1);
      const mum = p.sex === 'female' ? p : other && other.sex === 'female' ? other : null;
      const dad = mum === p ? other : p;
      if (mum) c.mother = mum.id;
      if (dad && dad !== mum) c.father = dad.id;
      if (!c.mother && !c.father) c.mother = p.id;
    } else if (op < 0.75) {
      const p = pick(people);
      if (partnersOf(p).length >= 2) continue;
      const q = person(level[p.id], p.sex === 'female' ? 'male' : 'female');
      p.partners.push({ id: q.id, status: pick(['together', 'separated', 'divorced']) });
    } else {
      const p = pick(people);
      if (p.mother || p.father || level[p.id] === 0) continue;
      const m = person(level[p.id] - 1, 'female');
      p.mother = m.id;
      if (r() < 0.8) {
        const f = person(level[p.id] - 1, 'male');
        p.father = f.id;
        m.partners.push({ id: f.id, status: pick(['together', 'separated', 'divorced']) });
      }
    }
  }
  const young = people.filter((p) => level[p.id] >= 2);
  if (young.length) pick(young).subject = true;
  for (let i = 0, k = Math.floor(r() * 4); i < k; i++) {
    const x = pick(people), y = pick(people);
    if (x !== y) x.relations.push({ id: y.id, quality: pick(['close', 'distant', 'conflict', 'cut_off']) });
  }
  return people;
}

/**
 * The families the layout promises to draw with no crossing lines, decided
 * from the data alone (for families with no one related by two routes, as
 * family() makes). A "group of partners" is everyone joined by partnerships
 * (or by having a child together).
 *  (a) no one has more than two partners;
 *  (b) at most two people in a group of partners have their own parents drawn;
 *  (c) of one couple's children, at most two have a partner whose parents are drawn;
 *  (d) such a child is a child of the first or last union, along their
 *      parents' group of partners, to have children; and when two of one
 *      couple's children are, that couple is the only union of the group
 *      with children.
 * Outside this class some lines must cross whatever the order (for example
 * a man between two partners whose parents are all drawn, and who has a
 * brother: his parents' line has to pass one of theirs).
 */
function inClass(people) {
  const by = Object.fromEntries(people.map((p) => [p.id, p]));
  const nb = {};
  people.forEach((p) => { nb[p.id] = new Set(); });
  const link = (a, b) => { if (by[a] && by[b] && a !== b) { nb[a].add(b); nb[b].add(a); } };
  people.forEach((p) => {
    (p.partners || []).forEach((l) => link(p.id, l.id));
    if (p.mother && p.father) link(p.mother, p.father);
  });
  if (people.some((p) => nb[p.id].size > 2)) return false;
  const chain = {};
  people.forEach((p) => {
    if (chain[p.id]) return;
    const c = { members: [] };
    const stack = [p.id];
    while (stack.length) {
      const x = stack.pop();
      if (chain[x]) continue;
      chain[x] = c;
      c.members.push(x);
      nb[x].forEach((y) => stack.push(y));
    }
  });
  const rooted = (id) => !!(by[id].mother || by[id].father);
  const chains = [...new Set(Object.values(chain))];
  if (chains.some((c) => c.members.filter(rooted).length > 2)) return false;
  const marriedIn = (id) => chain[id].members.some((m) => m !== id && rooted(m));
  const unions = {};
  people.forEach((p) => {
    if (!rooted(p.id)) return;
    const k = [p.mother || '', p.father || ''].join('|');
    (unions[k] = unions[k] || []).push(p.id);
  });
  if (Object.values(unions).some((kids) => kids.filter(marriedIn).length > 2)) return false;
  const slotOf = (k) => { const [m, f] = k.split('|'); return m && f ? [m, f].sort().join('|') : (m || f) + '|single'; };
  for (const c of chains) {
    const ends = c.members.filter((m) => nb[m].size <= 1);
    const path = [];
    let cur = ends[0] || c.members[0];
    let prev = null;
    while (cur && path.length < c.members.length) {
      path.push(cur);
      const nx = [...nb[cur]].find((y) => y !== prev && path.indexOf(y) < 0);
      prev = cur;
      cur = nx;
    }
    const slots = [];
    path.forEach((m, i) => {
      slots.push(m + '|single');
      if (i + 1 < path.length) slots.push([m, path[i + 1]].sort().join('|'));
    });
    const used = slots.filter((s) => Object.keys(unions).some((k) => slotOf(k) === s));
    for (const k of Object.keys(unions)) {
      const i = used.indexOf(slotOf(k));
      if (i < 0) continue;
      const married = unions[k].filter(marriedIn).length;
      if (married && i !== 0 && i !== used.length - 1) return false;
      if (married > 1 && used.length > 1) return false;
    }
  }
  return true;
}

/* ------------------------------------------------------------ geometry */

function cross(o, a, b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); }

function pointSegment(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l = dx * dx + dy * dy;
  const t = l ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Distance between two segments: 0 when they cross. */
function segmentDistance(p, q, r, s) {
  const d1 = cross(r, s, p), d2 = cross(r, s, q), d3 = cross(p, q, r), d4 = cross(p, q, s);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0;
  return Math.min(pointSegment(p, r, s), pointSegment(q, r, s), pointSegment(r, p, q), pointSegment(s, p, q));
}

/** Does the segment pass through the inside of the box? */
function segmentInBox(p, q, b) {
  let t0 = 0, t1 = 1;
  const dx = q[0] - p[0], dy = q[1] - p[1];
  const P = [-dx, dx, -dy, dy], Q = [p[0] - b.x1, b.x2 - p[0], p[1] - b.y1, b.y2 - p[1]];
  for (let i = 0; i < 4; i++) {
    if (P[i] === 0) { if (Q[i] <= 0) return false; } else {
      const t = Q[i] / P[i];
      if (P[i] < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1 - 1e-9;
}

/**
 * What is wrong with a drawing, given
 *   people: [{id, box: {x1, y1, x2, y2}}]   each symbol with its name and age
 *   lines:  [{family, ends: [ids], p: [x, y], q: [x, y]}]
 * where `family` is the couple a line belongs to (the couple line, the line
 * down to their children, the children's bar and each child's drop), and
 * `ends` the people it may touch (the couple for its own line, a child for
 * its drop). "Crossing" means: two segments of different families come
 * within 1 unit of each other (crossing, touching or running along), or a
 * segment passes through the symbol or label of someone not among its ends.
 * Overlap means two people's boxes share any area.
 */
function problems(people, lines) {
  const out = [];
  for (let i = 0; i < people.length; i++) {
    for (let j = i + 1; j < people.length; j++) {
      const a = people[i].box, b = people[j].box;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push(`overlap: ${people[i].id} and ${people[j].id}`);
    }
  }
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const s = lines[i], t = lines[j];
      if (s.family !== t.family && segmentDistance(s.p, s.q, t.p, t.q) < 1) out.push(`crossing: ${s.family} and ${t.family}`);
    }
  }
  lines.forEach((s) => people.forEach((p) => {
    if (s.ends.indexOf(p.id) < 0 && segmentInBox(s.p, s.q, p.box)) out.push(`line through a person: ${s.family} through ${p.id}`);
  }));
  return out;
}

/** The people and family lines of a layout() result, for problems(). */
function fromLayout(lay) {
  const key = (ids) => ids.slice().sort().join('+');
  const lines = [];
  lay.couples.forEach((c) => {
    for (let i = 0; i + 1 < c.path.length; i++) lines.push({ family: key([c.a, c.b]), ends: [c.a, c.b], p: c.path[i], q: c.path[i + 1] });
  });
  lay.children.forEach((c) => {
    const f = key(c.parents);
    lines.push({ family: f, ends: c.parents, p: c.descent[0], q: c.descent[1] });
    lines.push({ family: f, ends: [], p: c.bar[0], q: c.bar[1] });
    c.drops.forEach((d) => lines.push({ family: f, ends: [d.child], p: d.path[0], q: d.path[1] }));
  });
  return { people: lay.people.map((p) => ({ id: p.id, box: p.box })), lines };
}

module.exports = { rng, family, inClass, problems, fromLayout };
