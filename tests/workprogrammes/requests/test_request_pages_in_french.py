"""Request pages in French: the desk named in French, text typed in English tagged "(EN)"."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Desk, User
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db


def _client(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_a_desk_has_an_english_and_a_french_name(officer: User) -> None:
    desk = Desk.objects.get(code="asia-pacific")

    assert (desk.name_en, desk.name_fr) == ("Asia-Pacific desk", "Bureau Asie-Pacifique")


def test_the_request_page_shows_the_desk_in_the_readers_language(
    officer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    url = reverse("requests:detail", args=[make_request("submitted").reference])

    french = _client(officer, "fr").get(url).content.decode()
    english = _client(officer, "en").get(url).content.decode()

    assert "Bureau Asie-Pacifique" in french
    assert "Asia-Pacific desk" not in french
    assert "Asia-Pacific desk" in english
    assert "Bureau Asie-Pacifique" not in english


def test_the_queue_filter_lists_the_desks_in_french(
    reviewer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    make_request("submitted")

    html = _client(reviewer, "fr").get(reverse("requests:queue")).content.decode()

    assert ">Bureau Asie-Pacifique</option>" in html
    assert "Asia-Pacific desk" not in html


def test_a_desk_without_a_french_name_falls_back_to_english_marked_as_such(
    officer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    Desk.objects.filter(code="asia-pacific").update(name_fr="")
    url = reverse("requests:detail", args=[make_request("submitted").reference])

    html = _client(officer, "fr").get(url).content.decode()

    assert '<span lang="en">Asia-Pacific desk</span>' in html
    assert "(EN)" in html


def test_the_admin_user_list_names_the_desks_in_french(administrator: User, officer: User) -> None:
    html = _client(administrator, "fr").get("/admin/accounts/user/", {"q": "officer"}).content.decode()

    assert "Bureau Asie-Pacifique" in html
    assert "Asia-Pacific desk" not in html


def test_the_pipeline_report_filter_names_the_desks_in_french(analyst: User, officer: User) -> None:
    html = _client(analyst, "fr").get(reverse("reports:report", args=["pipeline"])).content.decode()

    assert "Bureau Asie-Pacifique" in html
    assert "Asia-Pacific desk" not in html


def test_a_typed_place_and_title_are_tagged_english_on_a_french_request_page(
    officer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    url = reverse(
        "requests:detail",
        args=[make_request("submitted", place="Oberammergau", title="Maritime seminar").reference],
    )

    french = _client(officer, "fr").get(url).content.decode()
    english = _client(officer, "en").get(url).content.decode()

    assert '<span lang="en">Oberammergau</span> <span class="portal-lang-fallback"' in french
    assert '<span lang="en">Maritime seminar</span> <span class="portal-lang-fallback"' in french
    assert '<span lang="en">Oberammergau</span>' not in english
    assert '<span lang="en">Maritime seminar</span>' not in english


def test_a_typed_title_is_tagged_english_in_the_french_queue_and_my_requests(
    officer: User, reviewer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    make_request("submitted", title="Maritime seminar")
    tagged = '<span lang="en">Maritime seminar</span> <span class="portal-lang-fallback"'

    for user, name in ((reviewer, "requests:queue"), (officer, "requests:list")):
        french = _client(user, "fr").get(reverse(name)).content.decode()
        english = _client(user, "en").get(reverse(name)).content.decode()
        assert tagged in french, name
        assert "Maritime seminar" in english and '<span lang="en">Maritime seminar' not in english, name
