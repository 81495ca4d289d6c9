"""Fixtures for the annual programmes: catalogue items that need the Council or not, and programmes."""

import datetime

import pytest

from tests.factories import CatalogueItemFactory, ProgrammeActivityFactory, WorkProgrammeFactory
from workprogrammes.programmes.models import Objective, WorkProgramme


@pytest.fixture
def council_item(db):
    return CatalogueItemFactory(code="EX-0001", title_en="Exercise Steadfast", needs_council_decision=True)


@pytest.fixture
def exempt_item(db):
    return CatalogueItemFactory(
        code="ED-0001",
        title_en="Course open to all partners",
        needs_council_decision=False,
        exemption_reason_en="Courses open to every partner nation",
    )


@pytest.fixture
def draft(partner, council_item, exempt_item) -> WorkProgramme:
    """A draft 2027 programme with one activity that needs a council decision and one exempt."""
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    ProgrammeActivityFactory(
        programme=programme,
        catalogue_item=council_item,
        title_en="Steadfast 2027",
        objective=Objective.SUPPORT_FOR_OPERATIONS,
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 12),
    )
    ProgrammeActivityFactory(
        programme=programme,
        catalogue_item=exempt_item,
        title_en="Course 2027",
        objective=Objective.COMMON_UNDERSTANDING,
        start_date=datetime.date(2027, 5, 3),
        end_date=datetime.date(2027, 5, 7),
    )
    return programme


def agreed_programme(partner, *, year: int = 2025, **fields) -> WorkProgramme:
    return WorkProgrammeFactory(
        partner=partner,
        year=year,
        status=WorkProgramme.Status.AGREED,
        agreed_on=datetime.date(year - 1, 12, 1),
        agreement_reference=f"ITCP/{year}/JP",
        **fields,
    )


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """These tests are about programmes, not signing in: administrators are not asked for a one-time code."""
    settings.OTP_REQUIRED_ROLES = ()
