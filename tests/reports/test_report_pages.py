"""The reports pages: each report's table, its numbers and sorting, with a query count that does not grow."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.reports.models import ExportJob
from portal.reports.registry import REPORTS
from tests.factories import (
    CatalogueItemFactory,
    ContributionFactory,
    FundingContributionFactory,
    OperationFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
)
from tests.workprogrammes.request_factories import InclusionRequestFactory

from .helpers import page_table

pytestmark = pytest.mark.django_db


def _url(slug: str, query: str = "") -> str:
    return reverse("reports:report", args=[slug]) + query


def _contributions(n: int, partner: Any) -> None:
    for _ in range(n):
        ContributionFactory(partner=partner, operation=OperationFactory())


def _activities(n: int, partner: Any) -> None:
    for _ in range(n):
        ProgrammeActivityFactory(programme__partner=partner)


def _pipeline(n: int, partner: Any) -> None:
    statuses = ["draft", "submitted", "under_review", "awaiting_council", "approved"]
    for i in range(n):
        InclusionRequestFactory(partner=partner, status=statuses[i % len(statuses)])


def _decisions(n: int, partner: Any) -> None:
    now = timezone.now()
    for _ in range(n):
        InclusionRequestFactory(
            partner=PartnerFactory(),
            status="approved",
            submitted_at=now - datetime.timedelta(days=9),
            decided_at=now,
        )


def _catalogue(n: int, partner: Any) -> None:
    for _ in range(n):
        item = CatalogueItemFactory()
        ProgrammeActivityFactory(programme__partner=partner, catalogue_item=item)
        InclusionRequestFactory(partner=partner, catalogue_item=item)


def _outcomes(n: int, partner: Any) -> None:
    from tests.factories import UserFactory
    from workprogrammes.models import ActivityOutcome

    recorder = UserFactory()
    for _ in range(n):
        activity = ProgrammeActivityFactory(
            programme__partner=partner, catalogue_item=CatalogueItemFactory(), status="reported"
        )
        ActivityOutcome.objects.create(activity=activity, participants=12, rating=4, recorded_by=recorder)


BUILDERS: dict[str, Callable[[int, Any], None]] = {
    "contributions": _contributions,
    "activities": _activities,
    "pipeline": _pipeline,
    "decision_times": _decisions,
    "catalogue_usage": _catalogue,
    "outcomes": _outcomes,
}


def test_every_report_has_a_builder_here() -> None:
    assert set(BUILDERS) == set(REPORTS)


@pytest.mark.parametrize("slug", list(BUILDERS))
def test_report_page_query_count_is_the_same_at_1_and_50_rows(
    analyst_client: Client, partner: Any, slug: str, django_assert_num_queries: Any
) -> None:
    BUILDERS[slug](1, partner)
    analyst_client.get(_url(slug))  # warms what is cached across requests
    with CaptureQueriesContext(connection) as first:
        analyst_client.get(_url(slug))
    BUILDERS[slug](49, partner)

    with django_assert_num_queries(len(first)):
        response = analyst_client.get(_url(slug))

    assert response.status_code == 200
    _headers, rows = page_table(response.content.decode())
    assert len(rows) == (5 if slug == "pipeline" else 50)


def test_report_index_query_count_does_not_grow_with_exports(
    analyst_client: Client, analyst: Any, partner: Any, django_assert_num_queries: Any
) -> None:
    ExportJob.objects.create(user=analyst, report="activities", format="csv")
    analyst_client.get(reverse("reports:index"))
    with CaptureQueriesContext(connection) as first:
        analyst_client.get(reverse("reports:index"))
    for _ in range(49):
        ExportJob.objects.create(user=analyst, report="activities", format="csv")

    with django_assert_num_queries(len(first)):
        response = analyst_client.get(reverse("reports:index"))
    assert response.status_code == 200


def test_contributions_sum_amounts_per_currency_and_take_the_peak_personnel(
    analyst_client: Client, partner: Any
) -> None:
    isaf = OperationFactory(acronym_en="ISAF")
    ContributionFactory(
        partner=partner, operation=isaf, period_start=datetime.date(2009, 1, 1), personnel=900
    )
    ContributionFactory(
        partner=partner, operation=isaf, period_start=datetime.date(2009, 7, 1), personnel=1100
    )
    FundingContributionFactory(partner=partner, operation=isaf, period_start=datetime.date(2009, 2, 1))
    FundingContributionFactory(partner=partner, operation=isaf, period_start=datetime.date(2009, 3, 1))

    headers, rows = page_table(analyst_client.get(_url("contributions")).content.decode())

    assert headers == [
        "Partner",
        "Operation",
        "Year",
        "Contributions",
        "Peak personnel",
        "Amount",
        "Currency",
    ]
    assert rows == [
        ["Japan", "ISAF", "2009", "2", "1100", "", ""],
        ["Japan", "ISAF", "2009", "2", "", "64000000.00", "EUR"],
    ]


def test_numbers_are_right_aligned_and_shown_localised(analyst_client: Client, partner: Any) -> None:
    ContributionFactory(partner=partner, operation=OperationFactory(), personnel=1550)

    html = analyst_client.get(_url("contributions")).content.decode()

    assert '<td class="portal-num" data-value="1550">1,550</td>' in html
    assert '<td class="portal-num" data-value="2007">2007</td>' in html, "years are not grouped like amounts"
    assert 'class="portal-sortable portal-num"' in html


def test_pipeline_counts_requests_per_status_in_workflow_order(analyst_client: Client, partner: Any) -> None:
    now = timezone.now()
    InclusionRequestFactory(partner=partner, status="submitted", due_at=now - datetime.timedelta(days=1))
    InclusionRequestFactory(partner=partner, status="submitted", due_at=now + datetime.timedelta(days=1))
    InclusionRequestFactory(partner=partner, status="approved")
    InclusionRequestFactory(partner=partner)

    _headers, rows = page_table(analyst_client.get(_url("pipeline")).content.decode())

    assert [(row[0], row[1], row[4]) for row in rows] == [
        ("Draft", "1", "0"),
        ("Submitted", "2", "1"),
        ("Approved", "1", "0"),
    ]
    _headers, by_count = page_table(analyst_client.get(_url("pipeline", "?sort=-requests")).content.decode())
    assert by_count[0][0] == "Submitted"


def test_decision_times_give_median_and_mean_days_per_partner_and_year(
    analyst_client: Client, partner: Any
) -> None:
    decided = timezone.make_aware(datetime.datetime(2025, 6, 30, 12))
    for days, status in ((10, "approved"), (20, "rejected"), (60, "approved_exempt")):
        InclusionRequestFactory(
            partner=partner,
            status=status,
            submitted_at=decided - datetime.timedelta(days=days),
            decided_at=decided,
        )

    _headers, rows = page_table(analyst_client.get(_url("decision_times")).content.decode())

    assert rows == [["Japan", "2025", "3", "2", "1", "20.0", "30.0"]]


def test_catalogue_usage_counts_activities_and_requests_per_item(
    analyst_client: Client, partner: Any
) -> None:
    used = CatalogueItemFactory(code="ACT.396", title_en="Language course")
    CatalogueItemFactory(code="ZZZ.001")
    activity = ProgrammeActivityFactory(programme__partner=partner, catalogue_item=used)
    ProgrammeActivityFactory(programme__partner=partner, catalogue_item=used)
    InclusionRequestFactory(partner=partner, catalogue_item=used)
    InclusionRequestFactory(
        partner=partner,
        catalogue_item=None,
        programme_activity=activity,
        title="",
        start_date=None,
        end_date=None,
    )

    _headers, rows = page_table(analyst_client.get(_url("catalogue_usage", "?used_only=on")).content.decode())

    assert rows == [["ACT.396", "Language course", rows[0][2], "Education and training", "Yes", "2", "2"]]
