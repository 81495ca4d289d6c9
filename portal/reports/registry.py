"""The analysts' tabular reports, each defined ONCE: its columns, filters, query and row formatter.

The reports page, the CSV and XLSX exports, the background export job and the API all read a report
through this module, so that an export holds exactly the columns and rows the page shows for the same
filters and sorting. A report's query yields tuples in column order (`values_list`), which the
formatter turns into typed values: str, int, Decimal, float (days), datetime.date, or None.
"""

from __future__ import annotations

from .tabular.activities import ActivitiesReport, OutcomesReport
from .tabular.base import Report
from .tabular.catalogue import CatalogueUsageReport
from .tabular.contributions import ContributionsReport
from .tabular.requests import DecisionTimesReport, PipelineReport

REPORTS: dict[str, Report] = {
    report.slug: report
    for report in (
        ContributionsReport(),
        ActivitiesReport(),
        PipelineReport(),
        DecisionTimesReport(),
        CatalogueUsageReport(),
        OutcomesReport(),
    )
}


def report_for(slug: str) -> Report | None:
    """The tabular report with this slug, or None."""
    return REPORTS.get(slug)
