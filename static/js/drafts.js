/* Drafts that never lose text. Whatever is typed in a margin form is kept in this browser
   until it is posted, under what it answers — the exact words selected, the whole passage,
   the comment replied to, the comment edited (the form's `data-draft`) — with its quote and
   its "Only me" choice, per person (`data-user`) and circle:

     localStorage["marginalia.drafts/<user>/<circle>/<target>"] =
       {text, private, label, quote, passage, url, version, tab, saved}

   - When the page opens, the drafts of what is on it are offered back ("You have an unsent
     comment on “…” — Continue / Discard"); Continue opens the form (annotate.js, through
     `margin:open`) and puts the text back. A form that arrives with a draft of its own (a
     reload, a new tab, the way back) gets its text back at once, and the live region says so.
   - Posting clears the draft (the server's `margin:posted` names it); so does logging out
     (logout.js).
   - Two tabs never silently overwrite each other: every save carries a version and the tab
     that made it. A tab saving over a version it has not seen (another tab's, announced by
     the `storage` event) keeps the other text as a draft of its own ("<key>|<tab>") before
     writing, and says so under the form; both are offered when the page next opens.
   Drafts from before they were kept per person ("marginalia.draft.…") are dropped. */
(function () {
  "use strict";

  var ROOT = "marginalia.drafts/";
  var OLD = "marginalia.draft.";
  var TAB = Math.random().toString(36).slice(2, 10);
  var known = {}; // storage key → the version this tab last wrote or took up
  var pending = null; // {target, value}: the draft Continue asked for, put in on arrival

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function read(key) {
    var store = storage();
    if (!store) return null;
    try {
      var value = JSON.parse(store.getItem(key));
      return value && typeof value.text === "string" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, value) {
    var store = storage();
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* full: the text stays in the form */
    }
  }

  function remove(key) {
    var store = storage();
    if (store) store.removeItem(key);
  }

  function announce(text) {
    document.body.dispatchEvent(new CustomEvent("margin:announce", { detail: { text: text } }));
  }

  function start(article) {
    var user = article.dataset.user;
    var circle = article.dataset.circle;
    if (!user || !circle || !storage()) return;
    var prefix = ROOT + user + "/" + circle + "/";

    function keyOf(form) {
      return prefix + form.dataset.draft;
    }

    function areaOf(form) {
      return form.querySelector("textarea[name=body]");
    }

    function note(form, text) {
      var out = form.querySelector(".comment-form__draft-note");
      if (!out) {
        out = document.createElement("p");
        out.className = "comment-form__draft-note form-help";
        var actions = form.querySelector(".comment-form__actions");
        form.insertBefore(out, actions || null);
      }
      out.textContent = text;
    }

    /* Save what `form` holds now, keeping another tab's newer text if there is one. */
    function save(form) {
      var key = keyOf(form);
      var area = areaOf(form);
      var privateBox = form.querySelector("input[name=is_private]");
      var stored = read(key);
      var theirs = stored && stored.tab !== TAB && stored.version !== known[key];
      if (theirs && stored.text && stored.text !== area.value) {
        write(key + "|" + stored.tab, stored);
        note(form, "This draft was also changed in another tab. Both are kept: this one here, the other offered when you next open this page.");
        announce("Another tab changed this draft; both are kept.");
      }
      remove(key + "|" + TAB); // this tab's earlier text, kept apart by another tab: superseded
      if (!area.value) {
        if (!theirs || !stored.text || stored.text === area.value) remove(key);
        known[key] = undefined;
        return;
      }
      var version = (stored ? stored.version || 0 : 0) + 1;
      write(key, {
        text: area.value,
        private: privateBox ? privateBox.checked : false,
        label: form.dataset.draftLabel || "comment",
        quote: form.dataset.draftQuote || "",
        passage: form.dataset.draftPassage || "",
        url: form.dataset.draftUrl || "",
        version: version,
        tab: TAB,
        saved: Date.now(),
      });
      known[key] = version;
    }

    /* Put a draft back into the forms in `root` that have one (and are empty). */
    function restore(root) {
      root.querySelectorAll("form[data-draft]").forEach(function (form) {
        var area = areaOf(form);
        if (!area) return;
        var key = keyOf(form);
        var value = null;
        var from = key;
        if (pending && pending.target === form.dataset.draft) {
          value = pending.value;
          from = pending.key;
          pending = null;
        } else {
          value = read(key);
        }
        // Never over what the person typed here (an edit form starts with the comment).
        if (!value || !value.text || value.text === area.value || area.value !== area.defaultValue) return;
        area.value = value.text;
        var privateBox = form.querySelector("input[name=is_private]");
        if (privateBox) privateBox.checked = !!value.private;
        if (from !== key) {
          // Another tab's text, kept apart: it becomes this form's draft.
          remove(from);
          save(form);
        } else {
          known[key] = value.version;
        }
        dropOffer(from);
        announce("Draft restored.");
      });
    }

    /* The drafts of this person in this circle: [{key, target, value}]. */
    function drafts() {
      var store = storage();
      var out = [];
      for (var i = 0; i < store.length; i++) {
        var name = store.key(i);
        if (!name || name.indexOf(prefix) !== 0) continue;
        var value = read(name);
        if (!value || !value.text) continue;
        out.push({ key: name, target: name.slice(prefix.length).split("|")[0], value: value });
      }
      out.sort(function (a, b) {
        return (a.value.saved || 0) - (b.value.saved || 0);
      });
      return out;
    }

    function onThisPage(draft) {
      var value = draft.value;
      if (value.passage && document.getElementById("p-" + value.passage)) return true;
      var comment = /^(reply|edit):(\d+)$/.exec(draft.target);
      return !!(comment && document.getElementById("c-" + comment[2]));
    }

    var offers = null;

    function dropOffer(key) {
      if (!offers) return;
      var item = offers.querySelector('[data-draft-key="' + CSS.escape(key) + '"]');
      if (item) item.remove();
      if (!offers.querySelector("li")) {
        offers.remove();
        offers = null;
      }
    }

    function offer(draft) {
      if (!offers) {
        offers = document.createElement("section");
        offers.className = "draft-offers";
        offers.setAttribute("aria-labelledby", "draft-offers-title");
        var title = document.createElement("h2");
        title.id = "draft-offers-title";
        title.className = "draft-offers__title";
        title.textContent = "Unsent drafts";
        offers.appendChild(title);
        offers.appendChild(document.createElement("ul"));
        var header = article.querySelector("header");
        article.insertBefore(offers, header ? header.nextSibling : article.firstChild);
      }
      var value = draft.value;
      var item = document.createElement("li");
      item.dataset.draftKey = draft.key;
      var text = document.createElement("span");
      text.textContent = "You have an unsent " + (value.label || "comment") + " — ";
      item.appendChild(text);
      var go = document.createElement("button");
      go.type = "button";
      go.className = "button--small";
      go.textContent = "Continue";
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "button--small button--quiet";
      drop.textContent = "Discard";
      item.appendChild(go);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(drop);
      var id = "draft-" + Math.random().toString(36).slice(2, 8);
      text.id = id;
      go.setAttribute("aria-describedby", id);
      drop.setAttribute("aria-describedby", id);
      go.addEventListener("click", function () {
        var open = document.querySelector('form[data-draft="' + CSS.escape(draft.target) + '"]');
        pending = { target: draft.target, key: draft.key, value: value };
        if (open) return restore(open.parentNode);
        document.body.dispatchEvent(
          new CustomEvent("margin:open", { detail: { url: value.url, passage: value.passage } }),
        );
      });
      drop.addEventListener("click", function () {
        remove(draft.key);
        var next = item.nextElementSibling || item.previousElementSibling;
        dropOffer(draft.key);
        announce("Draft discarded.");
        var focus = next && next.querySelector("button");
        if (focus) focus.focus();
      });
      offers.querySelector("ul").appendChild(item);
    }

    // Typing (and the "Only me" box) saves.
    document.addEventListener("input", function (event) {
      var form = event.target.closest && event.target.closest("form[data-draft]");
      if (form && event.target.name === "body") save(form);
    });
    document.addEventListener("change", function (event) {
      var form = event.target.closest && event.target.closest("form[data-draft]");
      if (form && event.target.name === "is_private" && areaOf(form).value) save(form);
    });
    // Another tab saved or posted: say so under an open form with the same draft.
    window.addEventListener("storage", function (event) {
      if (!event.key || event.key.indexOf(prefix) !== 0) return;
      var target = event.key.slice(prefix.length);
      var form = document.querySelector('form[data-draft="' + CSS.escape(target) + '"]');
      if (!form) return;
      var value = null;
      try {
        value = JSON.parse(event.newValue);
      } catch (e) {
        value = null;
      }
      if (value && value.tab !== TAB && areaOf(form).value && value.text !== areaOf(form).value) {
        note(form, "This draft was just changed in another tab. Nothing is lost: keep writing, and both are kept.");
      }
    });
    // Posted: its draft goes (in every tab, through storage).
    document.body.addEventListener("margin:posted", function (event) {
      var target = event.detail && event.detail.key;
      if (target) {
        remove(prefix + target);
        known[prefix + target] = undefined;
      }
    });
    // A form arriving in the panel gets its draft back.
    document.body.addEventListener("htmx:afterSettle", function () {
      var panel = document.getElementById("thread-panel");
      if (panel) restore(panel);
    });

    // The page opens (or comes back, from the back/forward cache): drafts whose form is
    // here come back; the others are offered.
    function refresh() {
      var old = document.querySelector(".draft-offers");
      if (old) old.remove();
      offers = null;
      restore(document);
      drafts().forEach(function (draft) {
        if (!onThisPage(draft)) return;
        var here = document.querySelector('form[data-draft="' + CSS.escape(draft.target) + '"]');
        if (here && draft.key === prefix + draft.target) return; // restored above
        offer(draft);
      });
    }
    refresh();
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) refresh();
    });
  }

  function dropOldDrafts() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(OLD) === 0) store.removeItem(name);
    }
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    dropOldDrafts();
    var article = document.querySelector("article[data-circle][data-passage-base]");
    if (article) start(article);
  });
})();
