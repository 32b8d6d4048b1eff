// The live margin of a session page (discussions/sections/meeting_live.html): htmx polls it
// (`data-live`); this pauses the poll while the person is typing anywhere on the page, so
// nothing moves under their hands. A 304 (nothing new) swaps nothing (base.html's config).
(function () {
  "use strict";
  var PAUSE_MS = 8000;
  var lastTyped = 0;

  function isField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable ||
      (tag === "INPUT" && !/^(button|submit|checkbox|radio|reset)$/i.test(el.type || ""));
  }

  document.addEventListener("input", function (event) {
    if (isField(event.target)) lastTyped = Date.now();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (isField(event.target)) lastTyped = Date.now();
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.hasAttribute("data-live")) return;
    var typing = isField(document.activeElement) && Date.now() - lastTyped < PAUSE_MS;
    if (typing) event.preventDefault();
  });
})();
