/* The reader's single-key shortcuts (listed on the Keyboard page, which turns them off):
   n / p next and previous highlight, m open or close the margin, c comment on the selection
   (or the passage at the focus), / the chapter's search. They act through the page's own
   buttons and links (annotate.js opens and closes the margin), never while the focus is in a
   text field or with a modifier key held. Escape (annotate.js) is not a shortcut: it always
   closes the margin. */
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

  function announce(text) {
    document.body.dispatchEvent(new CustomEvent("margin:announce", { detail: { text: text } }));
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  /* The highlight starts in document order; the one after (or before) the focus. */
  function step(forward) {
    var starts = Array.prototype.slice.call(document.querySelectorAll(".hl-open"));
    if (!starts.length) return announce("There are no highlights on this page.");
    var active = document.activeElement;
    var index = starts.indexOf(active);
    var next = null;
    if (index >= 0) {
      next = starts[index + (forward ? 1 : -1)] || null;
    } else if (active && active !== document.body) {
      var after = starts.filter(function (start) {
        return active.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      next = forward ? after[0] || null : starts[starts.length - after.length - 1] || null;
    } else {
      var shown = starts.filter(function (start) {
        return start.getBoundingClientRect().top >= 0;
      });
      next = forward ? shown[0] || null : starts[starts.length - shown.length - 1] || null;
    }
    if (!next) return announce(forward ? "No more highlights after this one." : "No highlights before this one.");
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center" });
  }

  function passageAtFocus() {
    var active = document.activeElement;
    var passage = active && active.closest && active.closest(".passage");
    if (passage) return passage;
    var passages = document.querySelectorAll(".passage[id^='p-']");
    for (var i = 0; i < passages.length; i++) {
      if (passages[i].getBoundingClientRect().bottom > 0) return passages[i];
    }
    return null;
  }

  function toggleMargin() {
    var panel = document.getElementById("thread-panel");
    if (panel && panel.dataset.passage && document.querySelector(".margin-layout")) {
      document.body.dispatchEvent(new CustomEvent("margin:close"));
      return;
    }
    var active = document.activeElement;
    if (active && active.classList && active.classList.contains("hl-open")) return active.click();
    var passage = passageAtFocus();
    var link = passage && (passage.querySelector(".passage__count") || passage.querySelector(".passage__comment"));
    if (link) link.click();
  }

  function comment() {
    var button = document.querySelector(".selection-comment:not([hidden])");
    if (button) return button.click();
    var passage = passageAtFocus();
    var link = passage && passage.querySelector(".passage__comment");
    if (link) return link.click();
    announce("Select words in the text, or move to a passage, to comment.");
  }

  function search() {
    var field = document.querySelector("[data-chapter-search], main input[type=search]");
    if (field) return field.focus();
    announce("This page has no search.");
  }

  function setUpKeys() {
    if (!document.querySelector(".reader[data-passage-base], .passage-page[data-passage-base]")) return;
    var actions = {
      n: function () { step(true); },
      p: function () { step(false); },
      m: toggleMargin,
      c: comment,
      "/": search,
    };
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      var action = actions[event.key];
      if (!action || typing(event.target) || !enabled()) return;
      event.preventDefault();
      action();
    });
  }

  /* The Keyboard page: the switch. */
  function setUpSetting() {
    var box = document.querySelector("[data-shortcut-setting]");
    if (!box) return;
    var toggle = box.querySelector("[data-shortcuts-toggle]");
    var state = box.querySelector("[data-shortcut-state]");
    toggle.checked = enabled();
    toggle.addEventListener("change", function () {
      try {
        if (toggle.checked) {
          window.localStorage.removeItem(KEY);
        } else {
          window.localStorage.setItem(KEY, "off");
        }
        state.textContent = toggle.checked ? "Shortcuts are on." : "Shortcuts are off.";
      } catch (e) {
        state.textContent = "This browser does not keep settings: the shortcuts stay on.";
        toggle.checked = true;
      }
    });
    box.hidden = false;
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    setUpKeys();
    setUpSetting();
  });
})();
