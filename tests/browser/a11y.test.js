// WCAG 2.2 AA checks that axe-core cannot make on its own, on every page of
// the default handbook opened from file://: reflow at 400% zoom, 24 px
// targets, visible keyboard focus, headings in order and the landmarks.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { htmlFiles, fileUrl, openPage, setUp } = require('./lib');

let site;
let pages;
let browser;
setUp({
  ready: (s) => {
    ({ site, browser } = s);
    pages = htmlFiles(site);
  },
});

// The parts of every page a reader moves around with.
const CHROME = 'header, #site-nav, .breadcrumbs, .pager, footer';

/** Runs `check(page, rel)` on every page; gathers failures instead of stopping at the first. */
async function everyPage(contextOptions, check) {
  const context = await browser.newContext(contextOptions);
  const failures = [];
  for (const rel of pages) {
    const page = await openPage(context, fileUrl(site, rel));
    const found = await check(page, rel);
    for (const f of found || []) failures.push(`${rel}: ${f}`);
    await page.close();
  }
  await context.close();
  return failures;
}

test('400% zoom: at 320 CSS px wide nothing scrolls sideways and every part is reachable', async () => {
  // A 1280 px wide window at 400% zoom lays pages out in 320 CSS px.
  const failures = await everyPage({ viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 }, async (page) => {
    const found = [];
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) found.push(`scrolls sideways by ${overflow}px`);
    // Anything sticking out past the right edge (tables scroll inside their own box, which WCAG allows;
    // visually hidden text is clipped to nothing).
    const wide = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('.prose table, .table-scroll, .visually-hidden, .sidebar:not(.is-open)')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > document.documentElement.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px`);
      }
      return out.slice(0, 5);
    });
    found.push(...wide);
    // The main content is there, and the contents open from the Menu button.
    if (!(await page.locator('main h1').isVisible())) found.push('no visible h1 in main');
    const button = page.locator('.nav-toggle');
    if (!(await button.isVisible())) {
      found.push('no Menu button');
      return found;
    }
    await button.click();
    const nav = page.locator('#site-nav');
    if (!(await nav.isVisible())) found.push('Menu does not show the contents');
    const links = await nav.locator('a').evaluateAll((as) =>
      as.map((a) => {
        const r = a.getBoundingClientRect();
        return { text: a.textContent.trim(), left: r.left, right: r.right, height: r.height };
      }),
    );
    if (links.length < 5) found.push(`only ${links.length} links in the contents`);
    for (const l of links) {
      if (l.left < 0 || l.right > 321 || l.height === 0) found.push(`contents link "${l.text}" is cut off`);
    }
    const after = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (after > 0) found.push(`with the contents open, scrolls sideways by ${after}px`);
    return found;
  });
  assert.deepEqual(failures, []);
});

/** Every link and button in the page chrome: at least 24 by 24 CSS px, or spaced as WCAG 2.5.8 allows. */
function targetSizeProblems(selector) {
  const targets = [...document.querySelectorAll(`${selector}`)]
    .flatMap((area) => [...area.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')])
    .filter((el, i, all) => all.indexOf(el) === i)
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0);
  const small = (t) => t.r.width < 24 - 0.01 || t.r.height < 24 - 0.01;
  const centre = (t) => ({ x: t.r.left + t.r.width / 2, y: t.r.top + t.r.height / 2 });
  const distToRect = (p, r) => {
    const dx = Math.max(r.left - p.x, 0, p.x - r.right);
    const dy = Math.max(r.top - p.y, 0, p.y - r.bottom);
    return Math.hypot(dx, dy);
  };
  const problems = [];
  for (const t of targets.filter(small)) {
    const c = centre(t);
    // The spacing exception: a 24 px circle on its centre touches no other target and no other small target's circle.
    const clash = targets.find((u) => {
      if (u === t) return false;
      if (distToRect(c, u.r) < 12) return true;
      return small(u) && Math.hypot(c.x - centre(u).x, c.y - centre(u).y) < 24;
    });
    if (clash) {
      const name = (el) => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`;
      problems.push(`${name(t.el)} is ${Math.round(t.r.width)}x${Math.round(t.r.height)}px and too close to ${name(clash.el)}`);
    }
  }
  return { count: targets.length, problems };
}

test('target size: links and buttons in header, contents, breadcrumbs, pager and footer are 24 px or spaced', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 320, height: 640 }]) {
    const failures = await everyPage({ viewport }, async (page) => {
      if (await page.locator('.nav-toggle').isVisible()) await page.locator('.nav-toggle').click();
      const { count, problems } = await page.evaluate(targetSizeProblems, CHROME);
      if (count < 10) problems.push(`only ${count} targets found`);
      return problems.map((p) => `${viewport.width}px: ${p}`);
    });
    assert.deepEqual(failures, []);
  }
});

test('visible focus: every link and button shows an outline or highlight when reached by Tab', async () => {
  const failures = await everyPage({ viewport: { width: 1280, height: 900 } }, async (page, rel) => {
    const found = [];
    // Unfocused look of every focusable element, keyed by its position.
    const count = await page.evaluate(() => {
      const els = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')];
      els.forEach((el, i) => {
        const s = getComputedStyle(el);
        el.dataset.focusIndex = String(i);
        el.dataset.unfocused = JSON.stringify([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color]);
      });
      return els.length;
    });
    const seen = new Set();
    for (let i = 0; i < count + 1; i++) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || !el.dataset.focusIndex) return null;
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          index: el.dataset.focusIndex,
          name: `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`,
          unfocused: JSON.parse(el.dataset.unfocused),
          focused: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color],
          visible: r.width > 0 && r.height > 0 && r.bottom > -9000 && r.right > 0,
        };
      });
      if (!state) continue;
      if (seen.has(state.index)) break; // wrapped round
      seen.add(state.index);
      const [style, width, , shadow] = state.focused;
      const outline = style !== 'none' && parseFloat(width) >= 2;
      const ring = shadow !== 'none';
      const changed = JSON.stringify(state.focused) !== JSON.stringify(state.unfocused);
      if (!state.visible) found.push(`${state.name} is focused but not on screen`);
      else if (!(outline || ring) || !changed) found.push(`${state.name} shows no focus indicator`);
    }
    if (seen.size < Math.min(count, 10)) found.push(`Tab reached only ${seen.size} of ${count} focusable elements`);
    return found;
  });
  assert.deepEqual(failures, []);
});

test('headings: one h1, first, and no level skipped, on every page', async () => {
  const failures = await everyPage({}, async (page) => {
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) =>
      // The error summary sits above the h1 by design (GOV.UK Design System), so it is left out.
      hs.filter((h) => (h.getClientRects().length > 0 || h.closest('main')) && !h.closest('.error-summary')).map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim() })),
    );
    const found = [];
    if (levels.filter((h) => h.level === 1).length !== 1) found.push(`${levels.filter((h) => h.level === 1).length} h1 elements`);
    if (!levels.length || levels[0].level !== 1) found.push(`the first heading is not the h1: ${JSON.stringify(levels[0])}`);
    for (let i = 1; i < levels.length; i++) {
      if (levels[i].level > levels[i - 1].level + 1) {
        found.push(`h${levels[i].level} "${levels[i].text}" follows h${levels[i - 1].level} "${levels[i - 1].text}"`);
      }
    }
    return found;
  });
  assert.deepEqual(failures, []);
});

test('landmarks: banner, navigation, search, main and contentinfo on every page, and all content inside them', async () => {
  const failures = await everyPage({}, async (page) => {
    const found = [];
    for (const [role, min, max] of [['banner', 1, 1], ['navigation', 1, 5], ['search', 1, 1], ['main', 1, 1], ['contentinfo', 1, 1]]) {
      const n = await page.getByRole(role).count();
      if (n < min || n > max) found.push(`${n} ${role} landmarks`);
    }
    // Several navigation landmarks each need their own name.
    const names = await page.getByRole('navigation').evaluateAll((navs) => navs.map((n) => n.getAttribute('aria-label') || n.getAttribute('aria-labelledby')));
    if (names.some((n) => !n) || new Set(names).size !== names.length) found.push(`navigation landmarks need distinct names: ${JSON.stringify(names)}`);
    // Every piece of visible text sits in a landmark (the skip link is the one allowed exception).
    const outside = await page.evaluate(() => {
      const landmarks = 'header, nav, main, footer, [role=search], aside';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const out = [];
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!node.textContent.trim() || el.closest('.skip-link') || el.closest(landmarks)) continue;
        if (el.getClientRects().length) out.push(node.textContent.trim().slice(0, 40));
      }
      return out;
    });
    for (const t of outside) found.push(`text outside any landmark: "${t}"`);
    return found;
  });
  assert.deepEqual(failures, []);
});
