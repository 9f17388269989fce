/* Genograms on a form page: gives genogram.js the rows of the repeat each
   genogram names (as the answers file holds them) and asks it to draw again
   whenever forms.js has changed anything: typing, a choice, a row added,
   removed or put back, answers opened from a file or carried from an
   earlier form, a draft unlocked, and just before printing.

   The drawing is made from the rows every time and never kept: the answers
   file and drafts hold only the rows. One classic script (no modules), after
   forms.js and genogram.js, so it runs from file:// under the page's CSP;
   it has no words of its own (genogram.js takes them from the page). */
(function () {
  'use strict';

  function start() {
    var G = window.HandbookGenogram;
    var F = window.HandbookForm;
    if (!G || !F) return;
    var names = {};
    Array.prototype.forEach.call(document.querySelectorAll('[data-genogram-for]'), function (c) {
      names[c.getAttribute('data-genogram-for')] = true;
    });
    Object.keys(names).forEach(function (name) {
      G.provide(name, function () { return G.fromRows(F.rows(name)); });
    });
    F.onRefresh(function () { G.refresh(); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
