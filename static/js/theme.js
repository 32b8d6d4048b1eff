/* The colour theme: the system's (the default), light or dark, chosen in the reader's bar and
   remembered in this browser. Loaded in <head> without `defer` on every page, so the choice
   applies before the first paint; the pages look right without it (the system's theme). */
(function () {
  "use strict";

  var KEY = "marginalia.theme";
  var root = document.documentElement;

  function read() {
    try {
      var theme = window.localStorage.getItem(KEY);
      return theme === "light" || theme === "dark" ? theme : "system";
    } catch (e) {
      return "system";
    }
  }

  function apply(theme) {
    if (theme === "system") {
      delete root.dataset.theme;
    } else {
      root.dataset.theme = theme;
    }
  }

  apply(read());

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-theme-choice]").forEach(function (choice) {
      choice.value = read();
      choice.addEventListener("change", function () {
        try {
          window.localStorage.setItem(KEY, choice.value);
        } catch (e) {
          /* private mode: the theme still applies to this page */
        }
        apply(choice.value);
      });
      var group = choice.closest(".theme-switch");
      if (group) group.hidden = false;
    });
  });
})();
