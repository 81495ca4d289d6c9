"""The contribution charts of the operation page and the partner profile: personnel and funding per year,
one line per series, from an operations.selectors.ContributionTimeline."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.charts import ChartSpec, Series


def contribution_charts(
    timeline: Any, *, key: str, by: str | Promise, drawn: int | None = None
) -> tuple[ChartSpec, ChartSpec]:
    """Personnel and funding per year from an operations.selectors.ContributionTimeline, one line per
    series (`by` names what a series is: operation, partner), gaps where a year has no data."""
    labels = [str(year) for year in timeline.years]
    personnel = ChartSpec(
        key=f"{key}-personnel",
        kind="line",
        title=format_lazy(_("Peak personnel per year, by {by}"), by=by),
        category_label=_("Year"),
        labels=labels,
        series=[Series(label=name, values=values) for name, values in timeline.personnel.items()],
        drawn=drawn,
        transpose_table=True,
    )
    funding = ChartSpec(
        key=f"{key}-funding",
        kind="line",
        title=format_lazy(_("Funding per year, by {by} and currency"), by=by),
        category_label=_("Year"),
        labels=labels,
        series=[Series(label=name, values=values) for name, values in timeline.funding.items()],
        drawn=drawn,
        transpose_table=True,
    )
    return personnel, funding
