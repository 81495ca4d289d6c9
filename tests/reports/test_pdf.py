"""Printable PDFs: a partner profile and an annual programme, marked on every page, with their charts."""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role
from portal.core.models import Marking
from portal.reports.models import ExportJob
from portal.reports.pdf import css_string
from tests.factories import ContributionFactory, MilestoneFactory, OperationFactory, ProgrammeActivityFactory
from workprogrammes.programmes.models import Objective

from .helpers import user_with_roles

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> list[str]:
    """The text of each page, read by poppler's pdftotext (pages are separated by form feeds)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, check=True).stdout
    # Words a narrow table column wrapped onto two lines read as one phrase again.
    return [" ".join(page.split()) for page in text.decode().split("\f") if page.strip()]


def test_partner_profile_pdf_has_the_profile_charts_and_the_marking_on_every_page(
    analyst_client: Client, analyst: Any, partner: Any, partner_with_activities: Any
) -> None:
    isaf = OperationFactory(acronym_en="ISAF", name_en="International Security Assistance Force")
    for year, personnel in ((2007, 500), (2009, 1100), (2011, 1550)):
        ContributionFactory(
            partner=partner, operation=isaf, period_start=datetime.date(year, 1, 1), personnel=personnel
        )
    MilestoneFactory(partner=partner, title_en="Political dialogue begins", date=datetime.date(1990, 1, 1))
    partner_with_activities(60)

    response = analyst_client.get(reverse("reports:partner-pdf") + "?partner=JP")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="partner-profile-jp-')
    pages = _pdf_text(response.content)
    assert len(pages) >= 2
    for page in pages:
        assert page.count("NATO UNCLASSIFIED") >= 2, "the marking heads and foots every page"
    text = "\n".join(pages)
    assert "Partner profile: Japan" in text
    assert "Political dialogue begins" in text
    assert "Peak personnel per year, by operation" in text, "the chart is drawn"
    assert "1,550" in text and "Course 059" in text
    record = ExportJob.objects.get()
    assert (record.user, record.report, record.format, record.filters) == (
        analyst,
        "partner_profile",
        "pdf",
        {"partner": "JP"},
    )
    assert record.row_count == 3 + 60


def test_annual_programme_pdf_flags_objectives_without_activity_and_carries_the_highest_marking(
    client: Client, partner_with_activities: Any
) -> None:
    activities = partner_with_activities(3, objective=Objective.SECURITY_COOPERATION)
    ProgrammeActivityFactory(
        programme=activities[0].programme,
        title_en="Restricted exercise",
        objective=Objective.SUPPORT_FOR_OPERATIONS,
        marking=Marking.NATO_RESTRICTED,
        start_date=datetime.date(2009, 6, 1),
        end_date=datetime.date(2009, 6, 3),
    )
    programme = activities[0].programme
    client.force_login(user_with_roles("cleared-analyst", Role.ANALYST, clearance=Marking.NATO_RESTRICTED))

    response = client.get(reverse("reports:programme-pdf", args=[programme.pk]))

    pages = _pdf_text(response.content)
    for page in pages:
        assert page.count("NATO RESTRICTED") >= 2
    text = "\n".join(pages)
    assert "Annual programme 2009: Japan" in text
    assert "Restricted exercise" in text
    assert "No activity supports this objective" in text, "enhanced common understanding has none"
    assert "Activities per objective" in text


def test_a_user_below_an_activitys_marking_gets_a_pdf_without_it(
    analyst_client: Client, partner_with_activities: Any
) -> None:
    activities = partner_with_activities(1)
    ProgrammeActivityFactory(
        programme=activities[0].programme, title_en="Restricted exercise", marking=Marking.NATO_RESTRICTED
    )

    text = "\n".join(
        _pdf_text(
            analyst_client.get(reverse("reports:programme-pdf", args=[activities[0].programme.pk])).content
        )
    )

    assert "Restricted exercise" not in text and "NATO RESTRICTED" not in text


def test_programme_pdf_is_found_by_partner_and_year(
    analyst_client: Client, partner_with_activities: Any
) -> None:
    programme = partner_with_activities(1)[0].programme

    found = analyst_client.get(reverse("reports:programme-pdf-find") + "?partner=JP&year=2009")
    missing = analyst_client.get(reverse("reports:programme-pdf-find") + "?partner=JP&year=2030")

    assert found.status_code == 302 and found["Location"] == reverse(
        "reports:programme-pdf", args=[programme.pk]
    )
    assert missing.status_code == 404


def test_pdfs_are_for_analysts_and_administrators(client: Client, partner_with_activities: Any) -> None:
    programme = partner_with_activities(1)[0].programme
    client.force_login(user_with_roles("staff", Role.VIEWER))

    assert client.get(reverse("reports:partner-pdf") + "?partner=JP").status_code == 403
    assert client.get(reverse("reports:programme-pdf", args=[programme.pk])).status_code == 403


def test_text_printed_in_the_page_margins_cannot_break_out_of_its_css_string() -> None:
    assert (
        css_string('Releasable to "X"; } body { display: none')
        == 'Releasable to \\"X\\"; } body { display: none'
    )
    assert "</style" not in css_string("</style><script>")
