/* Drop-downs that name one of the family's own outcomes (`options_from` in
   the form's TOML): each offers only the outcomes ticked in the outcomes
   field it names, so an action is tied to an outcome of this family's plan
   rather than to a name typed from memory. With nothing ticked yet, every
   outcome is offered; an answer already chosen stays offered even after its
   outcome is unticked, so nothing chosen is lost silently.

   The page holds every outcome as an option (so the form works without
   JavaScript and the answers schema lists them all); this only hides the
   ones not chosen. One classic script after forms.js, no words of its own. */
(function () {
  'use strict';

  function ticked(id) {
    var boxes = document.querySelectorAll('[data-field="' + id + '"] input[type=checkbox]');
    return Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
  }

  function update() {
    var chosen = {};
    Array.prototype.forEach.call(document.querySelectorAll('form [data-options-from]'), function (group) {
      var from = group.getAttribute('data-options-from');
      if (!chosen[from]) chosen[from] = ticked(from);
      var list = chosen[from];
      Array.prototype.forEach.call(group.querySelectorAll('select option'), function (o) {
        if (!o.value) return;
        o.hidden = list.length > 0 && list.indexOf(o.value) < 0 && !o.selected;
      });
    });
  }

  function start() {
    update();
    document.addEventListener('change', update);
    /* Rows added after loading get their lists made when first used. */
    document.addEventListener('focusin', function (e) {
      if (e.target && e.target.tagName === 'SELECT' && e.target.closest('[data-options-from]')) update();
    });
    if (window.HandbookForm && window.HandbookForm.onRefresh) window.HandbookForm.onRefresh(update);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
