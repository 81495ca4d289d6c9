"""Building and running annual programmes through their services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.notifications.models import Event
from tests.factories import (
    CatalogueItemFactory,
    ProgrammeActivityFactory,
    WorkProgrammeFactory,
)
from workprogrammes.programmes import activity_services, services, start_services, workflow_services
from workprogrammes.programmes.models import (
    Objective,
    ProgrammeActivity,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
)
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.workflow import TransitionNotAllowed

from .conftest import agreed_programme

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
A = ProgrammeActivity.Status
P = WorkProgramme.Status


# --- Starting -----------------------------------------------------------------------------------


# Case texts long enough for an inclusion request (at least 20 characters each).
JUSTIFICATION = "Builds interoperability with partner forces."
BENEFIT = "Shared lessons from deployments; training places."


def test_officer_starts_an_empty_draft(officer, partner) -> None:
    programme = start_services.programme_create(
        actor=officer, partner=partner, year=2027, objectives_en="Interoperability"
    )

    assert programme.status == P.DRAFT and programme.created_by == officer
    assert not programme.activities.exists()
    assert ProgrammeStatusChange.objects.filter(programme=programme).count() == 1


def test_a_second_programme_for_the_same_year_is_refused_on_the_year(officer, partner) -> None:
    start_services.programme_create(actor=officer, partner=partner, year=2027)
    with pytest.raises(ValidationError) as caught:
        start_services.programme_create(actor=officer, partner=partner, year=2027)
    assert "year" in caught.value.message_dict


def test_copy_from_last_year_shifts_dates_and_resets_statuses(officer, partner) -> None:
    last = agreed_programme(partner, year=2026, objectives_en="Support for operations first")
    held = ProgrammeActivityFactory(
        programme=last,
        title_en="Staff talks",
        start_date=datetime.date(2026, 2, 28),
        end_date=datetime.date(2026, 3, 2),
        status=A.REPORTED,
        place="Brussels",
        lead="IS",
    )
    ProgrammeActivityFactory(programme=last, title_en="Cancelled one", status=A.CANCELLED)
    retired = ProgrammeActivityFactory(programme=last, title_en="Retired course")
    retired.catalogue_item.deactivated_on = datetime.date(2026, 6, 1)
    retired.catalogue_item.save(update_fields=["deactivated_on"])

    programme = start_services.programme_copy_from_previous(actor=officer, partner=partner, year=2027)

    assert programme.status == P.DRAFT and programme.copied_from == last
    assert programme.objectives_en == "Support for operations first"
    assert programme.agreed_on is None and programme.agreement_reference == ""
    copies = list(programme.activities.all())
    assert [a.title_en for a in copies] == ["Staff talks"]
    copy = copies[0]
    assert (copy.start_date, copy.end_date) == (datetime.date(2027, 2, 28), datetime.date(2027, 3, 2))
    assert copy.status == A.PLANNED
    assert (copy.place, copy.lead, copy.catalogue_item_id) == ("Brussels", "IS", held.catalogue_item_id)
    # The source is untouched, and the timeline says what was left behind and why.
    held.refresh_from_db()
    assert held.status == A.REPORTED and held.start_date.year == 2026
    note = ProgrammeStatusChange.objects.get(programme=programme).reason
    assert "Retired course" in note


def test_copy_shifts_29_february_to_28_february() -> None:
    assert start_services.shift_one_year(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_copy_needs_last_years_programme(officer, partner) -> None:
    with pytest.raises(ValidationError):
        start_services.programme_copy_from_previous(actor=officer, partner=partner, year=2027)


def test_officer_of_another_desk_cannot_start_or_change_a_programme(other_officer, partner, draft) -> None:
    with pytest.raises(PermissionDenied):
        start_services.programme_create(actor=other_officer, partner=partner, year=2030)
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=other_officer, programme=draft, objectives_en="Changed")
    with pytest.raises(PermissionDenied):
        workflow_services.programme_propose(
            actor=other_officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
        )
    draft.refresh_from_db()
    assert draft.status == P.DRAFT


def test_viewer_cannot_start_a_programme(viewer, partner) -> None:
    with pytest.raises(PermissionDenied):
        start_services.programme_create(actor=viewer, partner=partner, year=2030)


# --- Building -----------------------------------------------------------------------------------


def test_officer_adds_an_activity_from_the_catalogue(officer, partner, council_item) -> None:
    programme = start_services.programme_create(actor=officer, partner=partner, year=2027)

    activity = activity_services.programme_activity_add(
        actor=officer,
        programme=programme,
        catalogue_item=council_item,
        title_en="",
        objective=Objective.SECURITY_COOPERATION,
        start_date=datetime.date(2027, 4, 5),
        end_date=datetime.date(2027, 4, 9),
        place="Oberammergau",
        lead="NATO School",
    )

    assert activity.title_en == "Exercise Steadfast"  # the catalogue's title when none is typed
    assert activity.marking == programme.marking


def test_a_deactivated_catalogue_item_cannot_be_picked(officer, partner) -> None:
    programme = start_services.programme_create(actor=officer, partner=partner, year=2027)
    old = CatalogueItemFactory(deactivated_on=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as caught:
        activity_services.programme_activity_add(
            actor=officer,
            programme=programme,
            catalogue_item=old,
            title_en="Old course",
            objective=Objective.SECURITY_COOPERATION,
            start_date=datetime.date(2027, 4, 5),
            end_date=datetime.date(2027, 4, 9),
        )
    assert "catalogue_item" in caught.value.message_dict


def test_an_activity_outside_the_programme_year_is_refused(officer, partner, council_item) -> None:
    programme = start_services.programme_create(actor=officer, partner=partner, year=2027)
    with pytest.raises(ValidationError) as caught:
        activity_services.programme_activity_add(
            actor=officer,
            programme=programme,
            catalogue_item=council_item,
            title_en="Too late",
            objective=Objective.SECURITY_COOPERATION,
            start_date=datetime.date(2028, 4, 5),
            end_date=datetime.date(2028, 4, 9),
        )
    assert "start_date" in caught.value.message_dict


def test_activity_marked_above_the_officers_clearance_is_refused(officer, partner, council_item) -> None:
    programme = start_services.programme_create(actor=officer, partner=partner, year=2027)
    with pytest.raises(ValidationError) as caught:
        activity_services.programme_activity_add(
            actor=officer,
            programme=programme,
            catalogue_item=council_item,
            title_en="Secret",
            objective=Objective.SECURITY_COOPERATION,
            start_date=datetime.date(2027, 4, 5),
            end_date=datetime.date(2027, 4, 9),
            marking=40,
        )
    assert "marking" in caught.value.message_dict


# --- Proposing ----------------------------------------------------------------------------------


def test_proposing_creates_exactly_the_requests_the_non_exempt_items_need(
    officer, draft, council_item
) -> None:
    ProgrammeActivityFactory(
        programme=draft,
        catalogue_item=None,
        title_en="Custom visit",
        start_date=datetime.date(2027, 6, 1),
        end_date=datetime.date(2027, 6, 2),
    )
    ProgrammeActivityFactory(
        programme=draft, catalogue_item=council_item, status=A.CANCELLED, cancellation_reason="x"
    )

    workflow_services.programme_propose(
        actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
    )

    draft.refresh_from_db()
    assert draft.status == P.PROPOSED
    requests = InclusionRequest.objects.filter(partner=draft.partner)
    # One for the item that needs the Council, one for the activity without a catalogue item (the NAC
    # decides unless the catalogue says otherwise); none for the exempt course or the cancelled one.
    assert sorted(r.programme_activity.title_en for r in requests) == ["Custom visit", "Steadfast 2027"]
    assert all(r.status == InclusionRequest.Status.DRAFT for r in requests)
    assert all(r.requested_by == officer and r.justification == JUSTIFICATION for r in requests)
    event = Event.objects.get(kind="programme.proposed")
    assert event.data["requests"] == 2
    assert ProgrammeStatusChange.objects.filter(programme=draft, to_status=P.PROPOSED).count() == 1


def test_proposing_an_all_exempt_programme_creates_no_request(officer, partner, exempt_item) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    ProgrammeActivityFactory(
        programme=programme,
        catalogue_item=exempt_item,
        start_date=datetime.date(2027, 1, 5),
        end_date=datetime.date(2027, 1, 6),
    )

    workflow_services.programme_propose(
        actor=officer, programme=programme, justification="", mutual_benefit=""
    )

    assert not InclusionRequest.objects.exists()


def test_proposing_needs_a_justification_when_requests_are_created(officer, draft) -> None:
    with pytest.raises(ValidationError) as caught:
        workflow_services.programme_propose(
            actor=officer, programme=draft, justification=" ", mutual_benefit=""
        )
    assert {"justification", "mutual_benefit"} <= set(caught.value.message_dict)
    draft.refresh_from_db()
    assert draft.status == P.DRAFT and not InclusionRequest.objects.exists()


def test_an_empty_programme_cannot_be_proposed(officer, partner) -> None:
    programme = start_services.programme_create(actor=officer, partner=partner, year=2027)
    with pytest.raises(ValidationError):
        workflow_services.programme_propose(
            actor=officer, programme=programme, justification=JUSTIFICATION, mutual_benefit=BENEFIT
        )


def test_administrator_without_the_desk_cannot_author_the_requests(administrator, draft) -> None:
    with pytest.raises(PermissionDenied):
        workflow_services.programme_propose(
            actor=administrator, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
        )
    assert not InclusionRequest.objects.exists()


def test_a_proposed_programme_cannot_be_proposed_again_or_edited(officer, draft) -> None:
    workflow_services.programme_propose(
        actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
    )
    with pytest.raises(TransitionNotAllowed):
        workflow_services.programme_propose(
            actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
        )
    with pytest.raises(TransitionNotAllowed):
        services.programme_update(actor=officer, programme=draft, objectives_en="Changed", reason="Because")
    assert InclusionRequest.objects.count() == 1


# --- Agreement and the rest of the lifecycle ----------------------------------------------------


def test_agreement_records_date_and_reference_then_activate_and_close(officer, draft) -> None:
    workflow_services.programme_propose(
        actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
    )
    with pytest.raises(ValidationError) as caught:
        workflow_services.programme_agree(
            actor=officer, programme=draft, agreed_on=YESTERDAY, agreement_reference=""
        )
    assert "agreement_reference" in caught.value.message_dict

    workflow_services.programme_agree(
        actor=officer, programme=draft, agreed_on=YESTERDAY, agreement_reference="ITCP/2027/JP"
    )
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_on, draft.agreement_reference) == (P.AGREED, YESTERDAY, "ITCP/2027/JP")
    workflow_services.programme_activate(actor=officer, programme=draft)
    workflow_services.programme_close(actor=officer, programme=draft, reason="Year over")

    draft.refresh_from_db()
    assert draft.status == P.CLOSED
    steps = list(
        ProgrammeStatusChange.objects.filter(programme=draft, activity__isnull=True)
        .exclude(from_status=P.DRAFT, to_status=P.DRAFT)
        .values_list("to_status", flat=True)
    )
    assert steps == [P.PROPOSED, P.AGREED, P.ACTIVE, P.CLOSED]
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"programme.proposed", "programme.agreed", "programme.activated", "programme.closed"} <= kinds


def test_steps_out_of_order_are_refused(officer, draft) -> None:
    with pytest.raises(TransitionNotAllowed):
        workflow_services.programme_activate(actor=officer, programme=draft)
    with pytest.raises(TransitionNotAllowed):
        workflow_services.programme_close(actor=officer, programme=draft)


def test_desk_officers_and_head_are_notified_of_the_agreement(
    officer, draft, django_capture_on_commit_callbacks
) -> None:
    from portal.accounts.models import Role
    from portal.notifications.models import Notification
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", roles=[Role.OFFICER])
    head = UserFactory(username="head", roles=[Role.VIEWER])
    desk = officer.desks.get()
    desk.members.add(colleague)
    desk.head = head
    desk.save(update_fields=["head"])
    workflow_services.programme_propose(
        actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
    )

    with django_capture_on_commit_callbacks(execute=True):
        workflow_services.programme_agree(
            actor=officer, programme=draft, agreed_on=YESTERDAY, agreement_reference="R-1"
        )

    told = set(
        Notification.objects.filter(event__kind="programme.agreed").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"colleague", "head"}  # never the actor


# --- Amendments ---------------------------------------------------------------------------------


def test_an_agreed_programme_changes_only_by_amendment_keeping_the_old_version(officer, partner) -> None:
    programme = agreed_programme(partner, year=2027, objectives_en="Old objectives")
    activity = ProgrammeActivityFactory(
        programme=programme,
        title_en="Staff talks",
        place="Brussels",
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
    )

    with pytest.raises(ValidationError) as caught:
        activity_services.programme_activity_update(actor=officer, activity=activity, place="Mons")
    assert "reason" in caught.value.message_dict
    activity.refresh_from_db()
    assert activity.place == "Brussels"

    activity_services.programme_activity_update(
        actor=officer, activity=activity, place="Mons", reason="Venue moved to SHAPE"
    )
    services.programme_update(
        actor=officer, programme=programme, objectives_en="New objectives", reason="Refocus"
    )

    first, second = ProgrammeAmendment.objects.filter(programme=programme).order_by("number")
    assert (first.number, first.reason, first.amended_by) == (1, "Venue moved to SHAPE", officer)
    assert first.previous["activities"][str(activity.pk)]["place"] == "Brussels"
    assert first.amended["activities"][str(activity.pk)]["place"] == "Mons"
    assert second.previous["programme"]["objectives_en"] == "Old objectives"
    assert second.amended["programme"]["objectives_en"] == "New objectives"
    assert Event.objects.filter(kind="programme.amended").count() == 2


def test_adding_a_council_activity_by_amendment_creates_its_request(officer, partner, council_item) -> None:
    programme = agreed_programme(partner, year=2027)

    activity = activity_services.programme_activity_add(
        actor=officer,
        programme=programme,
        catalogue_item=council_item,
        title_en="Added exercise",
        objective=Objective.SUPPORT_FOR_OPERATIONS,
        start_date=datetime.date(2027, 9, 1),
        end_date=datetime.date(2027, 9, 5),
        reason="Partner asked to join",
        justification="Operational relevance.",
        mutual_benefit="Reciprocal training.",
    )

    assert InclusionRequest.objects.get().programme_activity == activity
    amendment = ProgrammeAmendment.objects.get()
    assert str(activity.pk) not in amendment.previous["activities"]
    assert str(activity.pk) in amendment.amended["activities"]


def test_activities_of_an_agreed_programme_are_cancelled_not_removed(officer, partner) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    with pytest.raises(TransitionNotAllowed):
        activity_services.programme_activity_remove(actor=officer, activity=activity)
    assert ProgrammeActivity.objects.filter(pk=activity.pk).exists()


def test_a_draft_activity_is_removed(officer, draft) -> None:
    activity = draft.activities.first()
    activity_services.programme_activity_remove(actor=officer, activity=activity)
    assert not ProgrammeActivity.objects.filter(pk=activity.pk).exists()


# --- Running activities -------------------------------------------------------------------------


def test_activity_runs_planned_confirmed_held_reported_with_its_outcome(officer, partner) -> None:
    programme = agreed_programme(partner, year=2025)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 5)
    )

    with pytest.raises(TransitionNotAllowed):
        activity_services.activity_mark_held(actor=officer, activity=activity)  # not yet confirmed
    activity_services.activity_confirm(actor=officer, activity=activity)
    with pytest.raises(TransitionNotAllowed):
        activity_services.activity_outcome_record(actor=officer, activity=activity, participants=12, rating=4)
    activity_services.activity_mark_held(actor=officer, activity=activity, today=datetime.date(2025, 3, 6))
    with pytest.raises(ValidationError):
        activity_services.activity_outcome_record(actor=officer, activity=activity, participants=12, rating=6)

    outcome = activity_services.activity_outcome_record(
        actor=officer,
        activity=activity,
        participants=12,
        rating=4,
        lessons="Interpreters needed earlier.",
        follow_up="Invite to the 2026 iteration.",
    )

    activity.refresh_from_db()
    assert activity.status == A.REPORTED
    assert (outcome.participants, outcome.rating, outcome.recorded_by) == (12, 4, officer)
    assert activity.outcome.lessons == "Interpreters needed earlier."
    steps = list(ProgrammeStatusChange.objects.filter(activity=activity).values_list("to_status", flat=True))
    assert steps == [A.CONFIRMED, A.HELD, A.REPORTED]


def test_an_activity_is_not_held_before_it_starts(officer, partner) -> None:
    programme = agreed_programme(partner, year=2025)
    activity = ProgrammeActivityFactory(
        programme=programme,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 5),
        status=A.CONFIRMED,
    )
    with pytest.raises(ValidationError):
        activity_services.activity_mark_held(
            actor=officer, activity=activity, today=datetime.date(2025, 2, 1)
        )


def test_cancelling_needs_a_reason(officer, partner) -> None:
    programme = agreed_programme(partner, year=2025)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 5)
    )
    with pytest.raises(ValidationError):
        activity_services.activity_cancel(actor=officer, activity=activity, reason="")

    activity_services.activity_cancel(actor=officer, activity=activity, reason="The partner withdrew")

    activity.refresh_from_db()
    assert (activity.status, activity.cancellation_reason) == (A.CANCELLED, "The partner withdrew")


def test_activities_of_a_draft_are_not_run(officer, draft) -> None:
    with pytest.raises(TransitionNotAllowed):
        activity_services.activity_confirm(actor=officer, activity=draft.activities.first())


def test_officer_of_another_desk_cannot_run_activities(other_officer, partner) -> None:
    programme = agreed_programme(partner, year=2025)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 5)
    )
    with pytest.raises(PermissionDenied):
        activity_services.activity_confirm(actor=other_officer, activity=activity)
