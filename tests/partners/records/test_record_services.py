"""Keeping a partner's record current: services check the desk, validate, attribute and record history."""

import datetime
from decimal import Decimal

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from operations.models import Contribution
from operations.services import contribution_create, contribution_update
from partners.models import DialogueMeeting, LiaisonArrangement, Milestone, Partner, PartnerAreaChange
from partners.services import (
    dialogue_meeting_create,
    liaison_arrangement_create,
    liaison_arrangement_update,
    milestone_create,
    milestone_update,
    partner_cooperation_update,
)
from tests.factories import CooperationAreaFactory, MilestoneFactory, OperationFactory


def _last_event(model, pk):
    return (
        pghistory.models.MiddlewareEvents.objects.tracks(model.objects.get(pk=pk))
        .order_by("-pgh_created_at", "-pgh_id")
        .first()
    )


def test_officer_of_the_desk_adds_a_milestone_attributed_to_them(officer, partner) -> None:
    milestone = milestone_create(
        actor=officer,
        partner=partner,
        date=datetime.date(2006, 11, 29),
        date_precision=Milestone.Precision.DAY,
        kind=Milestone.Kind.SUMMIT,
        title_en="Riga Summit",
        title_fr="Sommet de Riga",
    )

    assert milestone.created_by == officer and milestone.updated_by == officer
    event = _last_event(Milestone, milestone.pk)
    assert event.pgh_label == "insert"
    # The service sets the history context itself: API and command writes are attributed too.
    assert event.user_id == officer.pk


def test_update_records_what_changed_and_who_changed_it(officer, administrator, partner) -> None:
    milestone = MilestoneFactory(partner=partner, title_en="Dialogue begins")

    milestone_update(actor=administrator, milestone=milestone, title_en="Political dialogue begins")

    milestone.refresh_from_db()
    assert milestone.updated_by == administrator
    event = _last_event(Milestone, milestone.pk)
    assert event.pgh_label == "update"
    assert event.user_id == administrator.pk
    assert event.pgh_diff["title_en"] == ["Dialogue begins", "Political dialogue begins"]


def test_officer_of_another_desk_cannot_add_or_change_records(other_officer, partner) -> None:
    with pytest.raises(PermissionDenied):
        milestone_create(
            actor=other_officer,
            partner=partner,
            date=datetime.date(2008, 4, 3),
            kind=Milestone.Kind.SUMMIT,
            title_en="Bucharest Summit",
        )
    milestone = MilestoneFactory(partner=partner)
    with pytest.raises(PermissionDenied):
        milestone_update(actor=other_officer, milestone=milestone, title_en="Changed")
    milestone.refresh_from_db()
    assert milestone.title_en != "Changed"


def test_viewer_cannot_change_records(viewer, partner) -> None:
    with pytest.raises(PermissionDenied):
        partner_cooperation_update(
            actor=viewer, partner=partner, engagement_level=Partner.EngagementLevel.CONTRIBUTOR, areas=[]
        )


def test_liaison_dates_out_of_order_are_refused_with_the_field(officer, partner) -> None:
    with pytest.raises(ValidationError) as caught:
        liaison_arrangement_create(
            actor=officer,
            partner=partner,
            post=LiaisonArrangement.Post.ICC,
            officers=2,
            start_date=datetime.date(2008, 1, 1),
            end_date=datetime.date(2007, 1, 1),
        )
    assert "liaison_dates_in_order" in str(caught.value) or "end" in str(caught.value).lower()
    assert not LiaisonArrangement.objects.exists()


def test_ending_a_liaison_arrangement(officer, partner) -> None:
    arrangement = liaison_arrangement_create(
        actor=officer,
        partner=partner,
        post=LiaisonArrangement.Post.SHAPE,
        officers=1,
        start_date=datetime.date(2007, 1, 1),
    )
    liaison_arrangement_update(actor=officer, arrangement=arrangement, end_date=datetime.date(2010, 6, 30))
    arrangement.refresh_from_db()
    assert arrangement.end_date == datetime.date(2010, 6, 30)


def test_dialogue_meeting_is_recorded(officer, partner) -> None:
    meeting = dialogue_meeting_create(
        actor=officer,
        partner=partner,
        date=datetime.date(2010, 5, 4),
        kind=DialogueMeeting.Kind.NAC_MINISTERS,
        title_en="NAC with the Foreign Minister",
    )
    assert meeting.partner == partner and meeting.created_by == officer


def test_contribution_time_series_entry_with_money_needs_a_currency(officer, partner) -> None:
    isaf = OperationFactory(code="isaf")
    with pytest.raises(ValidationError):
        contribution_create(
            actor=officer,
            partner=partner,
            operation=isaf,
            kind=Contribution.Kind.TRUST_FUND,
            period_start=datetime.date(2010, 1, 1),
            amount=Decimal("32000000"),
            currency="",
        )
    contribution = contribution_create(
        actor=officer,
        partner=partner,
        operation=isaf,
        kind=Contribution.Kind.TRUST_FUND,
        period_start=datetime.date(2010, 1, 1),
        amount=Decimal("32000000"),
        currency="eur",
    )
    assert contribution.currency == "EUR"
    contribution_update(actor=officer, contribution=contribution, personnel=None, amount=Decimal("33000000"))
    contribution.refresh_from_db()
    assert contribution.amount == Decimal("33000000") and contribution.updated_by == officer


def test_choosing_and_dropping_areas_is_written_down(officer, partner) -> None:
    kept, dropped, chosen = CooperationAreaFactory(), CooperationAreaFactory(), CooperationAreaFactory()
    partner.areas.add(kept, dropped)

    partner_cooperation_update(
        actor=officer,
        partner=partner,
        engagement_level=Partner.EngagementLevel.CONTRIBUTOR,
        areas=[kept, chosen],
    )

    partner.refresh_from_db()
    assert set(partner.areas.all()) == {kept, chosen}
    assert partner.engagement_level == Partner.EngagementLevel.CONTRIBUTOR
    assert partner.updated_by == officer
    changes = {(c.area_id, c.chosen, c.actor_id) for c in PartnerAreaChange.objects.all()}
    assert changes == {(chosen.pk, True, officer.pk), (dropped.pk, False, officer.pk)}


def test_an_unknown_engagement_level_is_refused(officer, partner) -> None:
    with pytest.raises(ValidationError):
        partner_cooperation_update(actor=officer, partner=partner, engagement_level="allied", areas=[])


def test_contribution_form_accepts_a_currency_in_small_letters_and_the_model_stores_it_in_capitals(
    partner,
) -> None:
    """The rule lives in Contribution.clean, so the page's form (and the API, which runs the same form)
    accept "eur" and a code that is not three letters is refused by the same constraint as before."""
    from operations.forms import ContributionForm

    isaf = OperationFactory(code="isaf")
    data = {
        "operation": isaf.pk,
        "kind": Contribution.Kind.TRUST_FUND,
        "period_start": "2010-01-01",
        "amount": "1000",
        "currency": "eur",
    }
    form = ContributionForm(data=data, instance=Contribution(partner=partner))
    assert form.is_valid(), form.errors
    assert form.instance.currency == "EUR"
    refused = ContributionForm(data={**data, "currency": "eu"}, instance=Contribution(partner=partner))
    assert not refused.is_valid()
