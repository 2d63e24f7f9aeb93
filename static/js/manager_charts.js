/* The manager's home drawn with Apache ECharts (vendored, static/js/echarts.min.js): the
   figures come from the JSON block the page carries — the same body GET /api/v1/dashboard
   serves — and the table beside each chart shows them too. Charts follow the window's size. */
(function () {
  "use strict";
  var INK = "#10231c", PALETTE = [INK, "#c0262d", "#2f6fb0", "#d68a1c", "#4f9a6a", "#7a4fa0"];
  function num(s) { return Number(s); }  /* drawing only: the tables show the exact strings */
  function base(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    option.animation = false;
    option.color = PALETTE;
    option.tooltip = option.tooltip || { trigger: "axis" };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  function bars(el, names, values, rotate, counts) {
    base(el, {
      grid: { left: 56, right: 10, top: 24, bottom: rotate ? 48 : 28 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: rotate || 0 } },
      yAxis: { type: "value", minInterval: counts ? 1 : 0 },
      series: [{ type: "bar", data: values, label: { show: values.length <= 8, position: "top" } }]
    });
  }
  function draw() {
    var block = document.getElementById("dashboard-data");
    if (!block || !window.echarts) { return; }
    var all = JSON.parse(block.textContent), d = all.data, names = all.names;
    var el = document.getElementById("chart-sales");
    if (el) {
      base(el, {
        legend: { top: 0, right: 0 }, grid: { left: 64, right: 10, top: 26, bottom: 26 },
        xAxis: { type: "category", data: d.sales_per_day.map(function (r) { return r.date.slice(5); }) },
        yAxis: { type: "value" },
        series: [
          { name: el.getAttribute("aria-label"), type: "bar",
            data: d.sales_per_day.map(function (r) { return num(r.sales); }) },
          { name: document.querySelector("#table-sales thead th:nth-child(4)").textContent,
            type: "bar", data: d.sales_per_day.map(function (r) { return num(r.returns); }) }
        ]
      });
      el.dataset.drawn = String(d.sales_per_day.length);
    }
    el = document.getElementById("chart-payments");
    if (el) {
      bars(el, d.payments_by_method.map(function (r) { return names.method[r.method]; }),
           d.payments_by_method.map(function (r) { return num(r.amount); }), 20);
      el.dataset.drawn = String(d.payments_by_method.length);
    }
    el = document.getElementById("chart-ageing");
    if (el) {
      bars(el, d.debt_ageing.map(function (r) { return names.bucket[r.bucket]; }),
           d.debt_ageing.map(function (r) { return num(r.amount); }), 0);
      el.dataset.drawn = String(d.debt_ageing.length);
    }
    el = document.getElementById("chart-levels");
    if (el) {
      var weeks = [], codes = [];
      d.service_levels_weekly.forEach(function (r) {
        if (weeks.indexOf(r.week_start) < 0) { weeks.push(r.week_start); }
        if (codes.indexOf(r.code) < 0) { codes.push(r.code); }
      });
      base(el, {
        legend: { top: 0, type: "scroll" }, grid: { left: 44, right: 10, top: 28, bottom: 24 },
        xAxis: { type: "category", data: weeks.map(function (w) { return w.slice(5); }) },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: codes.map(function (code) {
          return { name: names.level[code] || code, type: "line", connectNulls: false,
                   data: weeks.map(function (w) {
                     var r = d.service_levels_weekly.filter(function (x) {
                       return x.week_start === w && x.code === code; })[0];
                     return r && r.share !== null ? Math.round(r.share * 1000) / 10 : null;
                   }) };
        })
      });
      el.dataset.drawn = String(d.service_levels_weekly.length);
    }
    el = document.getElementById("chart-complaints");
    if (el) {
      bars(el, d.complaints_by_category.map(function (r) { return names.category[r.category]; }),
           d.complaints_by_category.map(function (r) { return r.count; }), 0, true);
      el.dataset.drawn = String(d.complaints_by_category.length);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
