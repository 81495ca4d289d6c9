"""The home dashboard: a panel per role, the right numbers, charts with their data, constant queries."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from tests.factories import (
    ContributionFactory,
    OperationFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    WorkProgrammeFactory,
)
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
    StatusChangeFactory,
)
from workprogrammes.programmes.models import Objective

from .helpers import user_with_roles

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"><span class="portal-figure__value">([^<]*)</span>', html)
    assert match, f"no figure {name}"
    return match.group(1)


def _chart(html: str, key: str) -> dict[str, Any]:
    match = re.search(rf'<script id="chart-data-{key}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no data for chart {key}"
    return dict(json.loads(match.group(1)))


def _panels(html: str) -> list[str]:
    return re.findall(r'data-panel="(\w+)"', html)


def test_home_shows_the_panels_of_the_users_roles(client: Client) -> None:
    for roles, panels in (
        ([Role.OFFICER], ["officer"]),
        ([Role.REVIEWER], ["reviewer"]),
        ([Role.COUNCIL_SECRETARY], ["secretary"]),
        ([Role.ANALYST], ["analyst"]),
        ([Role.VIEWER], ["analyst"]),
        ([Role.ADMINISTRATOR], ["analyst"]),
        ([Role.OFFICER, Role.REVIEWER], ["officer", "reviewer"]),
        ([], []),
    ):
        client.force_login(user_with_roles("-".join(roles) or "nobody", *roles))
        response = client.get(HOME)
        assert response.status_code == 200
        assert _panels(response.content.decode()) == panels, roles


def test_officer_sees_their_requests_by_status_and_what_they_owe(
    client: Client, officer: Any, partner: Any
) -> None:
    desk = officer.desks.get()
    drafts = [InclusionRequestFactory(partner=partner, desk=desk, requested_by=officer) for _ in range(2)]
    returned = InclusionRequestFactory(partner=partner, desk=desk, requested_by=officer, status="returned")
    submitted = [
        InclusionRequestFactory(partner=partner, desk=desk, requested_by=officer, status="submitted")
        for _ in range(3)
    ]
    InclusionRequestFactory(status="returned")  # another desk's
    client.force_login(officer)

    html = client.get(HOME).content.decode()

    assert (_figure(html, "drafts"), _figure(html, "returned")) == ("2", "1")
    chart = _chart(html, "officer-requests")
    assert dict(zip(chart["labels"], chart["datasets"][0]["data"], strict=True)) == {
        "Draft": 2,
        "Submitted": 3,
        "Returned for changes": 1,
    }
    owed = html.split("Waiting for your action")[1].split("</ul>")[0]
    assert all(r.reference in owed for r in [*drafts, returned])
    assert not any(r.reference in owed for r in submitted)


def test_reviewer_sees_the_queue_and_what_is_overdue(client: Client, reviewer: Any, partner: Any) -> None:
    now = timezone.now()
    for _ in range(3):
        InclusionRequestFactory(partner=partner, status="submitted", due_at=now + datetime.timedelta(days=5))
    overdue = [
        InclusionRequestFactory(
            partner=partner, status="under_review", due_at=now - datetime.timedelta(days=2)
        )
        for _ in range(2)
    ]
    InclusionRequestFactory(partner=partner, status="recommended")
    client.force_login(reviewer)

    html = client.get(HOME).content.decode()

    assert (_figure(html, "queue"), _figure(html, "overdue")) == ("5", "2")
    overdue_list = html.split(">Overdue<")[1].split("</ul>")[0]
    assert all(r.reference in overdue_list for r in overdue)


def test_secretary_sees_the_next_meeting_and_silence_deadlines(
    client: Client, secretary: Any, partner: Any
) -> None:
    today = timezone.localdate()
    CouncilMeetingFactory(date=today - datetime.timedelta(days=7), reference="C-M-PAST")
    upcoming = CouncilMeetingFactory(date=today + datetime.timedelta(days=5), reference="C-M-NEXT")
    CouncilMeetingFactory(date=today + datetime.timedelta(days=40), reference="C-M-LATER")
    AgendaItemFactory(meeting=upcoming, request__partner=partner)
    silence = AgendaItemFactory(
        meeting=upcoming,
        request__partner=partner,
        status="under_silence",
        silence_deadline=timezone.now() + datetime.timedelta(days=1),
    )
    InclusionRequestFactory(partner=partner, status="awaiting_council")
    client.force_login(secretary)

    html = client.get(HOME).content.decode()

    meeting = html.split("Next meeting")[1].split("</p>")[0]
    assert "C-M-NEXT" in meeting and "2 items on the agenda" in meeting
    assert silence.request.reference in html.split("Silence deadlines")[1]
    assert _figure(html, "awaiting-agenda") == "1"


def test_analyst_sees_the_pipeline_times_to_decision_contributions_and_coverage(
    client: Client, analyst: Any, partner: Any
) -> None:
    start = timezone.now() - datetime.timedelta(days=100)
    # Resubmitted: counted from its first submission (30 days), not from the last one.
    resubmitted = InclusionRequestFactory(
        partner=partner,
        status="approved",
        submitted_at=start + datetime.timedelta(days=25),
        decided_at=start + datetime.timedelta(days=30),
    )
    StatusChangeFactory(request=resubmitted, to_status="submitted", at=start)
    for days in (10, 14):
        InclusionRequestFactory(
            partner=partner,
            status="rejected",
            submitted_at=start,
            decided_at=start + datetime.timedelta(days=days),
        )
    InclusionRequestFactory(partner=partner, status="submitted")
    isaf = OperationFactory(acronym_en="ISAF")
    # Australia's figures in ISAF: 500 in January 2007, 1,550 in March 2011 (nothing recorded between).
    for start, end, people in (
        (datetime.date(2007, 1, 1), datetime.date(2007, 1, 31), 500),
        (datetime.date(2011, 3, 1), datetime.date(2011, 3, 31), 1550),
    ):
        ContributionFactory(
            partner=partner, operation=isaf, period_start=start, period_end=end, personnel=people
        )
    year = timezone.localdate().year
    lacking = WorkProgrammeFactory(partner=partner, year=year)
    full = WorkProgrammeFactory(partner=PartnerFactory(name_en="Australia"), year=year)
    ProgrammeActivityFactory(programme=lacking, objective=Objective.SECURITY_COOPERATION)
    ProgrammeActivityFactory(programme=lacking, objective=Objective.COMMON_UNDERSTANDING, status="cancelled")
    for objective in Objective.values:
        ProgrammeActivityFactory(programme=full, objective=objective)
    client.force_login(analyst)

    html = client.get(HOME).content.decode()

    assert _figure(html, "median-days") == "14.0" and _figure(html, "mean-days") == "18.0"
    assert _figure(html, "decided") == "3"
    pipeline = _chart(html, "pipeline")
    counts = dict(zip(pipeline["labels"], pipeline["datasets"][0]["data"], strict=True))
    assert (counts["Approved"], counts["Rejected"], counts["Submitted"], counts["Draft"]) == (1, 2, 1, 0)
    contributions = _chart(html, "contributions")
    assert contributions["labels"] == ["2007", "2008", "2009", "2010", "2011"], "the time axis is to scale"
    assert contributions["datasets"][0] == {
        "label": "Japan – ISAF",
        "data": [500, None, None, None, 1550],
        "colour": "#005ea2",
        "dashed": False,
    }
    lacking_row = re.search(rf'<tr data-programme="{lacking.pk}">(.*?)</tr>', html, re.S)
    full_row = re.search(rf'<tr data-programme="{full.pk}">(.*?)</tr>', html, re.S)
    assert lacking_row and full_row
    assert lacking_row.group(1).count('data-missing="true"') == 2, "operations and understanding lack support"
    assert "data-missing" not in full_row.group(1)
    assert "1 programme lacks an activity" in html
    # Every chart comes with its data as a table.
    assert html.count("portal-chart__table") == 4


def test_the_dashboard_draws_its_charts_with_the_vendored_script_and_no_inline_code(
    client: Client, analyst: Any
) -> None:
    client.force_login(analyst)
    html = client.get(HOME).content.decode()

    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/charts.js" in html
    inline = [s for s in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S) if s[1].strip()]
    assert all('type="application/json"' in attributes for attributes, _body in inline)


def test_the_contributions_chart_draws_every_series_its_table_lists(client: Client, analyst: Any) -> None:
    operation = OperationFactory(acronym_en="KFOR")
    for i in range(11):
        ContributionFactory(
            partner=PartnerFactory(),
            operation=operation,
            period_start=datetime.date(2008, 1, 1),
            personnel=5 + i,
        )
    client.force_login(analyst)
    html = client.get(HOME).content.decode()
    chart = _chart(html, "contributions")
    table = html.split('id="chart-data-contributions"')[1].split("</figure>")[0]
    rows = re.findall(r"<tbody>(.*?)</tbody>", table, re.S)[0].count("<tr")
    assert len(chart["datasets"]) == rows == 11
    assert [d["dashed"] for d in chart["datasets"]].count(True) == 3, "series past the palette are dashed"


def _build(n: int, user: Any, partner: Any) -> None:
    desk = user.desks.get()
    now = timezone.now()
    year = timezone.localdate().year
    meeting = CouncilMeetingFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    operation = OperationFactory()
    for i in range(n):
        other = PartnerFactory()
        desk.partners.add(other)
        InclusionRequestFactory(partner=other, desk=desk, requested_by=user, status="draft")
        InclusionRequestFactory(
            partner=other, desk=desk, status="under_review", due_at=now - datetime.timedelta(days=1)
        )
        InclusionRequestFactory(partner=other, desk=desk, status="approved", submitted_at=now, decided_at=now)
        AgendaItemFactory(
            meeting=meeting,
            request__partner=other,
            status="under_silence",
            silence_deadline=now + datetime.timedelta(days=1),
        )
        ContributionFactory(partner=other, operation=operation, personnel=10 + i)
        ProgrammeActivityFactory(programme=WorkProgrammeFactory(partner=other, year=year))


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_dashboard_query_count_is_the_same_at_1_and_50_rows(
    client: Client, officer: Any, partner: Any, django_assert_num_queries: Any
) -> None:
    user = user_with_roles("all-roles", Role.OFFICER, Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ANALYST)
    officer.desks.get().members.add(user)
    client.force_login(user)
    _build(1, user, partner)
    client.get(HOME)  # warms what is cached across requests (content types)
    cache.clear()  # the overview is cached until the data changes: count the queries that compute it
    at_one = _queries(client)

    _build(49, user, partner)
    cache.clear()
    with django_assert_num_queries(at_one):
        response = client.get(HOME)

    html = response.content.decode()
    assert _figure(html, "queue") == "50" and _figure(html, "drafts") == "50"
