/* Complaints: the customer's acceptance signed on a pad (signature_pad, MIT — the same pad
   as the packing bench) in a dialog; the form sends a white-background PNG data URL. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.querySelector("dialog[data-pad-dialog]");
    var canvas = dialog && dialog.querySelector("canvas[data-signature-pad]");
    if (!canvas || !window.SignaturePad) { return; }
    var form = canvas.closest("form");
    var hint = form.querySelector("[data-pad-empty]");
    var pad = new window.SignaturePad(canvas, {
      backgroundColor: "rgb(255,255,255)", penColor: "rgb(10,20,60)", minWidth: 1.2, maxWidth: 3.2
    });
    var size = "";
    function counted() {
      var n = pad.toData().length;
      canvas.dataset.strokes = String(n);
      canvas.parentNode.classList.toggle("inked", n > 0);
    }
    function fit() {
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
    window.addEventListener("resize", fit);
    pad.addEventListener("beginStroke", function () {
      canvas.parentNode.classList.add("inked");
      if (hint) { hint.hidden = true; }
    });
    pad.addEventListener("endStroke", counted);
    form.querySelector("[data-pad-clear]").addEventListener("click", function () { pad.clear(); counted(); });
    form.querySelector("[data-pad-close]").addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function (e) {
      if (pad.isEmpty()) {
        e.preventDefault();
        if (hint) { hint.hidden = false; }
        return;
      }
      form.querySelector("input[name=signature_png]").value = pad.toDataURL("image/png");
    });
    document.querySelectorAll("[data-open-pad]").forEach(function (b) {
      b.addEventListener("click", function (e) {
        e.preventDefault();
        if (!dialog.open) { dialog.showModal(); }
        fit();
        counted();
        canvas.dataset.ready = "1";
      });
    });
    dialog.addEventListener("close", function () { delete canvas.dataset.ready; });
    window.complaintPad = pad;
  });
})();
