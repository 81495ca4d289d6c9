/* Draws the charts of a page with the vendored Chart.js. Each <canvas data-portal-chart="ID"> reads its
   data from the <script type="application/json" id="ID"> beside it (Django's json_script): no inline
   script, so the Content Security Policy holds. The table under each chart is its text alternative. */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function withAlpha(hex, alpha) {
    var value = parseInt(hex.slice(1), 16);
    return "rgba(" + ((value >> 16) & 255) + "," + ((value >> 8) & 255) + "," + (value & 255) + "," + alpha + ")";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-portal-chart"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var line = data.type === "line";
    var chart = new window.Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (dataset) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: line ? withAlpha(dataset.colour, 0.15) : dataset.colour,
            borderColor: dataset.colour,
            borderWidth: line ? 2 : 0,
            // A year without data is a gap, not a line drawn across it.
            spanGaps: data.spanGaps === true,
            borderDash: dataset.dashed ? [6, 4] : [],
            pointRadius: line ? 3 : 0
          };
        })
      },
      options: {
        // Numbers on the axes and in tooltips as the page's language writes them ("1 600" in French).
        locale: document.documentElement.lang || "en",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom" },
          title: { display: false }
        },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.portalChart = chart;
  }

  document.querySelectorAll("canvas[data-portal-chart]").forEach(draw);

  // Printed pages are narrower than the screen: let the charts fit the paper, then the screen again.
  function resizeAll() {
    document.querySelectorAll("canvas[data-portal-chart]").forEach(function (canvas) {
      if (canvas.portalChart) {
        canvas.portalChart.resize();
      }
    });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
