/* The reader: text size (remembered), a progress bar that follows the scroll, and the
   furthest passage reached (notes aside) posted for signed-in readers — the only way progress
   is saved: loading a chapter records nothing. Loaded in <head> without `defer` so the saved
   text size applies before the first paint; everything else waits for the DOM. The page works
   without it. */
(function () {
  "use strict";

  var SIZE_KEY = "marginalia.readerSize";
  var MIN_SIZE = -2;
  var MAX_SIZE = 4;
  var SAVE_EVERY_MS = 8000;
  var root = document.documentElement;

  function readSize() {
    try {
      var n = parseInt(window.localStorage.getItem(SIZE_KEY), 10);
      return isNaN(n) ? 0 : Math.min(MAX_SIZE, Math.max(MIN_SIZE, n));
    } catch (e) {
      return 0;
    }
  }

  function applySize(n) {
    if (n === 0) {
      delete root.dataset.readerSize;
    } else {
      root.dataset.readerSize = String(n);
    }
  }

  applySize(readSize());

  function setUpTextSize() {
    var group = document.querySelector(".text-size");
    if (!group) return;
    var buttons = group.querySelectorAll("[data-text-size]");
    function refresh(n) {
      buttons.forEach(function (button) {
        var step = parseInt(button.dataset.textSize, 10);
        var atEnd = (step < 0 && n <= MIN_SIZE) || (step > 0 && n >= MAX_SIZE);
        button.setAttribute("aria-disabled", atEnd ? "true" : "false");
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var n = Math.min(MAX_SIZE, Math.max(MIN_SIZE, readSize() + parseInt(button.dataset.textSize, 10)));
        try {
          window.localStorage.setItem(SIZE_KEY, String(n));
        } catch (e) {
          /* private mode: the size still applies to this page */
        }
        applySize(n);
        refresh(n);
      });
    });
    refresh(readSize());
    group.hidden = false;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function setUpProgress() {
    var article = document.querySelector(".reader");
    var list = document.getElementById("passages");
    if (!article || !list) return;
    var bar = article.querySelector("[data-chapter-progress]");
    var passages = list.querySelectorAll(".passage[id^='p-']");
    var url = article.dataset.progressUrl;
    var chapter = article.dataset.chapter;
    var furthest = -1;
    var saved = -1;
    var lastSave = 0;
    var timer = null;
    var ticking = false;

    if (bar) {
      bar.setAttribute("aria-label", "Read of this chapter");
      bar.value = 0;
    }

    // The last passage whose top has passed the middle of the window.
    function reachedIndex() {
      var middle = window.innerHeight / 2;
      var lo = 0;
      var hi = passages.length - 1;
      var found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (passages[mid].getBoundingClientRect().top <= middle) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }

    function save(useBeacon) {
      if (!url || furthest < 0 || furthest === saved) return;
      saved = furthest;
      lastSave = Date.now();
      var body = new URLSearchParams();
      body.set("chapter", chapter);
      body.set("passage", passages[furthest].id.slice(2));
      window.fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: Boolean(useBeacon),
        headers: { "X-CSRFToken": csrfToken() },
      }).catch(function () {
        saved = -1; /* try again next time */
      });
    }

    function update() {
      ticking = false;
      if (bar) {
        var rect = list.getBoundingClientRect();
        var total = rect.height - window.innerHeight / 2;
        var done = window.innerHeight / 2 - rect.top;
        var percent = total > 0 ? Math.round((100 * done) / total) : 100;
        bar.value = Math.max(0, Math.min(100, percent));
      }
      var index = reachedIndex();
      // Notes are not the text: following a reference to one does not move the place kept.
      if (index > furthest && !passages[index].classList.contains("passage--note")) {
        furthest = index;
        var wait = SAVE_EVERY_MS - (Date.now() - lastSave);
        if (wait <= 0) {
          save(false);
        } else if (!timer) {
          timer = window.setTimeout(function () {
            timer = null;
            save(false);
          }, wait);
        }
      }
    }

    function onScroll() {
      if (!ticking) {
        ticking = true;
        window.requestAnimationFrame(update);
      }
    }

    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll, { passive: true });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    // Wait for the load event: a permalink's jump to its passage happens after the DOM is ready.
    if (document.readyState === "complete") {
      onScroll();
    } else {
      window.addEventListener("load", onScroll);
    }
  }

  function init() {
    setUpTextSize();
    setUpProgress();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
