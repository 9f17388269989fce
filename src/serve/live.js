// Live reload for `handbook serve`. The preview server adds this script to
// the pages it sends; it is never part of a built site. It listens to the
// server's event stream: when a new version of the site is in place the
// page reloads; when an edit broke the handbook, the errors are listed over
// the page until they are fixed. Text only (textContent), never HTML.
(function () {
  'use strict';
  var script = document.currentScript;
  var match = script && /[?&]v=(\d+)/.exec(script.src);
  var version = match ? match[1] : '';
  // The page the server shows before the handbook has ever built lists the
  // errors itself: it reloads when they change instead.
  var errorsPage = !!(script && /[?&]errors=1/.test(script.src));
  var seenErrors = null;
  var box = null;
  var styled = false;

  function addStyles() {
    if (styled) return;
    styled = true;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/__handbook/live.css';
    document.head.appendChild(link);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function show(errors) {
    if (box) {
      box.parentNode.removeChild(box);
      box = null;
    }
    if (!errors.length) return;
    addStyles();
    box = element('section', 'handbook-live');
    box.id = 'handbook-live-errors';
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', 'handbook-live-title');
    var title = element('h2', 'handbook-live__title',
      errors.length === 1 ? 'The handbook has an error' : 'The handbook has ' + errors.length + ' errors');
    title.id = 'handbook-live-title';
    box.appendChild(title);
    box.appendChild(element('p', 'handbook-live__hint',
      'This page shows the last version that built. Fix the file and save it: this message goes away by itself.'));
    var list = element('ul', 'handbook-live__list');
    errors.forEach(function (e) {
      var item = element('li');
      item.appendChild(element('code', 'handbook-live__where', e.path + ':' + e.line + ':' + e.col));
      item.appendChild(document.createTextNode(' ' + e.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    var hide = element('button', 'handbook-live__hide', 'Hide this message');
    hide.type = 'button';
    hide.addEventListener('click', function () { box.hidden = true; });
    box.appendChild(hide);
    document.body.insertBefore(box, document.body.firstChild);
  }

  function whenReady(fn) {
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  function onState(event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    // Says the page is listening (the browser tests wait for it).
    document.documentElement.setAttribute('data-handbook-live', 'listening');
    if (String(state.version) !== version) {
      disconnect();
      window.location.reload();
      return;
    }
    if (errorsPage) {
      var now = JSON.stringify(state.errors || []);
      if (seenErrors !== null && now !== seenErrors) window.location.reload();
      seenErrors = now;
      return;
    }
    whenReady(function () { show(state.errors || []); });
  }

  // Browsers allow about six connections to one server: only pages that
  // are on screen listen, so many open tabs never block loading a page.
  // A tab shown again hears the current state at once and catches up.
  var source = null;
  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource('/__handbook/events');
    source.addEventListener('state', onState);
  }
  function disconnect() {
    if (source) source.close();
    source = null;
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) disconnect();
    else connect();
  });
  if (!document.hidden) connect();
})();
