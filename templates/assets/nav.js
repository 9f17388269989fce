/* The sidebar behind a Menu button on narrow screens. Loaded in <head>
   (not deferred) so the "js" class is set before the page is drawn. */
(function () {
  'use strict';
  var html = document.documentElement;
  html.className = html.className.replace(/\bno-js\b/, 'js');

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('.nav-toggle');
    var nav = document.getElementById('site-nav');
    if (!button || !nav) return;

    function setOpen(open) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) nav.classList.add('is-open'); else nav.classList.remove('is-open');
    }

    button.addEventListener('click', function () {
      setOpen(button.getAttribute('aria-expanded') !== 'true');
    });

    nav.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
        setOpen(false);
        button.focus();
      }
    });
  });
})();
