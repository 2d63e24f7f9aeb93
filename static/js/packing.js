/* Packing bench: the scan field keeps the focus, refusals are swapped in (4xx) and heard,
   hand-tick / take-out pop-ups focus their first field, and the customer's signature pad
   (signature_pad, MIT) fills the signature form as a white-background PNG data URL. */
(function () {
  "use strict";
  var REFUSALS = [400, 401, 404, 409, 422, 423];

  function scanField() { return document.querySelector("input[data-scan]"); }

  function busyElsewhere(el) {
    // typing in another form, or a pop-up / pad in use: leave the focus where it is
    return el && el !== document.body && el.closest &&
      el.closest("form:not([data-scan-form]), details[open], .keep-focus, dialog");
  }

  document.addEventListener("htmx:beforeSwap", function (e) {
    if (REFUSALS.indexOf(e.detail.xhr.status) >= 0) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var scan = scanField();
    if (scan) {
      scan.addEventListener("blur", function () {
        setTimeout(function () {
          if (!busyElsewhere(document.activeElement)) { scan.focus(); }
        }, 60);
      });
    }
    // a refusal after a full-page post (seal, sign, cross-out) is heard as well as seen
    if (document.querySelector("[data-scan-result='bad'], .pk-inline-bad") && window.showroomBeep) {
      window.showroomBeep(false);
    }
    document.addEventListener("toggle", function (e) {
      var d = e.target;
      if (d.tagName === "DETAILS" && d.open && d.classList.contains("pk-pop")) {
        var first = d.querySelector("input:not([type=hidden])");
        if (first) { first.focus(); }
      }
    }, true);
    // a panel opened for one line (cross-out, or a hand tick sent back with its error)
    var open = document.querySelector("details.pk-crossout[open]");
    if (open) {
      open.scrollIntoView({ block: "start" });
      var chosen = open.querySelector("tr.chosen input, [data-crossout-error] ~ form input[name=manager_pin]");
      if (chosen) { chosen.focus(); }
    }
    var tick = document.querySelector("details.pk-pop[open] input[name=reason]");
    if (tick) { tick.focus(); }
    setupPad();
  });

  function setupPad() {
    var canvas = document.querySelector("canvas[data-signature-pad]");
    if (!canvas || !window.SignaturePad) { return; }
    var form = canvas.closest("form");
    var pad = new window.SignaturePad(canvas, {
      backgroundColor: "rgb(255,255,255)", penColor: "rgb(10,20,60)", minWidth: 1.2, maxWidth: 3.2
    });
    function fit() {
      var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
      var data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
    }
    window.addEventListener("resize", fit);
    fit();
    var hint = form.querySelector("[data-pad-empty]");
    pad.addEventListener("beginStroke", function () {
      canvas.parentNode.classList.add("inked");
      if (hint) { hint.hidden = true; }
    });
    form.querySelector("[data-pad-clear]").addEventListener("click", function () {
      pad.clear();
      canvas.parentNode.classList.remove("inked");
    });
    form.addEventListener("submit", function (e) {
      if (pad.isEmpty()) {
        e.preventDefault();
        if (hint) { hint.hidden = false; }
        return;
      }
      form.querySelector("input[name=signature]").value = pad.toDataURL("image/png");
    });
    window.packingPad = pad;
  }
})();
