/* Showroom floor helpers: keep scan fields focused, beep on scan results, idle sign-out. */
(function () {
  "use strict";
  function focusScan() {
    var el = document.querySelector("input[data-scan]");
    if (el && document.activeElement !== el && !document.activeElement.closest("dialog, .keep-focus, form:not([data-scan-form])")) {
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
    if (res) { beep(res.dataset.scanResult === "ok"); }
    // Refocus only: the scan form clears its own field when its request starts, and a
    // scanner may already be typing the next code while this response arrives.
    var scan = document.querySelector("input[data-scan]");
    if (scan) { scan.focus(); }
  });
  window.showroomBeep = beep;
})();
