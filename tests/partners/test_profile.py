"""The partner profile: key facts, areas, timeline, dialogue, liaison, contributions, programmes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.models import Contribution
from partners.models import Milestone
from portal.accounts.models import Role
from portal.core.models import Marking
from tests.factories import (
    ContributionFactory,
    CooperationAreaFactory,
    DialogueMeetingFactory,
    FundingContributionFactory,
    LiaisonArrangementFactory,
    MilestoneFactory,
    OperationFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    UserFactory,
    WorkProgrammeFactory,
)
from workprogrammes.programmes.models import ProgrammeActivity, WorkProgramme


def profile_url(partner) -> str:
    return reverse("partners:profile", args=[partner.iso_code])


@pytest.fixture
def japan(db):
    partner = PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon", dialogue_since=1990)
    MilestoneFactory(
        partner=partner,
        date=datetime.date(1990, 1, 1),
        date_precision=Milestone.Precision.YEAR,
        kind=Milestone.Kind.DIALOGUE,
        title_en="Political dialogue with Japan begins",
    )
    return partner


def test_profile_shows_japans_dialogue_since_1990(viewer_client: Client, japan) -> None:
    response = viewer_client.get(profile_url(japan))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>Political dialogue since</dt>\n    <dd>1990</dd>" in html
    # A milestone known only to the year is shown as the year.
    assert '<time class="portal-timeline__date" datetime="1990">1990</time>' in html
    assert "Political dialogue with Japan begins" in html


def test_profile_address_is_case_insensitive(viewer_client: Client, japan) -> None:
    assert viewer_client.get("/partners/jp/").status_code == 200


def test_unknown_or_retired_partner_is_not_found(viewer_client: Client, japan) -> None:
    assert viewer_client.get("/partners/ZZ/").status_code == 404
    japan.retire()
    assert viewer_client.get(profile_url(japan)).status_code == 404


def test_profile_lists_the_chosen_areas(viewer_client: Client, japan) -> None:
    japan.areas.add(CooperationAreaFactory(name_en="Information exchange"))

    assert "Information exchange" in viewer_client.get(profile_url(japan)).content.decode()


def test_timeline_merges_alliance_wide_milestones_in_date_order(viewer_client: Client, japan) -> None:
    MilestoneFactory(
        partner=None, date=datetime.date(2006, 11, 29), title_en="Riga Summit", kind=Milestone.Kind.SUMMIT
    )
    MilestoneFactory(
        partner=None,
        date=datetime.date(1998, 1, 1),
        date_precision=Milestone.Precision.YEAR,
        title_en="General guidelines on relations with Contact Countries",
        kind=Milestone.Kind.POLICY,
    )
    MilestoneFactory(partner=PartnerFactory(), title_en="Another partner's milestone")

    html = viewer_client.get(profile_url(japan)).content.decode()

    positions = [
        html.index("Political dialogue with Japan begins"),
        html.index("General guidelines on relations with Contact Countries"),
        html.index("Riga Summit"),
    ]
    assert positions == sorted(positions)
    assert "Another partner&#x27;s milestone" not in html
    assert "Alliance-wide" in html


def test_dialogue_and_liaison_sections(viewer_client: Client, japan) -> None:
    DialogueMeetingFactory(partner=japan, title_en="NAC with Japan's foreign minister")
    isaf = OperationFactory(code="isaf", acronym_en="ISAF")
    LiaisonArrangementFactory(partner=japan, operation=isaf, officers=2)

    html = viewer_client.get(profile_url(japan)).content.decode()

    assert "NAC with Japan&#x27;s foreign minister" in html
    assert '<a href="/operations/isaf/">ISAF</a>' in html


def test_contributions_are_grouped_by_operation_over_time(viewer_client: Client, db) -> None:
    australia = PartnerFactory(iso_code="AU", name_en="Australia")
    isaf = OperationFactory(code="isaf", acronym_en="ISAF", name_en="International Security Assistance Force")
    ContributionFactory(
        partner=australia, operation=isaf, period_start=datetime.date(2007, 1, 1), personnel=500
    )
    ContributionFactory(
        partner=australia, operation=isaf, period_start=datetime.date(2011, 3, 1), personnel=1550
    )
    FundingContributionFactory(partner=australia, operation=isaf, amount=Decimal("32000000.00"))
    kfor = OperationFactory(code="kfor", acronym_en="KFOR")
    ContributionFactory(
        partner=australia, operation=kfor, personnel=12, kind=Contribution.Kind.MEDICAL_SOCIAL
    )

    html = viewer_client.get(profile_url(australia)).content.decode()

    assert 'id="contributions-isaf"' in html
    assert 'id="contributions-kfor"' in html
    assert '<td class="portal-num">1,550</td>' in html
    assert '<td class="portal-num">32,000,000 EUR</td>' in html
    # ISAF's table ends with the peak personnel over its periods.
    isaf_table = html[html.index('id="contributions-isaf"') : html.index('id="contributions-kfor"')]
    assert "Peak personnel / total funding" in isaf_table
    assert isaf_table.index(">500<") < isaf_table.index(">1,550<")


def test_a_french_profile_writes_contributions_as_french_does(viewer_client: Client, db) -> None:
    australia = PartnerFactory(iso_code="AU", name_en="Australia", name_fr="Australie")
    isaf = OperationFactory(code="isaf", acronym_en="ISAF", acronym_fr="FIAS")
    ContributionFactory(
        partner=australia,
        operation=isaf,
        period_start=datetime.date(2011, 3, 1),
        personnel=1550,
        description_en="Special forces",
        description_fr="",
    )
    FundingContributionFactory(
        partner=australia,
        operation=isaf,
        period_start=datetime.date(2012, 1, 1),
        period_end=datetime.date(2012, 12, 31),
        amount=Decimal("2500.50"),
    )
    viewer_client.cookies["django_language"] = "fr"

    html = viewer_client.get(profile_url(australia)).content.decode()

    table = html[html.index('id="contributions-isaf"') : html.index('id="programmes"')]
    assert "Contributions de l&#x27;Australie à FIAS, par période" in table
    assert '<time datetime="2011-03-01">mars 2011</time> – en cours' in table
    assert '<time datetime="2012-12-31">décembre 2012</time>' in table
    assert '<td class="portal-num">1\xa0550</td>' in table
    assert "2\xa0500,50 EUR" in table
    # The English-only description is shown in English, marked as such.
    assert (
        '<span lang="en">Special forces</span>'
        ' <span class="portal-lang-fallback" aria-hidden="true">(EN)</span>' in table
    )
    assert "Effectifs maximaux / financement total" in table


def test_programmes_by_year_with_their_activities_and_status_tags(viewer_client: Client, japan) -> None:
    WorkProgrammeFactory(partner=japan, year=2008, status=WorkProgramme.Status.CLOSED, agreed_on="2008-01-10")
    activity = ProgrammeActivityFactory(
        programme__partner=japan, programme__year=2009, title_en="Maritime security course"
    )
    activity.status = ProgrammeActivity.Status.HELD
    activity.save(update_fields=["status"])

    html = viewer_client.get(profile_url(japan)).content.decode()

    assert html.index("2009 – ") < html.index("2008 – ")
    assert "Maritime security course" in html
    assert 'class="usa-tag portal-status portal-status--held" data-status="held">Held</span>' in html
    assert 'portal-status--closed" data-status="closed">Closed</span>' in html


def test_programmes_above_the_users_clearance_are_left_out(viewer_client: Client, japan) -> None:
    WorkProgrammeFactory(partner=japan, year=2010, marking=Marking.NATO_SECRET, objectives_en="Secret plans")
    ProgrammeActivityFactory(
        programme__partner=japan,
        programme__year=2011,
        marking=Marking.NATO_RESTRICTED,
        title_en="Restricted talk",
    )

    html = viewer_client.get(profile_url(japan)).content.decode()

    assert "2010 – " not in html
    assert "2011 – " in html
    assert "Restricted talk" not in html


def test_user_without_a_role_is_denied(japan) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody"))

    assert client.get(profile_url(japan)).status_code == 403


def test_every_role_may_browse(japan) -> None:
    for role in Role.values:
        client = Client()
        client.force_login(UserFactory(username=f"as-{role}", roles=[role]))
        assert client.get(profile_url(japan)).status_code == 200, role


def _add_related_rows(partner, count: int) -> None:
    operations = [OperationFactory() for _ in range(max(1, count // 10))]
    for number in range(count):
        MilestoneFactory(partner=partner, date=datetime.date(1990 + number % 30, 1, 1))
        MilestoneFactory(partner=None)
        DialogueMeetingFactory(partner=partner)
        LiaisonArrangementFactory(partner=partner, operation=operations[number % len(operations)])
        ContributionFactory(partner=partner, operation=operations[number % len(operations)])
        partner.areas.add(CooperationAreaFactory())
        ProgrammeActivityFactory(programme__partner=partner, programme__year=2000 + number % 10)


def test_profile_query_count_does_not_grow_with_related_rows(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    small, large = PartnerFactory(), PartnerFactory()
    _add_related_rows(small, 1)
    _add_related_rows(large, 50)
    viewer_client.get(profile_url(small))  # warm the session
    with CaptureQueriesContext(connection) as one_row:
        assert viewer_client.get(profile_url(small)).status_code == 200

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = viewer_client.get(profile_url(large))
    assert response.content.decode().count('class="portal-timeline__item') >= 100
