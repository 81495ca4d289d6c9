"""Idempotency-Key on API creates and workflow actions (portal/api/idempotency.py): a retry gets the first
answer instead of a second write; the key is per user, kept IDEMPOTENCY_KEY_HOURS, swept hourly."""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Role, User
from portal.api.models import IdempotencyKey
from portal.api.services import idempotency_keys_expire
from portal.notifications.models import Event
from tests.api.workflow import if_match
from tests.factories import CatalogueItemFactory, UserFactory
from workprogrammes.requests.models import InclusionRequest

URL = "/api/v1/requests/"


def _body(partner: Any, **extra: Any) -> dict[str, Any]:
    return {
        "partner": partner.iso_code,
        "catalogue_item": CatalogueItemFactory().pk,
        "title": "Exercise Steadfast Jazz",
        "start_date": "2027-03-01",
        "end_date": "2027-03-12",
        "place": "Oberammergau",
        "justification": "Interoperability with a contributor to operations.",
        "mutual_benefit": "Lessons from deployments in return for training places.",
        **extra,
    }


def _key() -> str:
    return str(uuid.uuid4())


def test_a_create_retried_with_its_key_gives_the_first_answer_and_one_draft(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(officer)
    key = _key()
    body = _body(partner)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first

    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert InclusionRequest.objects.count() == 1
    assert IdempotencyKey.objects.get().status_code == 201

    # Without a key (or with a new one) a POST is a new operation.
    assert client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=_key()).status_code == 201
    assert InclusionRequest.objects.count() == 2


def test_a_key_reused_for_another_request_is_refused_with_a_reason(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(officer)
    key = _key()
    assert client.post(URL, _body(partner), format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    other = client.post(URL, _body(partner, title="Another title"), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "already used for another request" in error["message"]
    assert InclusionRequest.objects.count() == 1

    french = api_client_for(officer, language="fr").post(
        URL, _body(partner, title="Autre"), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert french.status_code == 422
    assert "déjà servi" in french.json()["error"]["message"]


def test_a_workflow_action_retried_with_its_key_is_done_once(
    officer: User, make_request: Callable[..., InclusionRequest], api_client_for: Callable[..., APIClient]
) -> None:
    draft = make_request("draft")
    client = api_client_for(officer)
    key = _key()
    version = if_match(draft)  # the retry sends the same request: the same key and the same If-Match
    first = client.post(f"{URL}{draft.pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY=key, **version)
    assert first.status_code == 200, first.content
    # Done again, the action would be refused (409: already submitted); the retry gets the first answer.
    again = client.post(f"{URL}{draft.pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY=key, **version)
    assert (again.status_code, again["Idempotent-Replayed"]) == (200, "true")
    assert again.json()["status"] == "submitted"
    assert Event.objects.filter(kind="request.submitted").count() == 1
    assert client.post(f"{URL}{draft.pk}/submit/", {}, format="json").status_code == 409


def test_an_error_answer_keeps_nothing_and_the_key_can_be_used_again(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient]
) -> None:
    client = api_client_for(officer)
    key = _key()
    invalid = client.post(URL, _body(partner, mutual_benefit=" "), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert invalid.status_code == 400
    assert not IdempotencyKey.objects.exists()
    fixed = client.post(URL, _body(partner), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed


def test_keys_are_per_user(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient], desk: Any
) -> None:
    colleague = UserFactory(roles=[Role.OFFICER])
    desk.members.add(colleague)
    key = _key()
    body = _body(partner)
    mine = api_client_for(officer).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    theirs = api_client_for(colleague).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["requested_by"]["username"] == colleague.username
    assert InclusionRequest.objects.count() == 2


def test_the_session_api_takes_the_key_too(officer: User, partner: Any) -> None:
    client = APIClient()
    client.force_login(officer)
    key = _key()
    body = _body(partner)
    assert client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    assert client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)["Idempotent-Replayed"] == "true"
    assert InclusionRequest.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "two words"])
def test_a_malformed_key_is_refused_before_anything_is_done(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient], key: str
) -> None:
    response = api_client_for(officer).post(URL, _body(partner), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not InclusionRequest.objects.exists()


def test_a_key_is_kept_for_a_day_then_swept(
    officer: User, partner: Any, api_client_for: Callable[..., APIClient]
) -> None:
    assert settings.IDEMPOTENCY_KEY_HOURS == 24
    schedule = settings.CELERY_BEAT_SCHEDULE["api-idempotency-keys-expire"]
    assert schedule["task"] == "portal.api.tasks.idempotency_keys_expire"
    client = api_client_for(officer)
    old_key, fresh_key = _key(), _key()
    body = _body(partner)
    client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=old_key)
    client.post(URL, _body(partner), format="json", HTTP_IDEMPOTENCY_KEY=fresh_key)
    IdempotencyKey.objects.filter(key=old_key).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )

    # An expired key is a new operation (even before the sweep has deleted it).
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=old_key)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert InclusionRequest.objects.count() == 3

    IdempotencyKey.objects.filter(key=old_key).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert idempotency_keys_expire() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [fresh_key]
    from portal.api.tasks import idempotency_keys_expire as task

    assert task.delay().get() == 0  # nothing left to sweep


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_moment_make_one_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both run the create at once; the second waits on the first's key, then answers as a retry."""
    from tests.api.conftest import token_client
    from tests.factories import DeskFactory, PartnerFactory
    from workprogrammes.requests import services

    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    DeskFactory(partners=[partner], members=[officer])
    body = _body(partner)
    key = _key()
    clients = [token_client(officer), token_client(officer)]
    both_inside = threading.Barrier(2, timeout=20)
    create = services.inclusion_request_create

    def create_together(**kwargs: Any) -> Any:
        created = create(**kwargs)
        both_inside.wait()  # both drafts written, neither transaction committed
        return created

    monkeypatch.setattr(services, "inclusion_request_create", create_together)
    answers: list[Any] = [None, None]

    def post(index: int) -> None:
        try:
            answers[index] = clients[index].post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert sorted(answer.has_header("Idempotent-Replayed") for answer in answers) == [False, True]
    assert answers[0].json() == answers[1].json()
    assert InclusionRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_key_committed_by_another_request_after_the_check_is_kept_and_its_answer_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The late request looked the key up before the early one committed it: the early one's key stays
    (only an expired key makes way) and the late one answers with the early one's draft, not its own."""
    from portal.api import idempotency
    from tests.api.conftest import token_client
    from tests.factories import DeskFactory, PartnerFactory

    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    DeskFactory(partners=[partner], members=[officer])
    body = _body(partner)
    key = _key()
    late_checked, early_done = threading.Event(), threading.Event()
    lookup = idempotency._stored

    def stored(user_id: int, key: str) -> Any:
        found = lookup(user_id, key)
        if threading.current_thread().name == "late":
            late_checked.set()
            assert early_done.wait(20)
        return found

    monkeypatch.setattr(idempotency, "_stored", stored)
    answers: dict[str, Any] = {}

    def post(name: str) -> None:
        try:
            if name == "early":
                assert late_checked.wait(20)
            answers[name] = token_client(officer).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        finally:
            if name == "early":
                early_done.set()
            connection.close()

    threads = [threading.Thread(target=post, args=(name,), name=name) for name in ("late", "early")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers["early"].status_code == answers["late"].status_code == 201
    assert not answers["early"].has_header("Idempotent-Replayed")
    assert answers["late"]["Idempotent-Replayed"] == "true"
    assert answers["late"].json() == answers["early"].json()
    assert InclusionRequest.objects.count() == 1
    assert IdempotencyKey.objects.get(user=officer, key=key).body == answers["early"].content.decode()


def test_the_schema_documents_the_key_and_its_errors(viewer: User) -> None:
    client = APIClient()
    client.force_login(viewer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    create = schema["paths"]["/api/v1/requests/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert {"422", "503"} <= set(create["responses"])
    listing = schema["paths"]["/api/v1/requests/"]["get"]
    assert "Idempotency-Key" not in {p["name"] for p in listing["parameters"] if p["in"] == "header"}
    assert "Idempotency-Key" in schema["info"]["description"]
