"use strict";
// Sign-up: fill the hidden time zone field with the zone the browser runs in, so session
// times show in the reader's own zone from their first visit (they can change it in Settings).
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const field of document.querySelectorAll("input[data-detect-time-zone]")) {
    if (!field.value && zone) field.value = zone;
  }
});
