"""`load_demo` loads every fact of the source text, with realistic volume around them, and is idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modeltranslation.translator import translator

from operations.models import Contribution, Operation
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
)
from portal.accounts.models import Role, User
from portal.demo.facts.people import DEMO_PASSWORD
from portal.demo.loader import DemoResult, demo_load
from portal.demo.requests.load import REQUESTS as DEMO_REQUESTS
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.council.models import AgendaItem, CouncilDecision, CouncilMeeting
from workprogrammes.programmes.models import ActivityOutcome, Objective, ProgrammeActivity, WorkProgramme
from workprogrammes.requests.discussion_models import Comment
from workprogrammes.requests.models import CommentVisibility, InclusionRequest, StatusChange


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoResult]:
    """Load the demo once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _partner(iso_code: str) -> Partner:
    return Partner.objects.get(iso_code=iso_code)


def test_the_six_partners_of_the_text_have_english_and_french_names(demo: DemoResult) -> None:
    names = {p.iso_code: (p.name_en, p.name_fr) for p in Partner.objects.all()}
    assert names["AU"] == ("Australia", "Australie")
    assert names["JP"] == ("Japan", "Japon")
    assert names["KR"] == ("Republic of Korea", "République de Corée")
    assert names["NZ"] == ("New Zealand", "Nouvelle-Zélande")
    assert names["AR"] == ("Argentina", "Argentine")
    assert names["CL"] == ("Chile", "Chili")


def test_todays_partners_across_the_globe_are_there_too(demo: DemoResult) -> None:
    codes = set(Partner.objects.values_list("iso_code", flat=True))
    assert {"AF", "AU", "CO", "IQ", "JP", "KR", "MN", "NZ", "PK"} <= codes
    assert 11 <= len(codes) <= 14
    contact = PartnershipFramework.objects.get(kind=PartnershipFramework.Kind.CONTACT_COUNTRIES)
    assert set(Partner.objects.values_list("framework", flat=True)) == {contact.pk}


def test_japan_political_dialogue_since_1990(demo: DemoResult) -> None:
    japan = _partner("JP")
    assert japan.dialogue_since == 1990
    milestone = Milestone.objects.get(partner=japan, kind=Milestone.Kind.DIALOGUE)
    assert (milestone.date.year, milestone.date_precision) == (1990, Milestone.Precision.YEAR)


def test_engagement_levels_follow_the_text(demo: DemoResult) -> None:
    level = dict(Partner.objects.values_list("iso_code", "engagement_level"))
    for iso_code in ("AU", "NZ", "KR", "AR", "CL"):
        assert level[iso_code] == Partner.EngagementLevel.CONTRIBUTOR
    assert level["JP"] == Partner.EngagementLevel.COOPERATING


def test_frameworks_contact_countries_and_the_formal_partnerships_in_french(demo: DemoResult) -> None:
    contact = PartnershipFramework.objects.get(kind=PartnershipFramework.Kind.CONTACT_COUNTRIES)
    assert "Contact Countries" in contact.name_en and "partners across the globe" in contact.name_en
    assert "pays de contact" in contact.name_fr.lower()
    formal = {
        f.acronym_en: (f.name_fr, f.acronym_fr)
        for f in PartnershipFramework.objects.filter(kind=PartnershipFramework.Kind.FORMAL)
    }
    assert formal == {
        "EAPC": ("Conseil de partenariat euro-atlantique", "CPEA"),
        "PfP": ("Partenariat pour la paix", "PPP"),
        "MD": ("Dialogue méditerranéen", "DM"),
        "ICI": ("Initiative de coopération d'Istanbul", "ICI"),
    }


def test_argentina_and_chile_worked_alongside_the_allies_in_bosnia(demo: DemoResult) -> None:
    for iso_code in ("AR", "CL"):
        contribution = Contribution.objects.get(
            partner__iso_code=iso_code, operation__code="sfor", kind=Contribution.Kind.TROOPS
        )
        assert contribution.operation.theatre_en == "Bosnia and Herzegovina"
        assert "Operational Commander" in contribution.command_arrangement_en
        assert "multinational divisional headquarters" in contribution.command_arrangement_en
        assert "committees" in contribution.decision_making_association_en
        assert contribution.planned_through_icc


def test_argentina_in_kfor_since_1999(demo: DemoResult) -> None:
    kfor = Contribution.objects.filter(partner__iso_code="AR", operation__code="kfor")
    assert {c.kind for c in kfor} == {
        Contribution.Kind.MEDICAL_SOCIAL,
        Contribution.Kind.PEACE_IMPLEMENTATION,
    }
    assert {c.period_start.year for c in kfor} == {1999}
    medical = kfor.get(kind=Contribution.Kind.MEDICAL_SOCIAL)
    assert "medical and social assistance" in medical.description_en
    assert Operation.objects.get(code="kfor").theatre_en == "Kosovo"


def test_australia_in_isaf_rose_from_500_to_1550_troops_and_funded_the_army_trust_fund(
    demo: DemoResult,
) -> None:
    troops = Contribution.objects.filter(
        partner__iso_code="AU", operation__code="isaf", kind=Contribution.Kind.TROOPS
    ).order_by("period_start")
    assert [(c.period_start.year, c.period_start.month, c.personnel) for c in troops] == [
        (2007, 1, 500),
        (2011, 3, 1550),
    ]
    fund = Contribution.objects.get(partner__iso_code="AU", kind=Contribution.Kind.TRUST_FUND)
    assert (fund.amount, fund.currency) == (32_000_000, "EUR")
    assert "Afghan National Army Trust Fund" in fund.description_en


def test_korea_and_new_zealand_in_isaf(demo: DemoResult) -> None:
    korea = Contribution.objects.get(partner__iso_code="KR", operation__code="isaf")
    assert korea.personnel == 426
    assert "Regional Command East" in korea.command_arrangement_en
    assert Contribution.objects.get(partner__iso_code="NZ", operation__code="isaf").personnel == 236


def test_japan_funds_development_projects_and_sends_liaison_officers_without_troops(demo: DemoResult) -> None:
    kinds = set(Contribution.objects.filter(partner__iso_code="JP").values_list("kind", flat=True))
    assert kinds == {Contribution.Kind.DEVELOPMENT_FUNDING, Contribution.Kind.LIAISON_OFFICERS}
    liaison = LiaisonArrangement.objects.get(partner__iso_code="JP")
    assert liaison.operation is not None and liaison.operation.code == "isaf"
    assert liaison.post == LiaisonArrangement.Post.OPERATIONAL_HQ


def test_contributors_plan_through_the_international_coordination_centre(demo: DemoResult) -> None:
    icc = set(
        LiaisonArrangement.objects.filter(post=LiaisonArrangement.Post.ICC).values_list(
            "partner__iso_code", flat=True
        )
    )
    assert {"AU", "NZ"} <= icc
    assert (
        "International Coordination Centre" in LiaisonArrangement.objects.filter(post="icc").first().notes_en
    )


def test_the_operations_the_text_names_and_others(demo: DemoResult) -> None:
    codes = set(Operation.objects.values_list("code", flat=True))
    assert {"isaf", "kfor", "sfor", "ifor", "amis-support"} <= codes
    assert 9 <= len(codes) <= 12
    assert Operation.objects.get(code="isaf").acronym_fr == "FIAS"
    assert "Darfur" in Operation.objects.get(code="amis-support").theatre_en


def test_the_alliance_milestones_with_their_years(demo: DemoResult) -> None:
    alliance = {m.date.year: m for m in Milestone.objects.filter(partner__isnull=True)}
    assert "guidelines" in alliance[1998].title_en.lower()
    assert alliance[1998].date_precision == Milestone.Precision.YEAR
    assert "Contact Countries" in alliance[2004].title_en
    assert alliance[2004].date_precision == Milestone.Precision.YEAR
    assert "Riga" in alliance[2006].title_en and alliance[2006].kind == Milestone.Kind.SUMMIT
    assert "operational relevance" in alliance[2006].description_en
    assert "access, in principle" in alliance[2006].description_en
    assert "Bucharest" in alliance[2008].title_en and alliance[2008].kind == Milestone.Kind.SUMMIT


def test_bucharest_names_its_three_objectives_and_the_avenues_for_dialogue(demo: DemoResult) -> None:
    bucharest = Milestone.objects.get(partner__isnull=True, date__year=2008)
    for phrase in (
        "support for operations",
        "security cooperation",
        "enhanced common understanding",
        "meetings of the North Atlantic Council with ministers",
        "high level talks",
        "meetings with ambassadors",
    ):
        assert phrase in bucharest.description_en
    for phrase in ("soutien aux opérations", "coopération en matière de sécurité", "ambassadeurs"):
        assert phrase in bucharest.description_fr
    # The same three objectives classify the programme activities, and each one has some.
    assert set(ProgrammeActivity.objects.values_list("objective", flat=True)) == set(Objective.values)


def test_dialogue_meetings_of_every_avenue_for_several_partners(demo: DemoResult) -> None:
    meetings = DialogueMeeting.objects.all()
    assert {m.kind for m in meetings} >= {
        DialogueMeeting.Kind.NAC_MINISTERS,
        DialogueMeeting.Kind.HIGH_LEVEL,
        DialogueMeeting.Kind.AMBASSADORS,
    }
    assert len({m.partner_id for m in meetings}) >= 5


def test_the_activity_kinds_of_the_text_are_areas_and_catalogue_items(demo: DemoResult) -> None:
    areas = set(CooperationArea.objects.values_list("name_en", flat=True))
    assert {
        "Joint exercises",
        "Joint operations",
        "Language training and advice",
        "Information exchange",
        "Education and training",
    } <= areas
    kinds = set(CatalogueItem.objects.values_list("kind", flat=True))
    assert {"exercise", "operation", "language", "information", "education"} <= kinds
    assert set(_partner("JP").areas.values_list("code", flat=True)) >= {"information-exchange"}


def test_the_catalogue_has_ePRIME_references_fees_and_the_certain_cases(demo: DemoResult) -> None:
    items = CatalogueItem.objects.all()
    assert 35 <= items.count() <= 50
    assert items.filter(external_reference="ACT.396", institution="NATO School Oberammergau").exists()
    assert items.filter(institution="NATO Defense College").exists()
    assert items.filter(fee_eur__gt=0).exists()
    assert items.filter(audience="NATO, PfP, MD, ICI and other nations as approved").exists()
    exempt = items.filter(needs_council_decision=False)
    assert exempt.exists() and items.filter(needs_council_decision=True).count() > exempt.count()
    assert all(item.exemption_reason_en and item.exemption_reason_fr for item in exempt)


def test_programmes_over_several_years_of_each_kind_with_a_few_hundred_activities(demo: DemoResult) -> None:
    programmes = WorkProgramme.objects.all()
    assert len(set(programmes.values_list("year", flat=True))) >= 5
    assert set(programmes.values_list("kind", flat=True)) == set(WorkProgramme.Kind.values)
    assert programmes.filter(year=2009, kind=WorkProgramme.Kind.ITCP).exists()
    assert len(set(programmes.values_list("status", flat=True))) >= 4
    assert 250 <= ProgrammeActivity.objects.count() <= 600
    assert len(set(ProgrammeActivity.objects.values_list("status", flat=True))) >= 4


def test_every_reported_activity_has_its_outcome_and_the_outcomes_report_reads_them(demo: DemoResult) -> None:
    """PRIME follows an activity to its feedback reports: each reported activity carries participants, a
    rating and (mostly) lessons and a follow-up, recorded by an officer of the partner's desk."""
    from portal.reports.registry import REPORTS

    reported = ProgrammeActivity.objects.filter(status=ProgrammeActivity.Status.REPORTED)
    assert reported.count() >= 50
    assert not reported.filter(outcome__isnull=True).exists()
    assert (
        not ProgrammeActivity.objects.exclude(status=ProgrammeActivity.Status.REPORTED)
        .filter(outcome__isnull=False)
        .exists()
    )
    outcomes = ActivityOutcome.objects.all()
    assert outcomes.exclude(lessons="").exists() and outcomes.exclude(follow_up="").exists()
    assert set(outcomes.values_list("rating", flat=True)) <= {1, 2, 3, 4, 5}
    japan = outcomes.filter(activity__programme__partner__iso_code="JP").select_related("recorded_by")
    assert {outcome.recorded_by.username for outcome in japan} == {"officer"}
    analyst = User.objects.get(username="analyst")
    rows = list(REPORTS["outcomes"].rows(user=analyst, filters={"partner": _partner("JP")}))
    assert rows and sum(row[4] for row in rows) >= japan.count()


def test_one_demo_user_per_role_with_desks(demo: DemoResult) -> None:
    users = {u.username: u for u in User.objects.all()}
    expected = {
        "viewer": Role.VIEWER,
        "officer": Role.OFFICER,
        "officer2": Role.OFFICER,
        "reviewer": Role.REVIEWER,
        "secretary": Role.COUNCIL_SECRETARY,
        "analyst": Role.ANALYST,
        "admin": Role.ADMINISTRATOR,
    }
    for username, role in expected.items():
        assert users[username].has_role(role)
        assert users[username].check_password(DEMO_PASSWORD)
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["officer"].is_staff
    japan, argentina = _partner("JP"), _partner("AR")
    assert japan.pk in users["officer"].desk_partner_ids
    assert argentina.pk not in users["officer"].desk_partner_ids
    assert argentina.pk in users["officer2"].desk_partner_ids
    assert all(desk.head_id for desk in users["officer2"].desks.all())


def test_every_bilingual_field_is_filled_in_both_languages(demo: DemoResult) -> None:
    missing = []
    for model in translator.get_registered_models(abstract=False):
        fields = translator.get_options_for_model(model).all_fields
        for row in model._default_manager.all():
            for field in fields:
                en, fr = getattr(row, f"{field}_en"), getattr(row, f"{field}_fr")
                if bool(en) != bool(fr) or (field in ("name", "title") and not (en and fr)):
                    missing.append(f"{model._meta.label} {row.pk} {field}")
    assert missing == []


def test_demo_requests_are_in_every_status_for_both_officers_desks(demo: DemoResult) -> None:
    requests = InclusionRequest.objects.all()
    assert 20 <= requests.count() <= 25
    # One request per demo entry, each found again by its partner and title.
    assert requests.count() == len(DEMO_REQUESTS) == len({spec.key for spec in DEMO_REQUESTS})
    assert set(requests.values_list("status", flat=True)) == set(InclusionRequest.Status.values)
    assert set(requests.values_list("requested_by__username", flat=True)) == {"officer", "officer2"}
    japan_cimic = requests.get(partner__iso_code="JP", catalogue_item__code="NSO-EDU-004")
    assert japan_cimic.status == InclusionRequest.Status.APPROVED
    assert "civil-military" in japan_cimic.mutual_benefit.lower() or "CIMIC" in japan_cimic.mutual_benefit
    # A return and a resubmission: the request's second revision went to the Council.
    assert requests.filter(revision=2, status=InclusionRequest.Status.APPROVED).exists()
    # The review queue has an overdue request, and the exempt closures need no Council decision.
    assert requests.filter(status="submitted", due_at__lt=timezone.now()).exists()
    assert not requests.filter(status="approved_exempt", needs_council_decision=True).exists()


def test_demo_requests_keep_the_separation_of_duties(demo: DemoResult) -> None:
    for request in InclusionRequest.objects.filter(reviewer__isnull=False):
        assert request.reviewer_id != request.requested_by_id
    changes = StatusChange.objects.select_related("request")
    assert not changes.filter(
        to_status__in=["under_review", "returned", "recommended", "not_recommended", "approved", "rejected"],
        actor=F("request__requested_by"),
    ).exists()
    assert {c.actor.username for c in changes.filter(to_status__in=["approved", "rejected", "deferred"])} == {
        "secretary"
    }
    assert not CouncilDecision.objects.filter(recorded_by=F("request__requested_by")).exists()


def test_a_meeting_held_in_the_past_decided_its_agenda(demo: DemoResult) -> None:
    today = timezone.localdate()
    held = CouncilMeeting.objects.get(status=CouncilMeeting.Status.HELD)
    assert held.date < today
    outcomes = set(CouncilDecision.objects.filter(meeting=held).values_list("outcome", flat=True))
    assert outcomes == {"approved", "rejected", "deferred"}
    assert not held.agenda_items.filter(status="scheduled").exists()


def test_the_upcoming_meeting_has_an_agenda_and_an_item_under_silence(demo: DemoResult) -> None:
    now = timezone.now()
    upcoming = CouncilMeeting.objects.get(status=CouncilMeeting.Status.PLANNED)
    assert upcoming.date > now.date()
    items = AgendaItem.objects.filter(meeting=upcoming)
    assert items.filter(status="scheduled", request__status="awaiting_council").count() >= 2
    silenced = items.get(status="under_silence")
    assert silenced.silence_deadline is not None and silenced.silence_deadline > now
    # A request deferred at the past meeting is back on this agenda; a withdrawn one left it.
    assert items.filter(request__decisions__outcome="deferred", status="scheduled").exists()
    assert items.filter(status="withdrawn", request__status="withdrawn").exists()
    # And one awaits the Council without being on any agenda yet.
    assert InclusionRequest.objects.filter(status="awaiting_council", agenda_items__isnull=True).exists()


def test_demo_requests_have_internal_and_shared_comments(demo: DemoResult) -> None:
    visibilities = set(Comment.objects.values_list("visibility", flat=True))
    assert visibilities == {CommentVisibility.INTERNAL, CommentVisibility.SHARED}
    internal_authors = set(
        Comment.objects.filter(visibility=CommentVisibility.INTERNAL).values_list(
            "author__username", flat=True
        )
    )
    assert internal_authors <= {"reviewer", "secretary"}


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_a_second_run_changes_nothing(demo: DemoResult) -> None:
    before = _counts()

    again = demo_load()

    assert sum(again.tally.created.values()) == 0
    assert sum(again.tally.updated.values()) == 0
    # The demo's requests, status changes, agendas and decisions are among them.
    assert before["workprogrammes.InclusionRequest"] > 0 and before["workprogrammes.CouncilDecision"] > 0
    # Every model, history events included: no duplicate and no update left a trace.
    assert _counts() == before


def test_the_command_prints_the_logins(demo: DemoResult) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for username in ("viewer", "officer", "officer2", "reviewer", "secretary", "analyst", "admin"):
        assert f"  {username} " in text
    assert DEMO_PASSWORD in text


def test_the_demo_history_sends_no_email_but_shows_in_notifications(demo: DemoResult) -> None:
    from portal.notifications.models import Delivery, Event, Notification

    assert Event.objects.exists()
    assert not Event.objects.filter(processed_at__isnull=True).exists()
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    assert Notification.objects.exists()
