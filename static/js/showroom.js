/* Showroom floor helpers: keep scan fields focused, beep on scan results, idle sign-out.
   No inline handlers anywhere (the Content-Security-Policy forbids them): behaviour hangs
   on data- attributes here. */
(function () {
  "use strict";
  function focusScan() {
    var el = document.querySelector("input[data-scan]"), active = document.activeElement;
    if (el && active !== el && !(active && active.closest && active.closest("dialog, .keep-focus, form:not([data-scan-form])"))) {
      el.focus();
    }
  }
  var audio;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = ok ? 1200 : 220; o.type = ok ? "sine" : "square";
      o.connect(g); g.connect(audio.destination); g.gain.value = 0.15;
      o.start(); o.stop(audio.currentTime + (ok ? 0.08 : 0.45));
    } catch (e) { /* no audio: colour still shows */ }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusScan();
    setInterval(focusScan, 1500);
    var body = document.body, idle = parseInt(body.dataset.idleMinutes || "15", 10) * 60000;
    var timer;
    function reset() { clearTimeout(timer); timer = setTimeout(function () { window.location = body.dataset.loginUrl; }, idle); }
    ["click", "keydown", "touchstart"].forEach(function (ev) { document.addEventListener(ev, reset, true); });
    reset();
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    var res = evt.detail.target.querySelector("[data-scan-result]");
    if (res && res.dataset.scanResult !== "pick") { beep(res.dataset.scanResult === "ok"); }
    // Refocus only: the scan form clears its own field when its request starts, and a
    // scanner may already be typing the next code while this response arrives. A swap
    // (a poll, the call bar) never takes the focus from a field the clerk is typing in.
    focusScan();
  });
  // Stale errors. A refusal's messages describe the form as it was sent: editing a marked
  // field takes its message away, and once the form has none left the error banner goes
  // too; a later action that succeeds (not a poll) clears the banners of the earlier one.
  function dropErrorFlashes() {
    document.querySelectorAll(".flashes .flash.error, .flashes .flash.warning").forEach(function (f) { f.remove(); });
    document.querySelectorAll(".flashes").forEach(function (box) { if (!box.children.length) { box.remove(); } });
  }
  function fieldEdited(e) {
    var el = e.target;
    if (!el.matches || !el.matches("input, select, textarea") || !el.form) { return; }
    el.classList.remove("invalid");
    el.removeAttribute("aria-invalid");
    var stale = [], box = el.closest("label, fieldset");
    if (box) { stale = stale.concat(Array.prototype.slice.call(box.querySelectorAll(".field-error"))); }
    if (el.name) {
      stale = stale.concat(Array.prototype.slice.call(el.form.querySelectorAll(
        '.field-error[data-error-for="' + el.name.replace(/["\\]/g, "") + '"]')));
    }
    stale.forEach(function (m) { m.remove(); });
    if (!el.form.querySelector(".field-error")) { dropErrorFlashes(); }
  }
  document.addEventListener("input", fieldEdited, true);
  document.addEventListener("change", fieldEdited, true);
  document.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt, xhr = evt.detail.xhr;
    var poll = elt && elt.closest && elt.closest("[hx-trigger*='every']");
    if (!poll && xhr && xhr.status >= 200 && xhr.status < 300) { dropErrorFlashes(); }
  });
  // A scan form clears its field the moment its request starts (form[data-clear-scan]).
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.detail.elt;
    if (form && form.matches && form.matches("[data-clear-scan]")) {
      var field = form.querySelector("input[data-scan]");
      if (field) { field.value = ""; }
    }
  });
  // A polled block ([data-login-redirect]) whose answer is the sign-in page: the server
  // signed this tablet out, so the whole page goes to sign-in instead of showing it inside.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var elt = evt.detail.elt, url = evt.detail.xhr.responseURL || "";
    if (elt && elt.matches && elt.matches("[data-login-redirect]") && url.indexOf("/login") >= 0) {
      evt.detail.shouldSwap = false;
      window.location = url;
    }
  });
  window.showroomBeep = beep;
})();
