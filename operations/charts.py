"""The contribution charts of the operation page and the partner profile: personnel and funding per year,
one line per series, from an operations.selectors.ContributionTimeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.charts import ChartSpec, Series

from .selectors import ContributionTimeline


def contribution_charts(
    timeline: ContributionTimeline, *, key: str, by: str | Promise, drawn: int | None = None
) -> tuple[ChartSpec, ChartSpec]:
    """Personnel and funding per year from an operations.selectors.ContributionTimeline, one line per
    series (`by` names what a series is: operation, partner), gaps where a year has no data."""
    labels = [str(year) for year in timeline.years]
    personnel = _yearly_lines(
        key=f"{key}-personnel",
        title=format_lazy(_("Peak personnel per year, by {by}"), by=by),
        labels=labels,
        series=timeline.personnel,
        drawn=drawn,
    )
    funding = _yearly_lines(
        key=f"{key}-funding",
        title=format_lazy(_("Funding per year, by {by} and currency"), by=by),
        labels=labels,
        series=timeline.funding,
        drawn=drawn,
    )
    return personnel, funding


def _yearly_lines(
    *,
    key: str,
    title: str | Promise,
    labels: list[str],
    series: Mapping[str, list[Any]],
    drawn: int | None,
) -> ChartSpec:
    """A line chart over the years, one line per named series, its table with a row per series."""
    return ChartSpec(
        key=key,
        kind="line",
        title=title,
        category_label=_("Year"),
        labels=labels,
        series=[Series(label=name, values=values) for name, values in series.items()],
        drawn=drawn,
        transpose_table=True,
    )
