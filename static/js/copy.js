/* Copy buttons: a `<button data-copy="ID" hidden>` copies the value of the field #ID. The
   buttons show only where this script runs (the field can be selected and copied by hand
   anyway); what happened is said in the live region `[data-copy-status="ID"]`. Included by
   every partial that has such a button, so it sets itself up once. */
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
