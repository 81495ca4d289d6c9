"""Charts described once and drawn twice: by Chart.js on the pages (from `chart_data`, passed with
json_script), and as server-side SVG in the PDFs (WeasyPrint runs no JavaScript). Every chart also
gives its data as a table, the text alternative shown beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Colours that keep a 3:1 contrast against white and stay apart for common colour-vision deficiencies.
PALETTE = ("#005ea2", "#c05600", "#216e1f", "#54278f", "#b50909", "#00687d", "#7a591a", "#3d4551")


@dataclass
class Series:
    label: str | Promise
    values: list[Any]


@dataclass
class ChartSpec:
    key: str
    kind: Literal["bar", "line"]
    title: str | Promise
    category_label: str | Promise
    labels: list[str]
    series: list[Series]
    # How many series are drawn (the table lists them all).
    drawn: int | None = None
    # Table rows are the series (e.g. partner-operation pairs) rather than the categories.
    transpose_table: bool = False
    colours: tuple[str, ...] = field(default=PALETTE)

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(v for s in self.series for v in s.values if v)

    def drawn_series(self) -> list[Series]:
        return self.series[: self.drawn] if self.drawn else self.series

    def chart_data(self) -> dict[str, Any]:
        """What static/js/charts.js hands to Chart.js."""
        return {
            "type": self.kind,
            "title": str(self.title),
            "labels": [str(label) for label in self.labels],
            "datasets": [
                {"label": str(s.label), "data": s.values, "colour": self.colours[i % len(self.colours)]}
                for i, s in enumerate(self.drawn_series())
            ],
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The chart's data as a table: headings and rows (every series, drawn or not)."""
        if self.transpose_table:
            headers = [str(_("Series")), *(str(label) for label in self.labels)]
            return headers, [[str(s.label), *s.values] for s in self.series]
        headers = [str(self.category_label), *(str(s.label) for s in self.series)]
        rows = [[str(label), *(s.values[i] for s in self.series)] for i, label in enumerate(self.labels)]
        return headers, rows

    def svg(self, *, width: int = 640, height: int = 260) -> str:
        """The chart as a standalone SVG (for the PDFs)."""
        return render_svg(self, width=width, height=height)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def render_svg(chart: ChartSpec, *, width: int, height: int) -> str:
    """A plain grouped bar chart or line chart with axis, ticks, category labels and a legend."""
    series = chart.drawn_series()
    left, right, top = 56, 12, 28
    legend_rows = math.ceil(len(series) / 3)
    bottom = 40 + 14 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for s in series for v in s.values if v is not None]
    top_value = _nice_max(max(values, default=0.0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(str(chart.title))}" '
        'font-family="DejaVu Sans, sans-serif" font-size="9">',
        f'<text x="{left}" y="14" font-size="11" font-weight="bold">{escape(str(chart.title))}</text>',
    ]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dfe1e2"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{_fmt(value)}</text>')
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#1b1b1b"/>'
    )
    count = max(len(chart.labels), 1)
    slot = plot_w / count
    every = max(1, math.ceil(count / 16))
    for i, label in enumerate(chart.labels):
        if i % every:
            continue
        x = left + slot * (i + 0.5)
        text = escape(str(label)[:18])
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 12}" text-anchor="middle">{text}</text>')

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / top_value

    if chart.kind == "bar":
        bar_w = slot * 0.8 / max(len(series), 1)
        for j, s in enumerate(series):
            colour = chart.colours[j % len(chart.colours)]
            for i, value in enumerate(s.values):
                if not value:
                    continue
                x = left + slot * i + slot * 0.1 + bar_w * j
                y = y_of(float(value))
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - y:.1f}" '
                    f'fill="{colour}"/>'
                )
    else:
        for j, s in enumerate(series):
            colour = chart.colours[j % len(chart.colours)]
            points = [
                f"{left + slot * (i + 0.5):.1f},{y_of(float(v)):.1f}"
                for i, v in enumerate(s.values)
                if v is not None
            ]
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
            for point in points:
                cx, cy = point.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')

    legend_y = top + plot_h + 28
    column_w = plot_w / 3
    for j, s in enumerate(series):
        x = left + column_w * (j % 3)
        y = legend_y + 14 * (j // 3)
        colour = chart.colours[j % len(chart.colours)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y}">{escape(str(s.label)[:40])}</text>')
    parts.append("</svg>")
    return "".join(parts)
