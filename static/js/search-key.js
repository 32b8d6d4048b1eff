/* "/" focuses the page's search box (an input marked data-search-box), as on many sites,
   unless one is already typing somewhere, a modifier key is held, or single-key shortcuts
   are turned off (the Keyboard page; shortcuts.js handles "/" itself in the circle's reader).
   The box works without it. */
(function () {
  "use strict";

  var KEY = "marginalia.shortcuts";

  function enabled() {
    try {
      return window.localStorage.getItem(KEY) !== "off";
    } catch (e) {
      return true;
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || !enabled()) return;
    var box = document.querySelector("[data-search-box]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
