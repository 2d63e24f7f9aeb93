/* Complaint statistics drawn with Apache ECharts (vendored, static/js/echarts.min.js):
   the figures come from the JSON block the page carries — the same body GET
   /api/v1/complaints/stats serves — and the table beside each chart shows them too. */
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("complaint-stats");
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    var types = { category: "bar", status: "bar", month: "bar" };
    Object.keys(types).forEach(function (id) {
      var el = document.getElementById("chart-" + id);
      var c = data.charts[id];
      if (!el || !c) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 40, right: 10, top: 26, bottom: 56 },
        tooltip: {},
        xAxis: { type: "category", data: c.names,
                 axisLabel: { interval: 0, rotate: c.keys.length > 5 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: types[id], data: c.values,
                   itemStyle: { color: "#10231c" }, label: { show: true, position: "top" } }]
      });
      el.dataset.drawn = String(c.keys.length);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
