// The task page's light panel (loaded by htmx): planned, reported and verified progress on one chart.
(function () {
  "use strict";
  if (!document.getElementById("task-trajectory-chart")) { return; }
  var data = JSON.parse(document.getElementById("task-trajectory-data").textContent);
  function draw() {
    var el = document.getElementById("task-trajectory-chart");
    if (!el || !window.echarts) { return; }
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
    function line(name, points, opts) {
      return Object.assign({ name: name, type: "line", data: points, showSymbol: true, symbolSize: 5 }, opts || {});
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: "time", min: data.start, max: data.end },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        line(data.names.planned, data.planned, { lineStyle: { type: "dashed" }, symbol: "diamond",
          markLine: { silent: true, symbol: "none", label: { formatter: data.names.as_of },
                      data: [{ xAxis: data.as_of }] } }),
        line(data.names.reported, data.reported),
        line(data.names.verified, data.verified, { step: "end" })
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (window.echarts) { draw(); return; }
  var script = document.createElement("script");
  script.src = document.getElementById("task-trajectory-chart").getAttribute("data-echarts");
  script.onload = draw;
  document.head.appendChild(script);
})();
