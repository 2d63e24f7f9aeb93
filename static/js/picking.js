/* The clerk's order screen (picking/order.html). */
(function () {
  "use strict";
  /* Refusals (unknown code, out of stock, stale version) come back as 4xx with the
     current order: show them instead of dropping them, so the clerk sees and hears why. */
  document.addEventListener("htmx:beforeSwap", function (e) {
    var s = e.detail.xhr.status;
    if (s === 400 || s === 404 || s === 409 || s === 422) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });
  /* A scan swaps only its own line, so the rows' hidden versions may lag behind: every
     versioned request carries the order's current version, kept once in #order-version. */
  document.addEventListener("htmx:configRequest", function (e) {
    var v = document.getElementById("order-version"), p = e.detail.parameters;
    if (!v) { return; }
    if (typeof p.has === "function") { if (p.has("version")) { p.set("version", v.value); } }
    else if ("version" in p) { p.version = v.value; }
  });
})();
