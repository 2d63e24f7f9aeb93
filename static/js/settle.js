/* Settle screen: live totals and change in integer fen (never float money).
   The server recomputes every figure; this only helps the cashier say 收您…找您…. */
(function () {
  "use strict";
  var MONEY = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

  // What a Chinese IME types instead of ASCII (as showroom/money.py ascii_number):
  // full-width digits, ．and 。 as the decimal point, full-width comma, minus, yuan sign.
  function asciiNumber(text) {
    return (text || "").replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48);
    }).replace(/[．。]/g, ".").replace(/，/g, ",").replace(/－/g, "-")
      .replace(/￥/g, "¥").replace(/\u3000/g, " ");
  }

  // "600.00" (or "６００．００") -> 60000; "" -> 0; anything else -> null (a mistake).
  function parseFen(text) {
    text = asciiNumber(text).trim().replace(/,/g, "").replace(/^¥/, "").trim();
    if (text === "") { return 0; }
    var m = MONEY.exec(text);
    if (!m) { return null; }
    var frac = (m[2] || "") + "00";
    return parseInt(m[1], 10) * 100 + parseInt(frac.slice(0, 2), 10);
  }

  // 123456 -> "¥1,234.56" (same shape as the server's yuan filter).
  function yuan(fen) {
    var sign = fen < 0 ? "-" : "";
    fen = Math.abs(fen);
    var whole = String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = String(fen % 100);
    return sign + "¥" + whole + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  function plain(fen) { return (Math.floor(fen / 100)) + "." + String(100 + fen % 100).slice(1); }

  function setup(form) {
    var total = parseInt(form.dataset.total, 10);
    var status = form.querySelector("#pay-status");
    var callout = form.querySelector("#change-callout");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-pay]"));
    var tendered = form.querySelector("input[data-tendered]");

    function amount(method) {
      var el = form.querySelector("input[data-pay='" + method + "']");
      return el ? parseFen(el.value) : 0;
    }

    function refresh() {
      var bad = false, sum = 0;
      inputs.forEach(function (el) {
        var v = parseFen(el.value);
        el.classList.toggle("invalid", v === null);
        if (v === null) { bad = true; } else { sum += v; }
      });
      var cash = amount("cash"), given = tendered ? parseFen(tendered.value) : 0;
      if (tendered) { tendered.classList.toggle("invalid", given === null); }
      var msg, cls;
      if (bad || given === null) {
        msg = form.dataset.tplBad; cls = "bad";
      } else if (sum < total) {
        msg = form.dataset.tplLeft.replace("{A}", yuan(total - sum)); cls = "left";
      } else if (sum > total) {
        msg = form.dataset.tplOver.replace("{A}", yuan(sum - total)); cls = "bad";
      } else {
        msg = form.dataset.tplEven; cls = "even";
      }
      status.textContent = msg;
      status.className = "pay-status " + cls;
      if (cash !== null && given !== null && given > 0 && cash > 0) {
        callout.hidden = false;
        if (given < cash) {
          callout.textContent = form.dataset.tplShort;
          callout.classList.add("short");
        } else {
          callout.textContent = form.dataset.tplChange.replace("{T}", yuan(given)).replace("{C}", yuan(given - cash));
          callout.classList.remove("short");
        }
      } else {
        callout.hidden = true;
      }
    }

    // "Rest on account" / "Rest in cash": put what the other rows leave open into this row.
    form.querySelectorAll("button[data-rest]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var target = btn.dataset.rest, others = 0;
        inputs.forEach(function (el) {
          if (el.dataset.pay !== target) { var v = parseFen(el.value); others += v || 0; }
        });
        var rest = Math.max(total - others, 0);
        form.querySelector("input[data-pay='" + target + "']").value = rest ? plain(rest) : "";
        refresh();
      });
    });
    form.addEventListener("input", refresh);
    // Leaving a field written with an IME's full-width digits shows it as the server reads it.
    form.addEventListener("change", function (e) {
      var el = e.target;
      if (el.matches && el.matches("input.money") && parseFen(el.value) !== null) {
        var plainText = asciiNumber(el.value).trim();
        if (plainText !== el.value) { el.value = plainText; refresh(); }
      }
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("#settle-button");
      setTimeout(function () { button.disabled = true; }, 0);  // the token makes a resubmit harmless anyway
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("settle-form");
    if (form) { setup(form); }
  });
  window.showroomFen = { parse: parseFen, yuan: yuan, ascii: asciiNumber };
})();
