"""Free text typed in English (places, host organisations) carries an "(EN)" tag on French pages only."""

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import User
from tests.factories import DialogueMeetingFactory, PartnerFactory, ProgrammeActivityFactory

pytestmark = pytest.mark.django_db

TAGGED = (
    '<span lang="en">{}</span> <span class="portal-lang-fallback" aria-hidden="true">(EN)</span>'
    '<span class="usa-sr-only"> (en anglais\u00a0; pas de version française)</span>'
)


def _render(source: str, **context: object) -> str:
    return Template("{% load bilingual %}" + source).render(Context(context))


def _client(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_typed_text_is_tagged_in_french_and_plain_in_english() -> None:
    with translation.override("fr"):
        french = _render("{{ v|typed_text }}", v="NATO School & Co")
    with translation.override("en"):
        english = _render("{{ v|typed_text }}", v="NATO School & Co")

    assert french == TAGGED.format("NATO School &amp; Co")
    assert english == "NATO School &amp; Co"


def test_empty_typed_text_stays_empty_so_a_default_applies() -> None:
    with translation.override("fr"):
        assert _render('{{ v|typed_text|default:"–" }}', v="") == "–"
        assert _render('{{ v|typed_text|default:"–" }}', v=None) == "–"


def test_a_french_programme_page_tags_the_place_and_the_lead(viewer: User) -> None:
    activity = ProgrammeActivityFactory(place="Oberammergau", lead="NATO School")
    url = reverse("programmes:detail", args=[activity.programme.pk])

    french = _client(viewer, "fr").get(url).content.decode()
    english = _client(viewer, "en").get(url).content.decode()

    assert TAGGED.format("Oberammergau") in french
    assert TAGGED.format("NATO School") in french
    assert "<td>Oberammergau</td>" in english
    assert "<td>NATO School</td>" in english
    assert "portal-lang-fallback" not in english


def test_a_french_activity_page_tags_the_place_and_the_lead(viewer: User) -> None:
    activity = ProgrammeActivityFactory(place="Oberammergau", lead="NATO School")
    url = reverse("programmes:activity_detail", args=[activity.pk])

    french = _client(viewer, "fr").get(url).content.decode()

    assert TAGGED.format("Oberammergau") in french
    assert TAGGED.format("NATO School") in french


def test_a_french_partner_profile_tags_the_meeting_location(viewer: User) -> None:
    partner = PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    DialogueMeetingFactory(partner=partner, location="Seoul")
    url = reverse("partners:profile", args=["KR"])

    french = _client(viewer, "fr").get(url).content.decode()
    english = _client(viewer, "en").get(url).content.decode()

    assert TAGGED.format("Seoul") in french
    assert "<td>Seoul</td>" in english
