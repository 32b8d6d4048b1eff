/* Who has reached a chapter (a circle's contents): the names show on hover or focus, by CSS
   alone; Escape hides them again until the pointer or the focus leaves (WCAG 1.4.13). */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-reach]").forEach(function (reach) {
      if (reach.matches(":hover") || reach.matches(":focus")) {
        reach.classList.add("reach--dismissed");
      }
    });
  });

  function restore(event) {
    event.currentTarget.classList.remove("reach--dismissed");
  }

  document.querySelectorAll("[data-reach]").forEach(function (reach) {
    reach.addEventListener("mouseleave", restore);
    reach.addEventListener("blur", restore);
  });
})();
