"""Charts described once and drawn twice: by Chart.js on the pages (from `chart_data`, passed with
json_script), and as server-side SVG in the PDFs (WeasyPrint runs no JavaScript). Every chart also
gives its data as a table, the text alternative shown beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core.i18n import format_number


def shown_number(value: Any) -> str:
    """A number as the reader expects it in their language: grouped thousands, days to one decimal."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, float):
        return format_number(value, decimal_pos=1)
    if isinstance(value, Decimal):
        return format_number(value, decimal_pos=2)
    return format_number(value)


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
        """What static/js/charts.js hands to Chart.js (None is a gap: lines are not drawn across it)."""
        return {
            "type": self.kind,
            "spanGaps": False,
            "title": str(self.title),
            "labels": [str(label) for label in self.labels],
            "datasets": [
                {
                    "label": str(s.label),
                    "data": s.values,
                    "colour": self.colours[i % len(self.colours)],
                    # Past the palette's colours, lines are dashed so that no two series look alike.
                    "dashed": i >= len(self.colours),
                }
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


def _axis(maximum: float, *, whole: bool) -> tuple[float, int]:
    """A round step and a number of steps (at most 5) whose top covers `maximum`; whole steps for counts."""
    if maximum <= 0:
        return 1.0, 1
    raw = maximum / 4
    exponent = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole or exponent < 1 else (1, 2, 2.5, 5, 10)
    step = next(candidate * exponent for candidate in steps if candidate * exponent >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    return step, max(1, math.ceil(maximum / step))


def _fmt(value: float) -> str:
    """An axis number in the reader's language ("1,500" / "1\u00a0500", "2.5" / "2,5")."""
    return format_number(int(value)) if value == int(value) else format_number(value, decimal_pos=1)


def _label_lines(label: str, width: float) -> list[str]:
    """A category label on at most two lines that fit `width` pixels (about 5.2 px a character)."""
    per_line = max(4, int(width / 5.2))
    words, lines, current = label.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [line if len(line) <= per_line else line[: per_line - 1] + "…" for line in lines]


def render_svg(chart: ChartSpec, *, width: int, height: int) -> str:
    """A plain grouped bar chart or line chart with axis, ticks, category labels and a legend."""
    series = chart.drawn_series()
    left, right, top = 56, 12, 28
    legend_rows = math.ceil(len(series) / 3)
    bottom = 52 + 14 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for s in series for v in s.values if v is not None]
    step, ticks = _axis(max(values, default=0.0), whole=all(v == int(v) for v in values))
    top_value = step * ticks
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(str(chart.title))}" '
        'font-family="DejaVu Sans, sans-serif" font-size="9">',
        f'<text x="{left}" y="14" font-size="11" font-weight="bold">{escape(str(chart.title))}</text>',
    ]
    for i in range(ticks + 1):
        value = step * i
        y = top + plot_h - plot_h * i / ticks
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
        for line_number, line in enumerate(_label_lines(str(label), slot * every - 4)):
            y = top + plot_h + 12 + 11 * line_number
            parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(line)}</text>')

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
            # A missing value breaks the line: one polyline per run of consecutive values.
            runs: list[list[str]] = [[]]
            for i, v in enumerate(s.values):
                if v is None:
                    runs.append([])
                else:
                    runs[-1].append(f"{left + slot * (i + 0.5):.1f},{y_of(float(v)):.1f}")
            for run in runs:
                if len(run) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                    )
            for point in points:
                cx, cy = point.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')

    legend_y = top + plot_h + 40
    column_w = plot_w / 3
    for j, s in enumerate(series):
        x = left + column_w * (j % 3)
        y = legend_y + 14 * (j // 3)
        colour = chart.colours[j % len(chart.colours)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y}">{escape(str(s.label)[:40])}</text>')
    parts.append("</svg>")
    return "".join(parts)
