/* Consignment screens: "add a line" on the intake list (a copy of the last row with the
   next index, as WTForms names them: lines-N-name …), present/absent showing the signature
   pad, and the pad itself (signature_pad, as on the packing bench): on submit the drawing
   goes into the form's `signature` field as a PNG data URL. */
(function () {
  "use strict";

  function addLine(form) {
    var body = form.querySelector("[data-lines]");
    var rows = body.querySelectorAll("tr[data-line]");
    var max = parseInt(form.dataset.maxRows || "200", 10);
    if (rows.length >= max) { return; }
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var n = rows.length;
    copy.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/^lines-\d+-/, "lines-" + n + "-");
      input.id = input.name;
      input.value = "";
      input.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    body.appendChild(copy);
    copy.querySelector("input").focus();
  }

  function setupPad(form) {
    var box = form.querySelector("[data-pad-box]");
    var canvas = box && box.querySelector("canvas[data-signature-pad]");
    if (!canvas || !window.SignaturePad) { return; }
    var hint = box.querySelector("[data-pad-empty]");
    var pad = new window.SignaturePad(canvas, {
      backgroundColor: "rgb(255,255,255)", penColor: "rgb(10,20,60)", minWidth: 1.2, maxWidth: 3.2
    });
    var size = "";
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
    function counted() {
      var n = pad.toData().length;
      canvas.dataset.strokes = String(n);
      box.classList.toggle("inked", n > 0);
    }
    function needed() {
      if (box.hidden) { return false; }
      if (form.hasAttribute("data-pad-optional")) {
        var photo = form.querySelector("input[type=file]");
        return !(photo && photo.files && photo.files.length);
      }
      return true;
    }
    window.addEventListener("resize", fit);
    pad.addEventListener("beginStroke", function () { if (hint) { hint.hidden = true; } });
    pad.addEventListener("endStroke", counted);
    box.querySelector("[data-pad-clear]").addEventListener("click", function () {
      pad.clear();
      counted();
    });
    form.querySelectorAll("input[data-present]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        box.hidden = form.querySelector("input[data-present]:checked").value !== "present";
        fit();
        if (!box.hidden) { box.scrollIntoView({ block: "nearest" }); }
      });
    });
    form.addEventListener("submit", function (e) {
      var field = form.querySelector("input[name=signature]");
      field.value = "";
      if (!needed()) { return; }
      if (pad.isEmpty()) {
        if (form.hasAttribute("data-pad-optional") || box.hidden) { return; }
        e.preventDefault();
        if (hint) { hint.hidden = false; }
        return;
      }
      field.value = pad.toDataURL("image/png");
    });
    fit();
    counted();
    canvas.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-signature-form]").forEach(function (form) {
      var add = form.querySelector("[data-add-line]");
      if (add) { add.addEventListener("click", function () { addLine(form); }); }
      setupPad(form);
    });
  });
})();
