/* Logging out forgets the person's unsent drafts in this browser (drafts.js keeps them under
   their user id, so nobody else signing in here ever sees them; this clears them too). The
   header's Log out form and allauth's logout page both post to the logout address. */
(function () {
  "use strict";

  var PREFIX = "marginalia.drafts/";

  function forget(user) {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(PREFIX + user + "/") === 0) window.localStorage.removeItem(name);
      }
    } catch (e) {
      /* storage unavailable: nothing was kept */
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var owner = document.querySelector("form[data-drafts-user]");
    if (!owner || !form.action || form.action !== owner.action) return;
    forget(owner.dataset.draftsUser);
  });
})();
