"""Audit: every change of a domain model is recorded with actor, address and time; the record is
append-only in the database; administrators browse it; refused accesses are logged."""

from __future__ import annotations

import logging

import pghistory.models
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test import Client

from partners.models import Partner
from portal.audit.protection import TRIGGER_NAME, event_tables
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MILESTONE = {
    "date": "2006-11-29",
    "date_precision": "day",
    "kind": "summit",
    "title_en": "Riga Summit",
    "title_fr": "Sommet de Riga",
}


def _tracked_models() -> set[str]:
    """Labels of the models whose changes have an event model (pghistory)."""
    return {
        model.pgh_tracked_model._meta.label
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and getattr(model, "pgh_tracked_model", None)
    }


def test_every_domain_model_listed_for_history_is_tracked() -> None:
    tracked = _tracked_models()
    for app_label in ("partners", "operations", "workprogrammes"):
        module = __import__(f"{app_label}.models", fromlist=["HISTORY_TRACKED"])
        for model in module.HISTORY_TRACKED:
            assert model._meta.label in tracked
    assert "accounts.User" in tracked


# Models of the portal's apps whose changes are not history-tracked, each with the reason. A new model
# fails test_every_model_is_tracked_or_exempted until it is tracked (HISTORY_TRACKED) or listed here.
UNTRACKED_WITH_REASON = {
    "notifications.Event": "the outbox, written with the tracked change it announces",
    "notifications.Notification": "a message to one user; only its read time changes",
    "notifications.Delivery": "an e-mail's sending state, kept by the workers",
    "reports.ExportJob": "itself the record of an export (a database trigger refuses its deletion)",
    "reports.CalendarFeed": "a secret feed token; regenerating it is the user's own business",
    "api.ApiToken": "knox keeps digests only; the admin lists each token with its creation and expiry",
    "api.IdempotencyKey": "the answer kept for a retried API POST, written with the tracked change; a day",
}
PORTAL_APPS = ("accounts", "partners", "operations", "workprogrammes", "notifications", "reports", "api")


def test_every_model_is_tracked_or_exempted() -> None:
    tracked = _tracked_models()
    untracked = {
        model._meta.label
        for app_label in PORTAL_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not issubclass(model, pghistory.models.Event) and model._meta.label not in tracked
    }
    assert untracked == set(UNTRACKED_WITH_REASON)


def test_every_event_table_refuses_update_and_delete_by_trigger() -> None:
    tables = event_tables()
    assert len(tables) >= 20
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [TRIGGER_NAME],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= protected


def test_raw_sql_cannot_rewrite_or_erase_history(officer, partner) -> None:
    client = Client()
    client.force_login(officer)
    response = client.post(
        f"/partners/{partner.iso_code}/milestone/new/",
        MILESTONE,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event_model = apps.get_model("partners", "MilestoneEvent")
    table = event_model._meta.db_table
    assert event_model.objects.count() == 1

    quoted = connection.ops.quote_name(table)
    statements = [
        ("UPDATE " + quoted + " SET title_en = %s", ["rewritten"]),  # noqa: S608 (a model's own table)
        ("DELETE FROM " + quoted, []),  # noqa: S608
    ]
    for statement, params in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)
    assert event_model.objects.get().title_en == "Riga Summit"


def test_a_change_made_on_a_page_records_actor_address_and_time(officer, partner) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(officer)
    client.post(
        f"/partners/{partner.iso_code}/milestone/new/",
        MILESTONE,
    )
    event = apps.get_model("partners", "MilestoneEvent").objects.select_related("pgh_context").get()
    metadata = event.pgh_context.metadata
    assert metadata["user"] == officer.pk
    assert metadata["ip"] == "10.1.2.3"
    assert metadata["url"] == f"/partners/{partner.iso_code}/milestone/new/"
    assert event.pgh_created_at is not None


def test_a_change_made_with_an_api_token_names_the_token_user(officer) -> None:
    """DRF authenticates in the view, after the middleware; pghistory updates the context then."""
    from portal.api.services import api_token_create
    from portal.notifications.routing import ROUTES

    _token, text = api_token_create(user=officer, name="script", expires_in_days=None)
    client = Client(HTTP_AUTHORIZATION=f"Token {text}", REMOTE_ADDR="10.9.8.7")
    kind = sorted(ROUTES)[0]

    response = client.put(
        "/api/v1/notifications/preferences/",
        data={"modes": {kind: "digest"}},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    event = apps.get_model("notifications", "NotificationPreferenceEvent").objects.latest("pgh_id")
    assert event.kind == kind
    assert event.pgh_context.metadata["user"] == officer.pk
    assert event.pgh_context.metadata["ip"] == "10.9.8.7"


def test_administrators_browse_an_objects_history(administrator, officer, partner) -> None:
    editor = Client()
    editor.force_login(officer)
    editor.post(
        f"/partners/{partner.iso_code}/milestone/new/",
        MILESTONE,
    )
    admin = Client()
    admin.force_login(administrator)
    response = admin.get(
        f"/admin/pghistory/middlewareevents/?method=tracks&obj=partners.Partner:{partner.pk}"
    )
    assert response.status_code == 200

    viewer = Client()
    viewer.force_login(UserFactory(roles=["viewer"]))
    assert viewer.get("/admin/pghistory/middlewareevents/").status_code == 302  # the admin's login


def test_every_refused_page_is_logged(viewer, caplog) -> None:
    client = Client(REMOTE_ADDR="10.0.0.5")
    client.force_login(viewer)
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get("/reports/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    assert "GET /reports/" in record.getMessage()
    assert f"user={viewer.pk}:viewer" in record.getMessage()
    assert "ip=10.0.0.5" in record.getMessage()


def test_every_refused_api_call_is_logged(viewer, caplog) -> None:
    client = Client()
    client.force_login(viewer)
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get("/api/v1/council/meetings/")
    assert response.status_code == 403
    assert any(
        r.name == "portal.security" and "/api/v1/council/meetings/" in r.getMessage() for r in caplog.records
    )


def test_the_partner_model_is_tracked() -> None:
    assert Partner._meta.label in _tracked_models()
