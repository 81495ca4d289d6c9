"""Database invariants of inclusion requests and council decisions."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.factories import ProgrammeActivityFactory
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    InclusionRequestFactory,
    StatusChangeFactory,
)
from workprogrammes.council.models import CouncilDecision
from workprogrammes.requests.models import InclusionRequest, RequestRevision

pytestmark = pytest.mark.django_db


def _raw(sql: str, pk: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [pk])


def test_request_status_must_be_a_known_value() -> None:
    request = InclusionRequestFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequest.objects.filter(pk=request.pk).update(status="resubmitted")


def test_request_needs_a_statement_of_mutual_benefit() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(mutual_benefit="   ")


def test_request_names_exactly_one_kind_of_activity() -> None:
    activity = ProgrammeActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(programme_activity=activity)  # and the factory's catalogue item
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(catalogue_item=None)
    request = InclusionRequestFactory(
        programme_activity=activity, catalogue_item=None, start_date=None, end_date=None
    )
    assert request.activity_title == activity.title


def test_catalogue_request_needs_dates_in_order() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(start_date="2027-03-12", end_date="2027-03-01")


def test_submitted_request_records_its_time_and_council_need() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(status="submitted", submitted_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        InclusionRequestFactory(status="submitted", needs_council_decision=None)


def test_status_changes_refuse_sql_update_and_delete() -> None:
    change = StatusChangeFactory()
    for sql in (
        "UPDATE workprogrammes_statuschange SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM workprogrammes_statuschange WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
            _raw(sql, change.pk)
    change.refresh_from_db()
    assert change.reason == ""


def test_revisions_and_decisions_are_frozen_too() -> None:
    request = InclusionRequestFactory(status="awaiting_council")
    revision = RequestRevision.objects.create(
        request=request, number=1, snapshot={}, created_by=request.requested_by
    )
    decision = CouncilDecision.objects.create(
        request=request, outcome="approved", is_final=True, recorded_by=request.requested_by
    )
    for table, pk in (("requestrevision", revision.pk), ("councildecision", decision.pk)):
        with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
            _raw(f"UPDATE workprogrammes_{table} SET id = id WHERE id = %s", pk)  # noqa: S608


def test_one_final_decision_per_request_but_deferrals_may_repeat() -> None:
    request = InclusionRequestFactory(status="awaiting_council")
    for _ in range(2):
        CouncilDecision.objects.create(request=request, outcome="deferred", is_final=False)
    CouncilDecision.objects.create(request=request, outcome="approved", is_final=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilDecision.objects.create(request=request, outcome="rejected", is_final=True)


def test_a_deferral_is_never_final_and_an_approval_always_is() -> None:
    request = InclusionRequestFactory(status="awaiting_council")
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilDecision.objects.create(request=request, outcome="deferred", is_final=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilDecision.objects.create(request=request, outcome="approved", is_final=False)


def test_a_request_is_on_one_open_agenda_at_a_time() -> None:
    item = AgendaItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(request=item.request)
    item.status = "decided"
    item.save(update_fields=["status"])
    AgendaItemFactory(request=item.request)


def test_silence_needs_a_deadline() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(status="under_silence", silence_deadline=None)
