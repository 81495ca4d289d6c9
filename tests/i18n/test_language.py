"""The language switch is remembered per user; dates and numbers follow the page's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.accounts.models import User
from portal.accounts.services import user_set_language
from tests.factories import ContributionFactory, MilestoneFactory, OperationFactory, PartnerFactory


def _lang(client: Client, path: str = "/partners/") -> str:
    html = client.get(path).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_switching_language_saves_it_on_the_user_and_in_the_browser(viewer: User) -> None:
    client = Client()
    client.force_login(viewer)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/partners/"})

    assert response.status_code == 302
    assert response["Location"] == "/partners/"
    assert response.cookies["django_language"].value == "fr"
    viewer.refresh_from_db()
    assert viewer.preferred_language == "fr"
    assert _lang(client) == "fr"


def test_a_browser_that_never_chose_shows_the_users_saved_language(viewer: User) -> None:
    viewer.preferred_language = "fr"
    viewer.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(viewer)

    html = client.get("/partners/").content.decode()

    assert '<html lang="fr">' in html
    assert "Partenaires" in html


def test_the_saved_language_follows_the_user_to_another_browser(viewer: User) -> None:
    first = Client()
    first.force_login(viewer)
    first.post("/i18n/setlang/", {"language": "fr", "next": "/partners/"})

    second = Client()
    second.force_login(viewer)

    assert _lang(second) == "fr"


def test_this_browsers_explicit_choice_wins_over_the_saved_language(viewer: User) -> None:
    viewer.preferred_language = "fr"
    viewer.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(viewer)
    client.cookies["django_language"] = "en"

    assert _lang(client) == "en"


def test_signed_out_visitors_switch_only_their_browser(viewer: User) -> None:
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})

    assert response.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get("/accounts/login/").content.decode()
    viewer.refresh_from_db()
    assert viewer.preferred_language == "en"


def test_an_unknown_language_changes_nothing(viewer: User) -> None:
    client = Client()
    client.force_login(viewer)

    response = client.post("/i18n/setlang/", {"language": "de", "next": "/partners/"})

    assert response.status_code == 302
    assert "django_language" not in response.cookies
    viewer.refresh_from_db()
    assert viewer.preferred_language == "en"


def test_the_switch_only_accepts_post(viewer: User) -> None:
    client = Client()
    client.force_login(viewer)

    assert client.get("/i18n/setlang/?language=fr").status_code == 405
    viewer.refresh_from_db()
    assert viewer.preferred_language == "en"


def test_user_set_language_refuses_a_language_the_portal_lacks(viewer: User) -> None:
    with pytest.raises(ValidationError):
        user_set_language(user=viewer, language="de")

    assert user_set_language(user=viewer, language="fr").preferred_language == "fr"


def test_the_api_keeps_honouring_accept_language_for_a_user_who_prefers_french(viewer: User) -> None:
    viewer.preferred_language = "fr"
    viewer.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(viewer)

    response = client.get("/api/v1/partners/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "en"


def test_french_pages_show_french_dates_and_grouped_numbers(viewer: User) -> None:
    partner = PartnerFactory(iso_code="AU", name_en="Australia", name_fr="Australie")
    MilestoneFactory(partner=partner, date=datetime.date(2026, 11, 27), title_en="A day", title_fr="Un jour")
    ContributionFactory(partner=partner, personnel=1550)
    client = Client()
    client.force_login(viewer)
    client.cookies["django_language"] = "fr"

    html = client.get("/partners/AU/").content.decode()

    assert "27 novembre 2026" in html
    assert "1\xa0550" in html


def test_english_pages_show_english_dates_and_grouped_numbers(viewer: User) -> None:
    partner = PartnerFactory(iso_code="AU", name_en="Australia", name_fr="Australie")
    MilestoneFactory(partner=partner, date=datetime.date(2026, 11, 27), title_en="A day", title_fr="Un jour")
    ContributionFactory(partner=partner, personnel=1550)
    client = Client()
    client.force_login(viewer)

    html = client.get("/partners/AU/").content.decode()

    assert "27 November 2026" in html
    assert "1,550" in html


def test_operation_dates_are_day_first_in_english_and_spelled_out_in_french(viewer: User) -> None:
    OperationFactory(code="isaf", acronym_en="ISAF", acronym_fr="FIAS", start_date=datetime.date(2003, 8, 11))
    client = Client()
    client.force_login(viewer)

    english = client.get("/operations/").content.decode()
    client.cookies["django_language"] = "fr"
    french = client.get("/operations/").content.decode()

    assert "11 Aug 2003" in english
    assert "11 août 2003" in french
    assert "FIAS" in french
