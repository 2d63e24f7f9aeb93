/* Complaint statistics drawn with Apache ECharts (vendored, static/js/echarts.min.js):
   the figures come from the JSON block the page carries — the same body GET
   /api/v1/complaints/stats serves — and the table beside each chart shows them too. */
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("complaint-stats");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    var s = data.stats, labels = data.labels;
    var charts = {
      category: { rows: s.by_category, names: labels.category, type: "bar" },
      status: { rows: s.by_status, names: labels.status, type: "bar" },
      month: { rows: s.by_month, names: {}, type: "line" }
    };
    Object.keys(charts).forEach(function (id) {
      var el = document.getElementById("chart-" + id);
      if (!el) { return; }
      var c = charts[id], keys = Object.keys(c.rows);
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 40, right: 10, top: 16, bottom: 56 },
        tooltip: {},
        xAxis: { type: "category", data: keys.map(function (k) { return c.names[k] || k; }),
                 axisLabel: { interval: 0, rotate: keys.length > 5 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: c.type, data: keys.map(function (k) { return c.rows[k]; }),
                   itemStyle: { color: "#10231c" }, label: { show: true, position: "top" } }]
      });
      el.dataset.drawn = String(keys.length);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
