/* Packing bench: the scan field keeps the focus (without scrolling the page), refusals are
   swapped in (4xx) and heard, hand-tick / take-out pop-ups focus their first field, and the
   customer signs on a pad (signature_pad, MIT) in a dialog over the bench, which fills the
   signature form as a white-background PNG data URL.

   The pad is made before any button can open its dialog, and sized when the dialog opens
   (a canvas in a closed dialog has no size); resizing keeps the strokes. Nothing on the page
   moves under the customer's pen: the dialog sits in the top layer, and focusing the scan
   field never scrolls. The canvas carries data-strokes (strokes drawn so far). */
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
  // a message from the last full page ("signed as counter") is stale once the bench changed
  document.addEventListener("htmx:afterSwap", function () {
    var old = document.querySelector("main > .flashes");
    if (old) { old.remove(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var scan = scanField();
    if (scan) {
      scan.addEventListener("blur", function () {
        setTimeout(function () {
          // preventScroll: a page scrolled to the sign-offs or the cross-out stays put
          if (!busyElsewhere(document.activeElement)) { scan.focus({ preventScroll: true }); }
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
    var refused = document.querySelector("[data-action-error]");
    var retry = refused && refused.parentNode.querySelector("form input[name=staff_no]");
    if (retry) { retry.focus({ preventScroll: true }); }
    setupPad();
  });

  function setupPad() {
    var dialog = document.querySelector("dialog[data-pad-dialog]");
    var canvas = dialog && dialog.querySelector("canvas[data-signature-pad]");
    if (!canvas || !window.SignaturePad) { return; }
    var form = canvas.closest("form");
    var hint = form.querySelector("[data-pad-empty]");
    var pad = new window.SignaturePad(canvas, {
      backgroundColor: "rgb(255,255,255)", penColor: "rgb(10,20,60)", minWidth: 1.2, maxWidth: 3.2
    });
    var size = "";
    function fit() {
      // only when the canvas really changed size; the strokes are redrawn, never lost
      var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
      var w = canvas.offsetWidth, h = canvas.offsetHeight;
      if (!w || !h || size === w + "x" + h + "@" + ratio) { return; }
      size = w + "x" + h + "@" + ratio;
      var data = pad.toData();
      canvas.width = w * ratio;
      canvas.height = h * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
      counted();
    }
    function counted() {
      var n = pad.toData().length;
      canvas.dataset.strokes = String(n);
      canvas.parentNode.classList.toggle("inked", n > 0);
    }
    window.addEventListener("resize", fit);
    pad.addEventListener("beginStroke", function () {
      canvas.parentNode.classList.add("inked");
      if (hint) { hint.hidden = true; }
    });
    pad.addEventListener("endStroke", counted);
    form.querySelector("[data-pad-clear]").addEventListener("click", function () {
      pad.clear();
      counted();
    });
    form.querySelector("[data-pad-close]").addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function (e) {
      if (pad.isEmpty()) {
        e.preventDefault();
        if (hint) { hint.hidden = false; }
        return;
      }
      form.querySelector("input[name=signature]").value = pad.toDataURL("image/png");
    });
    // buttons that open the pad live in parts htmx swaps: listen on the document
    document.addEventListener("click", function (e) {
      var opener = e.target.closest && e.target.closest("[data-open-pad]");
      if (!opener) { return; }
      e.preventDefault();
      if (!dialog.open) { dialog.showModal(); }
      fit();
      counted();
      canvas.dataset.ready = "1";
    });
    dialog.addEventListener("close", function () { delete canvas.dataset.ready; });
    counted();
    window.packingPad = pad;
  }
})();
