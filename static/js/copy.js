/* Copy buttons: a `<button data-copy="ID" hidden>` copies the value of the field #ID. The
   buttons show only where this script runs (the field can be selected and copied by hand
   anyway); what happened is said in the live region `[data-copy-status="ID"]`.
   Copy links: an `<a data-copy-link href="…">` copies its own address, made absolute (a
   comment's "Copy link"); without this script it is a plain link to that address. What
   happened is said in the live region `[data-copy-status="link"]` of the page.
   Included by every page or partial that has either, so it sets itself up once. */
(function () {
  "use strict";

  if (window.marginaliaCopy) return;
  window.marginaliaCopy = true;

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* The older way, where the Clipboard API is missing (pages served over plain http). */
  function copyBySelecting(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(
        function () {
          return true;
        },
        function () {
          return copyBySelecting(field);
        }
      );
    }
    return Promise.resolve(copyBySelecting(field));
  }

  function say(status, text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text; // emptied first, so a second copy is announced again
    }, 50);
  }

  ready(function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-copy-link]");
    if (link) {
      event.preventDefault();
      var holder = document.createElement("input");
      holder.value = new URL(link.getAttribute("href"), window.location.href).href;
      var place = link.closest("details") || link;
      copy(holder).then(function (copied) {
        say(
          document.querySelector('[data-copy-status="link"]'),
          copied ? "Link copied." : "Copying is not allowed here: open the link and copy its address."
        );
        if (place.tagName === "DETAILS") place.open = false;
        var summary = place.querySelector && place.querySelector("summary");
        if (summary) summary.focus();
      });
      return;
    }
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var id = button.dataset.copy;
    var field = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!field) return;
    copy(field).then(function (copied) {
      if (copied) {
        say(status, "Address copied.");
      } else {
        field.focus();
        field.select();
        say(status, "Copying is not allowed here: the address is selected, copy it with your keyboard.");
      }
    });
  });
})();
