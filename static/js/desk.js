/* Money desk: show tendered for cash and the reference for the other methods, and say
   the change live (唱收唱付). The server parses and recomputes every figure. */
(function () {
  "use strict";
  var form = document.getElementById("desk-pay-form");
  if (!form) { return; }
  var callout = document.getElementById("desk-change");
  function fen(text) {
    var t = (text || "").replace(/[\uff10-\uff19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0); }).replace(/[．。]/g, ".")
      .replace(/[,，¥￥\s]/g, "");
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(t)) { return null; }
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function yuan(f) {
    var s = (f / 100).toFixed(2).split(".");
    return "¥" + s[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + s[1];
  }
  function method() {
    var on = form.querySelector("input[name=method]:checked");
    return on ? on.value : "cash";
  }
  function update() {
    var cash = method() === "cash";
    form.querySelectorAll("[data-for-method=cash]").forEach(function (el) { el.hidden = !cash; });
    form.querySelectorAll("[data-for-method=other]").forEach(function (el) { el.hidden = cash; });
    var amount = fen(form.elements.amount.value), tendered = fen(form.elements.tendered.value);
    if (cash && amount !== null && tendered !== null && tendered >= amount && amount > 0) {
      callout.textContent = form.getAttribute("data-tpl-change")
        .replace("{T}", yuan(tendered)).replace("{C}", yuan(tendered - amount));
      callout.hidden = false;
    } else {
      callout.hidden = true;
    }
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
