"""Each database constraint of the domain models refuses a bad row, even when Python checks are bypassed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from operations.models import Contribution, Operation
from partners.models import (
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)
from tests.factories import (
    CatalogueItemFactory,
    ContributionFactory,
    CooperationAreaFactory,
    DialogueMeetingFactory,
    FrameworkFactory,
    LiaisonArrangementFactory,
    MilestoneFactory,
    OperationFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    RegionFactory,
    WorkProgrammeFactory,
)
from workprogrammes.models import CatalogueItem, WorkProgramme

D = datetime.date


def _partner(**fields: Any) -> Partner:
    values = {
        "iso_code": "ZZ",
        "name_en": "Testland",
        "name_fr": "Testlande",
        "region": RegionFactory(),
        "framework": FrameworkFactory(),
    }
    return Partner.objects.create(**(values | fields))


def _operation(**fields: Any) -> Operation:
    values = {"code": "op-x", "acronym_en": "OPX", "name_en": "Operation X", "start_date": D(2003, 8, 11)}
    return Operation.objects.create(**(values | fields))


def _catalogue_item(**fields: Any) -> CatalogueItem:
    values = {
        "code": "CAT-X",
        "title_en": "Course",
        "title_fr": "Cours",
        "kind": "education",
        "area": CooperationAreaFactory(code="area-x"),
    }
    return CatalogueItem.objects.create(**(values | fields))


def _duplicate_programme() -> None:
    programme = WorkProgrammeFactory()
    WorkProgramme.objects.create(partner=programme.partner, year=programme.year)


def _duplicate_partner_iso() -> None:
    PartnerFactory(iso_code="JP")
    _partner(iso_code="JP")


BAD_ROWS: list[tuple[str, Callable[[], object]]] = [
    # partners
    ("partner_iso_code_format", lambda: _partner(iso_code="jp")),
    ("partner_iso_code_format", lambda: _partner(iso_code="J1")),
    ("partners_partner_iso_code", _duplicate_partner_iso),
    ("partner_dialogue_since_plausible", lambda: _partner(dialogue_since=1900)),
    ("partner_engagement_level_valid", lambda: _partner(engagement_level="ally")),
    ("partner_status_valid", lambda: _partner(status="suspended")),
    (
        "partnershipframework_code",
        lambda: [
            FrameworkFactory(),
            PartnershipFramework.objects.create(
                code="contact-countries", acronym_en="X", name_en="Duplicate", kind="formal"
            ),
        ],
    ),
    (
        "framework_kind_valid",
        lambda: PartnershipFramework.objects.create(
            code="nato-plus", acronym_en="N+", name_en="NATO+", kind="alliance"
        ),
    ),
    (
        "partners_region_code",
        lambda: [RegionFactory(code="asia"), Region.objects.create(code="asia", name_en="A")],
    ),
    ("milestone_kind_valid", lambda: MilestoneFactory(kind="rumour")),
    ("milestone_precision_valid", lambda: MilestoneFactory(date_precision="week")),
    ("dialogue_kind_valid", lambda: DialogueMeetingFactory(kind="dinner")),
    (
        "liaison_dates_in_order",
        lambda: LiaisonArrangementFactory(start_date=D(2010, 1, 1), end_date=D(2009, 1, 1)),
    ),
    ("liaison_at_least_one_officer", lambda: LiaisonArrangementFactory(officers=0)),
    ("liaison_post_valid", lambda: LiaisonArrangementFactory(post="embassy")),
    # operations
    ("operation_dates_in_order", lambda: _operation(end_date=D(2003, 1, 1))),
    ("operations_operation_code", lambda: [OperationFactory(code="isaf"), _operation(code="isaf")]),
    (
        "contribution_period_in_order",
        lambda: ContributionFactory(period_start=D(2011, 3, 1), period_end=D(2011, 2, 28)),
    ),
    (
        "contribution_amount_not_negative",
        lambda: ContributionFactory(amount=Decimal("-1.00"), currency="EUR"),
    ),
    ("contribution_amount_has_currency", lambda: ContributionFactory(amount=Decimal("1000.00"), currency="")),
    (
        "contribution_amount_has_currency",
        lambda: ContributionFactory(amount=Decimal("1000.00"), currency="eur"),
    ),
    ("contribution_kind_valid", lambda: ContributionFactory(kind="moral_support")),
    # workprogrammes: the catalogue
    (
        "catalogue_active_dates_in_order",
        lambda: _catalogue_item(active_from=D(2010, 1, 1), deactivated_on=D(2009, 12, 31)),
    ),
    ("catalogue_fee_not_negative", lambda: _catalogue_item(fee_eur=Decimal("-5.00"))),
    ("catalogue_duration_positive", lambda: _catalogue_item(duration_days=0)),
    ("catalogue_exemption_has_reason", lambda: _catalogue_item(needs_council_decision=False)),
    ("catalogue_kind_valid", lambda: _catalogue_item(kind="party")),
    ("catalogue_delivery_valid", lambda: _catalogue_item(delivery="carrier_pigeon")),
    ("workprogrammes_catalogueitem_code", lambda: [CatalogueItemFactory(code="CAT-X"), _catalogue_item()]),
    # workprogrammes: programmes and their activities
    ("one_programme_per_partner_and_year", _duplicate_programme),
    ("programme_year_plausible", lambda: WorkProgrammeFactory(year=1980)),
    ("programme_status_valid", lambda: WorkProgrammeFactory(status="approved", agreed_on=D(2008, 12, 1))),
    ("programme_kind_valid", lambda: WorkProgrammeFactory(kind="pcm")),
    ("programme_agreed_has_date", lambda: WorkProgrammeFactory(status="agreed", agreed_on=None)),
    (
        "activity_dates_in_order",
        lambda: ProgrammeActivityFactory(start_date=D(2009, 3, 6), end_date=D(2009, 3, 2)),
    ),
    ("activity_status_valid", lambda: ProgrammeActivityFactory(status="postponed")),
    ("activity_objective_valid", lambda: ProgrammeActivityFactory(objective="prestige")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("constraint", "write"), BAD_ROWS, ids=[f"{name}-{i}" for i, (name, _w) in enumerate(BAD_ROWS)]
)
def test_database_refuses_the_bad_row(constraint: str, write: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    assert constraint in str(error.value)


@pytest.mark.django_db
def test_the_good_rows_beside_them_are_accepted() -> None:
    _partner(iso_code="JP", dialogue_since=1990, engagement_level="cooperating", status="former")
    _operation(end_date=D(2014, 12, 31))
    ContributionFactory(amount=Decimal("32000000.00"), currency="EUR", period_end=D(2011, 3, 31))
    ContributionFactory(amount=None, currency="")
    _catalogue_item(
        needs_council_decision=False,
        exemption_reason_en="Open course",
        exemption_reason_fr="Cours ouvert",
        delivery="",
        fee_eur=Decimal("0.00"),
        duration_days=1,
    )
    WorkProgrammeFactory(status="agreed", agreed_on=D(2008, 12, 10))
    ProgrammeActivityFactory(start_date=D(2009, 3, 2), end_date=D(2009, 3, 2))
    LiaisonArrangementFactory(start_date=D(2009, 1, 1), end_date=D(2009, 1, 1))
    DialogueMeetingFactory(kind=DialogueMeeting.Kind.NAC_MINISTERS)
    MilestoneFactory(partner=None, date_precision=Milestone.Precision.YEAR, date=D(1998, 1, 1))
    assert Contribution.objects.count() == 2
    assert LiaisonArrangement.objects.count() == 1
