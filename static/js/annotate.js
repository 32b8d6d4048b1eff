/* The margin: turn a text selection into offsets in a passage's text and open the comment
   form; open a highlight's thread; put the thread panel beside the text (wide screens) or
   below the passage (narrow ones). Plain JavaScript on
   top of htmx; every link and form here also works without it. */
(function () {
  "use strict";

  var NARROW = window.matchMedia("(max-width: 63.99rem)");

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* Offsets: walk the text nodes of the passage's text element (its text content is exactly
     Passage.text; highlight <mark>s only wrap text) and count characters up to a boundary. */
  function textOffset(root, node, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var total = 0;
    var boundary = null;
    if (node.nodeType !== Node.TEXT_NODE) {
      boundary = document.createRange();
      boundary.setStart(node, offset);
    }
    var text;
    while ((text = walker.nextNode())) {
      if (boundary === null) {
        if (text === node) return total + offset;
      } else if (boundary.comparePoint(text, 0) >= 0) {
        return total;
      }
      total += text.length;
    }
    return total;
  }

  /* The server counts characters as Unicode code points (Python strings, the W3C Web
     Annotation model); the DOM counts UTF-16 code units, two for a character outside the
     Basic Multilingual Plane ("𝔐", most emoji). Offsets are converted here, on their way
     out: `offset` code units into `text` → code points. */
  function codePoints(text, offset) {
    var count = 0;
    for (var i = 0; i < offset; i++) {
      var unit = text.charCodeAt(i);
      // The first half of a surrogate pair counts for the character; its second half, nothing.
      if (unit < 0xdc00 || unit > 0xdfff) count++;
    }
    return count;
  }

  function passageTextOf(node) {
    var element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return element ? element.closest(".passage .passage__text") : null;
  }

  /* The selection, narrowed to the first passage it touches: {text, key, start, end}, the
     offsets in code points. */
  function selectedAnchor() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var text = passageTextOf(range.startContainer);
    var endText = passageTextOf(range.endContainer);
    if (!text) {
      // Started outside any text (e.g. in a margin): begin at the first passage it covers.
      var texts = document.querySelectorAll(".passage .passage__text");
      for (var i = 0; i < texts.length; i++) {
        if (range.intersectsNode(texts[i])) {
          text = texts[i];
          break;
        }
      }
      if (!text) return null;
    }
    var passage = text.closest(".passage");
    if (!passage || !passage.id || passage.id.indexOf("p-") !== 0) return null;
    var length = text.textContent.length;
    var start = text.contains(range.startContainer)
      ? textOffset(text, range.startContainer, range.startOffset)
      : 0;
    var end = endText === text ? textOffset(text, range.endContainer, range.endOffset) : length;
    if (end <= start) return null;
    var content = text.textContent;
    if (!content.slice(start, end).trim()) return null;
    return {
      text: text,
      key: passage.id.slice(2),
      start: codePoints(content, start),
      end: codePoints(content, end),
    };
  }

  /* Where the panel goes: the column beside the text, or right after the passage. */
  function placeMargin(passage) {
    var margin = document.getElementById("margin");
    var layout = document.querySelector(".margin-layout");
    if (!margin || !layout) return;
    if (NARROW.matches && passage) {
      var after = passage.closest(".passage-list") || passage;
      if (after.nextElementSibling !== margin) after.after(margin);
      margin.classList.add("margin--inline");
    } else if (margin.parentElement !== layout) {
      layout.appendChild(margin);
      margin.classList.remove("margin--inline");
    }
  }

  function openPanel(url, passage) {
    placeMargin(passage);
    return window.htmx.ajax("GET", url, { target: "#thread-panel", swap: "outerHTML" });
  }

  /* The margin's one polite live region (#margin-status, outside the panel): what was posted,
     edited, deleted, flagged, or restored from a draft. Emptied first, so the same words said
     twice are heard twice. */
  function announce(text) {
    var status = document.getElementById("margin-status");
    if (!status || !text) return;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function passageUrl(article, key) {
    return article.dataset.passageBase + key + "/";
  }

  /* The selection's Comment button. It sits in the text's reading order, right after the
     selection's passage (its last child), and a polite live region says it is there. Tab from a
     selection goes to it (browsers start Tab from the last focus or click, not from the
     selection); from there on Tab and Shift+Tab follow the page's order. It shows on mouseup,
     on Shift+key, and (touch long-press and selection handles fire neither) on a settled
     selectionchange. */
  var SETTLE_MS = 300;

  function setUpSelection(article) {
    if (!("canComment" in article.dataset)) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "selection-comment button--small";
    button.appendChild(document.createTextNode("Comment"));
    var more = document.createElement("span");
    more.className = "visually-hidden";
    more.textContent = " on the selected words";
    button.appendChild(more);
    button.hidden = true;
    button.style.userSelect = "none"; // never part of a selection, nor of copied text
    article.appendChild(button);
    var anchor = null;
    var timer = null;
    var mouseDown = false;
    var pressing = false;

    function hide() {
      window.clearTimeout(timer);
      if (!button.hidden && document.activeElement === button) button.blur();
      button.hidden = true;
      anchor = null;
    }

    // Last in the selection's passage: after its text and its own links, before the next one.
    function place(text) {
      var passage = text.closest(".passage");
      if (passage.lastChild !== button) passage.appendChild(button);
    }

    function show() {
      window.clearTimeout(timer);
      anchor = selectedAnchor();
      if (!anchor || !article.contains(anchor.text)) return hide();
      var wasHidden = button.hidden;
      place(anchor.text);
      var rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
      button.hidden = false;
      // Absolutely placed in the passage (its offset parent): viewport coordinates, shifted.
      var box = (button.offsetParent || document.documentElement).getBoundingClientRect();
      var width = button.offsetWidth;
      var left = rect.left + rect.width / 2 - width / 2;
      left = Math.max(8, Math.min(left, document.documentElement.clientWidth - width - 8));
      button.style.top = rect.bottom - box.top + 8 + "px";
      button.style.left = left - box.left + "px";
      if (wasHidden) announce("Comment on the selected words: button available, press Tab to reach it.");
      // A moderator re-attaching a thread: the selection fills the open form.
      var reattach = document.querySelector("details.reattach[open] form[data-reattach]");
      if (reattach) {
        reattach.elements.passage.value = anchor.key;
        reattach.elements.start.value = anchor.start;
        reattach.elements.end.value = anchor.end;
      }
    }

    document.addEventListener("mousedown", function (event) {
      if (event.target !== button && !button.contains(event.target)) mouseDown = true;
    });
    document.addEventListener("mouseup", function (event) {
      mouseDown = false;
      if (button.contains(event.target)) return;
      window.setTimeout(show, 0);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
      var selection = window.getSelection();
      if (button.hidden || !anchor || !selection || selection.isCollapsed) return;
      var active = document.activeElement;
      if (active === button) return;
      var before = !active || active === document.body ||
        active.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (!before) return;
      event.preventDefault();
      button.focus();
    });
    document.addEventListener("keyup", function (event) {
      if (event.key === "Escape") return hide();
      if (event.shiftKey || event.key === "Shift") window.setTimeout(show, 0);
    });
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      window.clearTimeout(timer);
      if (!selection || selection.isCollapsed) {
        // Pressing or focusing the button may drop the selection: the anchor is kept.
        if (!pressing && document.activeElement !== button) hide();
        return;
      }
      if (mouseDown) return; // the mouseup shows it
      timer = window.setTimeout(show, SETTLE_MS);
    });
    button.addEventListener("pointerdown", function () {
      pressing = true;
    });
    button.addEventListener("pointercancel", function () {
      pressing = false;
    });
    button.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the selection while clicking
    });
    button.addEventListener("blur", function () {
      var selection = window.getSelection();
      if (!pressing && (!selection || selection.isCollapsed)) hide();
    });
    button.addEventListener("click", function () {
      pressing = false;
      if (!anchor) return;
      rememberOpener(button);
      var url = passageUrl(article, anchor.key) + "?start=" + anchor.start + "&end=" + anchor.end;
      var passage = anchor.text.closest(".passage");
      hide();
      window.getSelection().removeAllRanges();
      openPanel(url, passage);
    });
  }

  /* Activating a highlight — its start button (click, Enter or Space) or its words (click):
     `open(mark, threadId, start)`, `start` being the highlight's button (what gets the focus
     back when the margin closes). */
  function onHighlight(article, open) {
    function startOf(target, mark) {
      var start = target.closest(".hl-open");
      if (start) return start;
      var thread = (mark.dataset.threads || "").split(" ")[0];
      return document.getElementById("hl-" + thread);
    }
    function threadOf(start, mark) {
      return start ? start.id.slice(3) : (mark.dataset.threads || "").split(" ")[0];
    }
    article.addEventListener("click", function (event) {
      var mark = event.target.closest("mark[data-threads]");
      var selection = window.getSelection();
      if (!mark || (selection && !selection.isCollapsed)) return;
      var start = startOf(event.target, mark);
      open(mark, threadOf(start, mark), start);
    });
    article.addEventListener("keydown", function (event) {
      var start = event.target.closest && event.target.closest(".hl-open");
      if (start && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        open(start.closest("mark"), start.id.slice(3), start);
      }
    });
  }

  /* Focus `target` (made focusable if it is not) and scroll it into view at `block`. */
  function focusElement(target, block) {
    if (!target.hasAttribute("tabindex") && !/^(TEXTAREA|INPUT|A|BUTTON)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: block });
  }

  function focusThread(id) {
    var thread = document.getElementById("t-" + id);
    if (thread) focusElement(thread, "start");
  }

  /* The chapter: a highlight opens its passage's panel at its thread. */
  function setUpHighlights(article) {
    onHighlight(article, function (mark, thread, start) {
      var passage = mark.closest(".passage");
      if (!passage) return;
      var panel = document.getElementById("thread-panel");
      if (panel) panel.dataset.wantThread = thread;
      rememberOpener(start);
      // `?c=`: the thread is shown even when it is not among the first page's.
      var url = passageUrl(article, passage.id.slice(2)) + "?c=" + encodeURIComponent(thread);
      openPanel(url, passage);
    });
    // Links that load a passage's panel: put the margin in place first.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var elt = event.detail.elt;
      if (elt && elt.matches && elt.matches("[data-passage-link]")) {
        rememberOpener(elt);
        placeMargin(elt.closest(".passage"));
      }
    });
  }

  /* What opened the margin gets the focus back when it closes. The passage's text and its
     margin links are swapped after every write, so it is found again by its id, or by its
     class in its passage. */
  var opener = null;

  function rememberOpener(element) {
    if (!element) return;
    if (element.classList.contains("selection-comment")) {
      // The selection's button goes away with the selection: its passage's Comment link.
      var passage = element.closest(".passage");
      element = passage && passage.querySelector(".passage__comment");
      if (!element) return;
    }
    var home = element.closest(".passage");
    opener = {
      id: element.id,
      key: home ? home.id.slice(2) : "",
      className: (element.className || "").split(" ")[0],
    };
  }

  function openerElement() {
    if (!opener) return null;
    var found = opener.id ? document.getElementById(opener.id) : null;
    var passage = opener.key && document.getElementById("p-" + opener.key);
    if (!found && passage && opener.className) found = passage.querySelector("." + opener.className);
    if (!found && passage) found = passage.querySelector(".passage__comment");
    return found;
  }

  /* Every highlight start says whether its thread is shown: those in the passage whose
     panel is open (on a passage's own page, always). */
  function syncExpanded() {
    var panel = document.getElementById("thread-panel");
    var key = panel && panel.dataset.passage;
    var open = key && !panel.classList.contains("thread-panel--empty") ? document.getElementById("p-" + key) : null;
    document.querySelectorAll(".hl-open").forEach(function (start) {
      start.setAttribute("aria-expanded", open && open.contains(start) ? "true" : "false");
    });
  }

  /* A passage's page: its threads are on the page already; a highlight goes to its thread. */
  function setUpThreadLinks(article) {
    onHighlight(article, function (mark, thread) {
      focusThread(thread);
    });
    syncExpanded();
  }

  /* After a post: a fresh key for the next comment, so it is never taken for a resend of
     this one. (Drafts are drafts.js's.) */
  function setUpFreshKeys() {
    document.body.addEventListener("margin:posted", function () {
      document.querySelectorAll("form[data-draft] input[name=idempotency_key]").forEach(function (input) {
        if (window.crypto && window.crypto.randomUUID) input.value = window.crypto.randomUUID();
      });
    });
  }

  /* After the panel arrives: move focus where the reader expects it. */
  var arrivals = new WeakSet();

  function setUpPanel() {
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var panel = document.getElementById("thread-panel");
      if (!panel || !panel.contains(event.detail.elt) && event.detail.elt !== panel) return;
      if (panel.classList.contains("thread-panel--empty")) return; // closed meanwhile
      // "More threads": the page that arrived takes the focus the link had (htmx settles
      // each of its threads in turn: the first time only).
      var xhr = event.detail.xhr;
      if (xhr && arrivals.has(xhr)) return;
      var arrived = panel.querySelector("[data-arrived]");
      if (arrived) {
        if (xhr) arrivals.add(xhr);
        arrived.removeAttribute("data-arrived");
        focusElement(arrived, "nearest");
        return;
      }
      var want = panel.dataset.wantThread;
      delete panel.dataset.wantThread;
      var target = null;
      var focus = panel.dataset.focus;
      if (want) target = document.getElementById("t-" + want);
      if (!target && focus) target = document.getElementById(focus);
      if (!target) target = document.getElementById("thread-panel-title");
      if (target) focusElement(target, NARROW.matches ? "start" : "nearest");
    });
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      // Remember which thread a highlight asked for across the swap.
      var panel = document.getElementById("thread-panel");
      if (!panel || !panel.dataset.wantThread) return;
      var want = panel.dataset.wantThread;
      document.body.addEventListener(
        "htmx:afterSwap",
        function () {
          var fresh = document.getElementById("thread-panel");
          if (fresh) fresh.dataset.wantThread = want;
        },
        { once: true },
      );
    });
    function closePanel() {
      var panel = document.getElementById("thread-panel");
      if (!panel || !document.querySelector(".margin-layout")) return false;
      if (panel.classList.contains("thread-panel--empty")) return false;
      var key = panel.dataset.passage;
      var back = openerElement();
      if (!back) {
        var passage = key && document.getElementById("p-" + key);
        back = passage && passage.querySelector(".passage__comment");
      }
      panel.className = "thread-panel thread-panel--empty";
      panel.removeAttribute("data-passage");
      panel.removeAttribute("data-focus");
      panel.setAttribute("aria-labelledby", "thread-panel-title");
      panel.textContent = "";
      var title = document.createElement("h2");
      title.id = "thread-panel-title";
      title.className = "visually-hidden";
      title.tabIndex = -1;
      title.textContent = "No discussion open";
      panel.appendChild(title);
      var hint = document.createElement("p");
      hint.className = "thread-panel__hint";
      hint.textContent = "Select words in the text and choose Comment, or open a passage’s comments.";
      panel.appendChild(hint);
      placeMargin(null);
      syncExpanded();
      opener = null;
      if (back) focusElement(back, "nearest");
      return true;
    }

    document.addEventListener("click", function (event) {
      var close = event.target.closest && event.target.closest("#thread-panel [data-close-panel]");
      if (!close || !document.querySelector(".margin-layout")) return;
      event.preventDefault();
      closePanel();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      // Outside the panel, a first Escape hides the selection's Comment button (on keyup);
      // from inside the panel (the comment form just opened), it closes the panel.
      var panel = document.getElementById("thread-panel");
      var inPanel = panel && panel.contains(document.activeElement);
      if (!inPanel && document.querySelector(".selection-comment:not([hidden])")) return;
      if (closePanel()) event.preventDefault();
    });
    document.body.addEventListener("margin:close", closePanel);
    document.body.addEventListener("margin:announce", function (event) {
      announce(event.detail && event.detail.text);
    });
    document.body.addEventListener("htmx:afterSettle", syncExpanded);
    NARROW.addEventListener("change", function () {
      var panel = document.getElementById("thread-panel");
      var key = panel && panel.dataset.passage;
      placeMargin(key ? document.getElementById("p-" + key) : null);
    });
  }

  ready(function () {
    var article = document.querySelector(".reader[data-passage-base], .passage-page[data-passage-base]");
    if (!article || !window.htmx) return;
    setUpSelection(article);
    if (article.classList.contains("reader")) {
      setUpHighlights(article);
    } else {
      setUpThreadLinks(article);
    }
    setUpFreshKeys();
    setUpPanel();
    // drafts.js (and shortcuts) open a passage's panel at an address: `margin:open`.
    document.body.addEventListener("margin:open", function (event) {
      var key = event.detail.passage;
      var passage = key ? document.getElementById("p-" + key) : null;
      if (!document.querySelector(".margin-layout")) passage = null;
      openPanel(event.detail.url, passage);
    });
  });
})();
