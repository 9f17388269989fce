/* Printing: the family's name and the date printed, at the top right of
   every printed sheet of a form or course pack.

   The title, the footer and "Page N of M" come from the document's own
   print stylesheet (made with the page from templates/print.css, so they
   print without JavaScript). These two are only known at the moment of
   printing, so they go into a stylesheet made here with CSSOM (allowed by
   the page's Content-Security-Policy, unlike inline style) as the content
   of the @page top-right margin box. The family's name is read from the
   element carrying data-family-label (an input's value, else the
   attribute's value or the element's text). Words come from the page. */
(function () {
  'use strict';

  function words(name) {
    var el = document.querySelector('script.hb-text[data-for="' + name + '"]');
    return el ? JSON.parse(el.textContent) : {};
  }

  if (typeof CSSStyleSheet !== 'function' || !('adoptedStyleSheets' in document)) return;
  var text = words('print');
  var sheet;
  try {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
  } catch (e) {
    return;
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : m;
    });
  }

  /* Typed text as a CSS string: quotes, backslashes and control characters
     escaped, so nothing typed can end the string or add a rule. */
  function cssString(s) {
    return '"' + s.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, function (c) {
      return '\\' + c.charCodeAt(0).toString(16) + ' ';
    }) + '"';
  }

  function familyLabel() {
    var el = document.querySelector('[data-family-label]') || document.getElementById('family-label');
    if (!el) return '';
    var value = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) ? el.value : (el.getAttribute('data-family-label') || el.textContent);
    value = String(value || '').replace(/\s+/g, ' ').trim();
    return value.length > 40 ? value.slice(0, 39) + '\u2026' : value;
  }

  function today() {
    var d = new Date();
    var months = Array.isArray(text.months) && text.months.length === 12 ? text.months : null;
    return d.getDate() + ' ' + (months ? months[d.getMonth()] : d.getMonth() + 1) + ' ' + d.getFullYear();
  }

  var last = null;
  function update() {
    var parts = [];
    var label = familyLabel();
    if (label && text.family) parts.push(fill(text.family, { label: label }));
    if (text.printed) parts.push(fill(text.printed, { date: today() }));
    var rule = '@page { @top-right { content: ' + cssString(parts.join(text.separator || ' ')) + '; } }';
    if (rule === last) return;
    last = rule;
    sheet.replaceSync(rule);
  }

  update();
  window.addEventListener('beforeprint', update);
  document.addEventListener('input', update);
  document.addEventListener('change', update);
})();
