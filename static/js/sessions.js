"use strict";
// A session page's RSVP block: a refused answer comes back with status 400 and the block
// saying why. The site's htmx config swaps no 4xx response, so swap this one in (not as an
// error) for the block that asked.
document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, target } = event.detail;
  if (xhr.status === 400 && target && target.id === "rsvp") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
