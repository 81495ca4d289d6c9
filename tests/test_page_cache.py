"""Pages and API lists kept until the data changes (portal/core/page_cache.py, portal/api/caching.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from portal.accounts.models import Role
from portal.core.models import Marking
from portal.core.page_cache import cache_page_until_change, data_version
from tests.api.conftest import token_client
from tests.factories import MilestoneFactory, ProgrammeActivityFactory, UserFactory, WorkProgrammeFactory

# The workflow's fixtures: a desk, its requester, requests in any status.
from tests.workprogrammes.requests.conftest import desk, make_request, requester  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _queries(client: Any, url: str, **extra: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries.captured_queries)


# --- The decorator -------------------------------------------------------------------------------------


class _CountingView:
    def __init__(self, status: int = 200, content_type: str = "text/html; charset=utf-8") -> None:
        self.calls = 0
        self.status = status
        self.content_type = content_type

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        return HttpResponse(f"page {self.calls}", status=self.status, content_type=self.content_type)


def _request(user: Any, session_key: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/partners/", {"q": "japan"})
    session = SessionStore(session_key)
    if session_key is None:
        session.create()
    request.session = session
    request.user = user
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_the_same_session_is_served_the_kept_page_until_the_data_changes(viewer) -> None:
    view = _CountingView()
    cached = cache_page_until_change(view)
    first = _request(viewer)
    key = first.session.session_key

    assert cached(first).content == b"page 1"
    assert cached(_request(viewer, key)).content == b"page 1"
    assert view.calls == 1

    MilestoneFactory()  # any tracked write gives the data a new version
    assert cached(_request(viewer, key)).content == b"page 2"
    assert view.calls == 2


def test_a_bulk_update_that_sends_no_signal_still_changes_the_version(partner) -> None:
    before, _ = data_version()
    Partner.objects.filter(pk=partner.pk).update(name_en="Nippon")
    after, _ = data_version()
    assert after != before


def test_another_session_or_user_gets_its_own_page(viewer) -> None:
    view = _CountingView()
    cached = cache_page_until_change(view)
    cached(_request(viewer))
    assert cached(_request(viewer)).content == b"page 2"  # a new session of the same user
    assert cached(_request(UserFactory(roles=[Role.VIEWER]))).content == b"page 3"


def test_a_page_with_a_message_to_show_is_neither_served_nor_kept(viewer) -> None:
    view = _CountingView()
    cached = cache_page_until_change(view)
    first = _request(viewer)
    key = first.session.session_key
    cached(first)

    flashed = _request(viewer, key)
    messages.success(flashed, "Saved.")
    assert cached(flashed).content == b"page 2"
    assert cached(_request(viewer, key)).content == b"page 1"


def test_only_complete_html_pages_are_kept(viewer) -> None:
    for view in (_CountingView(status=404), _CountingView(content_type="text/csv")):
        cached = cache_page_until_change(view)
        key = _request(viewer).session.session_key
        cached(_request(viewer, key))
        cached(_request(viewer, key))
        assert view.calls == 2


def test_nothing_is_kept_while_another_transaction_writes(viewer) -> None:
    settings_dict = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # a transaction with an id, not yet committed
        assert data_version()[1] is False
        view = _CountingView()
        cached = cache_page_until_change(view)
        key = _request(viewer).session.session_key
        cached(_request(viewer, key))
        cached(_request(viewer, key))
        assert view.calls == 2
    finally:
        other.rollback()
        other.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # read the sessions afresh in this transaction
    assert data_version()[1] is True


def test_the_cache_can_be_turned_off(viewer, settings) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    view = _CountingView()
    cached = cache_page_until_change(view)
    key = _request(viewer).session.session_key
    cached(_request(viewer, key))
    cached(_request(viewer, key))
    assert view.calls == 2


# --- Pages ---------------------------------------------------------------------------------------------


def test_a_kept_profile_costs_five_queries_and_shows_a_new_milestone_at_once(viewer, partner) -> None:
    client = Client()
    client.force_login(viewer)
    url = reverse("partners:profile", args=[partner.iso_code])
    first, built = _queries(client, url)
    second, kept = _queries(client, url)

    assert second.content == first.content
    # The session, the user, the user's roles, the data's version and the bell's unread count.
    assert kept == 5 < built

    MilestoneFactory(partner=partner, title_en="Tokyo summit")
    assert "Tokyo summit" in client.get(url).content.decode()


def test_forms_on_a_kept_page_still_pass_the_csrf_check(officer, partner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = reverse("partners:directory")
    client.get(url)
    page = client.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_kept_request_page_is_not_shown_to_a_user_without_the_clearance(make_request, reviewer) -> None:  # noqa: F811
    secret = make_request("submitted", marking=Marking.NATO_CONFIDENTIAL)
    reviewer.clearance = Marking.NATO_SECRET
    reviewer.save()
    cleared = Client()
    cleared.force_login(reviewer)
    url = reverse("requests:detail", args=[secret.reference])
    assert cleared.get(url).status_code == 200
    assert cleared.get(url).status_code == 200

    uncleared = Client()
    uncleared.force_login(UserFactory(roles=[Role.REVIEWER], clearance=Marking.NATO_RESTRICTED))
    assert uncleared.get(url).status_code == 404


# --- API lists -----------------------------------------------------------------------------------------


def test_a_kept_api_list_is_the_same_json_for_fewer_queries_until_a_write(viewer) -> None:
    programme = WorkProgrammeFactory()
    ProgrammeActivityFactory(programme=programme, title_en="Maritime course")
    client = token_client(viewer)
    url = "/api/v1/activities/"
    first, built = _queries(client, url)
    second, kept = _queries(client, url)
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    assert kept < built

    ProgrammeActivityFactory(programme=programme, title_en="Cyber defence course")
    titles = [row["title"] for row in client.get(url).json()["results"]]
    assert "Cyber defence course" in titles


def test_a_kept_api_list_is_per_user(viewer, make_request) -> None:  # noqa: F811
    make_request("submitted", marking=Marking.NATO_CONFIDENTIAL)
    cleared = UserFactory(roles=[Role.VIEWER], clearance=Marking.NATO_SECRET)
    url = "/api/v1/requests/"
    assert len(token_client(cleared).get(url).json()["results"]) == 1
    assert token_client(viewer).get(url).json()["results"] == []


def test_losing_a_role_takes_effect_on_a_kept_page_at_once(reviewer) -> None:
    client = Client()
    client.force_login(reviewer)
    url = reverse("requests:queue")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept

    reviewer.groups.clear()  # no history event: the roles in the key change instead
    assert client.get(url).status_code == 403
