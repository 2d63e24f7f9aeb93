/* The ship form: waybill format and rate-table fee hints for the chosen carrier. The hints
   come as JSON in <script id="rate-hints" type="application/json"> (written with |tojson). */
(function () {
  "use strict";
  var hints = JSON.parse(document.getElementById("rate-hints").textContent);
  var form = document.getElementById("ship-form");
  var eta = document.getElementById("eta_days"), etaTouched = eta.value !== "";
  eta.addEventListener("input", function () { etaTouched = true; });
  function grams(text) {
    var m = /^\s*(\d{1,5})(?:\.(\d{1,3}))?\s*$/.exec(text || "");
    return m ? parseInt(m[1], 10) * 1000 + parseInt(((m[2] || "") + "000").slice(0, 3), 10) : 0;
  }
  function yuan(fen) { return (fen / 100).toFixed(2); }
  function update() {
    var picked = form.querySelector("input[name=carrier]:checked");
    var h = picked ? hints[picked.value] : null;
    document.getElementById("waybill-hint").textContent = h ? h.format : "";
    if (h && !etaTouched) { eta.value = h.days !== undefined ? h.days : ""; }
    var suggest = document.getElementById("fee-suggest"), g = grams(document.getElementById("weight").value);
    var boxes = parseInt(form.querySelector("input[name=boxes]").value || "0", 10) || 0;
    suggest.textContent = "";
    suggest.dataset.fee = "";
    if (h && h.first !== undefined && g > 0) {
      var fen = h.first + h.per_kg * Math.max(0, Math.ceil(g / 1000) - 1) + h.per_box * boxes;
      suggest.dataset.fee = yuan(fen);
      suggest.textContent = suggest.dataset.prefix + yuan(fen) + " · " + suggest.dataset.tap;
    }
  }
  document.getElementById("fee-suggest").addEventListener("click", function () {
    if (this.dataset.fee) { document.getElementById("fee").value = this.dataset.fee; }
  });
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  form.addEventListener("submit", function () { document.getElementById("ship-button").disabled = true; });
  update();
})();
