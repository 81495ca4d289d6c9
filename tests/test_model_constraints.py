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
    UserFactory,
    WorkProgrammeFactory,
)
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CommentFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
    StatusChangeFactory,
)
from workprogrammes.catalogue.models import CatalogueImport, CatalogueItem
from workprogrammes.council.models import CouncilDecision
from workprogrammes.programmes.models import (
    ActivityOutcome,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
)
from workprogrammes.requests.discussion_models import Attachment
from workprogrammes.requests.models import RequestRevision

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


def _revision(number: int = 1, request: Any = None) -> RequestRevision:
    request = request or InclusionRequestFactory()
    return RequestRevision.objects.create(
        request=request, number=number, snapshot={}, created_by=request.requested_by
    )


def _duplicate_revision() -> None:
    first = _revision()
    _revision(request=first.request)


def _attachment(**fields: Any) -> Attachment:
    request = InclusionRequestFactory()
    values = {
        "request": request,
        "file": "private/requests/1/f.pdf",
        "original_name": "brief.pdf",
        "content_type": "application/pdf",
        "size": 100,
        "sha256": "0" * 64,
        "uploaded_by": request.requested_by,
    }
    return Attachment.objects.create(**(values | fields))


def _decision(**fields: Any) -> CouncilDecision:
    values = {
        "request": InclusionRequestFactory(status="awaiting_council"),
        "outcome": "approved",
        "is_final": True,
    }
    return CouncilDecision.objects.create(**(values | fields))


def _same_request_twice_on_one_agenda() -> None:
    # Both items closed, so only the one-row-per-meeting-and-request rule applies.
    first = AgendaItemFactory(status="decided")
    AgendaItemFactory(meeting=first.meeting, request=first.request, status="withdrawn")


def _request_on_two_open_agendas() -> None:
    first = AgendaItemFactory()
    AgendaItemFactory(request=first.request)


def _programme_status_change(**fields: Any) -> ProgrammeStatusChange:
    values = {"programme": WorkProgrammeFactory(), "from_status": "draft", "to_status": "proposed"}
    return ProgrammeStatusChange.objects.create(**(values | fields))


def _amendment(**fields: Any) -> ProgrammeAmendment:
    programme = fields.pop("programme", None) or WorkProgrammeFactory()
    values = {"number": 1, "reason": "Dates moved", "previous": {}, "amended": {}}
    return ProgrammeAmendment.objects.create(
        programme=programme, amended_by=UserFactory(), **(values | fields)
    )


def _duplicate_amendment() -> None:
    _amendment(programme=_amendment().programme)


def _catalogue_import(**fields: Any) -> CatalogueImport:
    values = {
        "file_name": "menu.xlsx",
        "sha256": "0" * 64,
        "uploaded_by": InclusionRequestFactory().requested_by,
    }
    return CatalogueImport.objects.create(**(values | fields))


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
    # workprogrammes: programme lifecycle records
    ("programme_status_change_statuses_valid", lambda: _programme_status_change(to_status="lost")),
    (
        "programme_status_change_statuses_valid",
        lambda: _programme_status_change(activity=ProgrammeActivityFactory(), to_status="agreed"),
    ),
    ("one_amendment_per_number", _duplicate_amendment),
    ("amendment_number_positive", lambda: _amendment(number=0)),
    ("amendment_has_reason", lambda: _amendment(reason=" ")),
    (
        "outcome_rating_1_to_5",
        lambda: ActivityOutcome.objects.create(
            activity=ProgrammeActivityFactory(status="held"),
            participants=10,
            rating=6,
            recorded_by=UserFactory(),
        ),
    ),
    ("catalogue_import_status_valid", lambda: _catalogue_import(status="lost")),
    ("catalogue_import_sha256_hex", lambda: _catalogue_import(sha256="not-a-digest")),
    ("catalogue_import_applied_has_time", lambda: _catalogue_import(status="applied", applied_at=None)),
    # workprogrammes: inclusion requests and their records
    ("request_status_valid", lambda: InclusionRequestFactory(status="lost")),
    ("request_names_one_activity", lambda: InclusionRequestFactory(catalogue_item=None)),
    (
        "request_names_one_activity",
        lambda: InclusionRequestFactory(programme_activity=ProgrammeActivityFactory()),
    ),
    (
        "request_dates_in_order",
        lambda: InclusionRequestFactory(start_date=D(2027, 3, 12), end_date=D(2027, 3, 1)),
    ),
    ("request_states_mutual_benefit", lambda: InclusionRequestFactory(mutual_benefit="  ")),
    ("request_is_justified", lambda: InclusionRequestFactory(justification="")),
    ("request_revision_positive", lambda: InclusionRequestFactory(revision=0)),
    ("request_submitted_has_time", lambda: InclusionRequestFactory(status="submitted", submitted_at=None)),
    (
        "request_submitted_knows_council_need",
        lambda: InclusionRequestFactory(status="submitted", needs_council_decision=None),
    ),
    ("one_revision_per_number", _duplicate_revision),
    ("revision_number_positive", lambda: _revision(number=0)),
    ("status_change_statuses_valid", lambda: StatusChangeFactory(to_status="lost")),
    ("comment_visibility_valid", lambda: CommentFactory(visibility="everyone")),
    ("comment_not_blank", lambda: CommentFactory(body=" ")),
    ("attachment_sha256_hex", lambda: _attachment(sha256="not-a-digest")),
    ("council_meeting_kind_valid", lambda: CouncilMeetingFactory(kind="banquet")),
    ("council_meeting_status_valid", lambda: CouncilMeetingFactory(status="lost")),
    ("request_once_per_agenda", _same_request_twice_on_one_agenda),
    ("request_on_one_open_agenda", _request_on_two_open_agendas),
    ("agenda_item_status_valid", lambda: AgendaItemFactory(status="lost")),
    ("agenda_item_position_positive", lambda: AgendaItemFactory(position=0)),
    ("agenda_silence_has_deadline", lambda: AgendaItemFactory(status="under_silence", silence_deadline=None)),
    (
        "agenda_silence_break_names_delegation",
        lambda: AgendaItemFactory(
            status="silence_broken",
            silence_deadline=datetime.datetime(2027, 1, 20, 12, tzinfo=datetime.UTC),
            silence_broken_at=datetime.datetime(2027, 1, 19, 12, tzinfo=datetime.UTC),
            silence_broken_by="",
        ),
    ),
    ("one_final_decision_per_request", lambda: _decision(request=_decision().request)),
    ("council_decision_outcome_valid", lambda: _decision(outcome="maybe")),
    ("council_decision_final_unless_deferred", lambda: _decision(outcome="approved", is_final=False)),
    ("council_decision_final_unless_deferred", lambda: _decision(outcome="deferred", is_final=True)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("constraint", "write"), BAD_ROWS, ids=[f"{name}-{i}" for i, (name, _w) in enumerate(BAD_ROWS)]
)
def test_database_refuses_the_bad_row(constraint: str, write: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    assert constraint in str(error.value)


def test_every_constraint_of_the_domain_apps_has_a_bad_row_above() -> None:
    """A new constraint gets a row in BAD_ROWS, so that it is proven to refuse what it should."""
    from django.apps import apps

    tested = {name for name, _write in BAD_ROWS}
    untested = [
        f"{model._meta.label}: {constraint.name}"
        for label in ("partners", "operations", "workprogrammes")
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
        if constraint.name not in tested
    ]
    assert untested == []


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
