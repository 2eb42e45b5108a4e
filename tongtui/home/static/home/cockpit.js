// The cockpit's charts: every bar, slice and line point opens the filtered list behind it.
(function () {
  "use strict";
  var node = document.getElementById("cockpit-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = (params.data && params.data.url) || (params.seriesId && params.seriesId.indexOf("/") === 0 && params.seriesId);
      if (url) window.location.href = url;
    });
    charts.push(chart);
    return chart;
  }

  var small = window.matchMedia("(max-width: 575.98px)").matches;

  draw("chart-lights", {
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    series: [{ type: "pie", radius: ["45%", "72%"], data: data.lights, label: { formatter: "{b}\n{c}" } }]
  });

  if (data.trend.dates.length) {
    draw("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 30, bottom: 30 },
      xAxis: { type: "category", data: data.trend.dates, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: data.trend.series.map(function (s) {
        return {
          id: s.url, name: s.name, type: "line", smooth: true, showSymbol: false,
          itemStyle: { color: s.color }, lineStyle: { color: s.color },
          data: s.values.map(function (v) { return { value: v, url: s.url }; })
        };
      })
    });
  }

  function bars(id, block) {
    var el = document.getElementById(id);
    if (!el || !block.names.length) { if (el) el.style.display = "none"; return; }
    el.style.height = Math.max(160, 34 * block.names.length + 60) + "px";
    draw(id, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: small ? 90 : 130, right: 20, top: 28, bottom: 20 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: block.names, inverse: true,
               axisLabel: { width: small ? 80 : 120, overflow: "truncate" } },
      series: [
        { name: data.labels.actual, type: "bar", data: block.actual, itemStyle: { color: "#3b6fd8" } },
        { name: data.labels.planned, type: "bar", data: block.planned, itemStyle: { color: "#c8d1e0" } }
      ]
    });
  }
  bars("chart-category", data.by_category);
  bars("chart-unit", data.by_unit);
  bars("chart-leader", data.by_leader);

  var onTime = document.getElementById("chart-on-time");
  if (onTime && data.on_time.names.length) {
    onTime.style.height = Math.max(140, 26 * data.on_time.names.length + 40) + "px";
    draw("chart-on-time", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: small ? 90 : 130, right: 30, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.on_time.names, inverse: true,
               axisLabel: { width: small ? 80 : 120, overflow: "truncate" } },
      series: [{ name: data.labels.rate, type: "bar", data: data.on_time.values,
                 itemStyle: { color: function (p) { return p.value < 80 ? "#d63333" : "#2e9d4f"; } },
                 label: { show: true, position: "right", formatter: "{c}%" } }]
    });
  } else if (onTime) { onTime.style.display = "none"; }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
