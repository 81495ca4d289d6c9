"""Audit: every change of a domain model is recorded with actor, address and time; the record is
append-only in the database; administrators browse it; refused accesses are logged."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import pghistory
import pghistory.models
import psycopg2
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test import Client

from partners.models import Partner
from portal.audit.protection import CONTEXT_TRIGGER_NAME, audit_tables, event_tables
from portal.ops.db_roles import owner_credentials
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


def _append_only_triggers() -> dict[str, str]:
    """{event table: the database name of its append-only trigger} (pghistory's pgtrigger Protect)."""
    triggers = {}
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event) and model._meta.managed and not model._meta.proxy:
            for trigger in model._meta.triggers:  # type: ignore[attr-defined]
                if trigger.name == "append_only":
                    triggers[model._meta.db_table] = trigger.get_pgid(model)
    return triggers


def test_every_event_table_refuses_update_and_delete_by_trigger() -> None:
    tables = event_tables()
    assert len(tables) >= 20
    triggers = _append_only_triggers()
    assert set(triggers) == set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = ANY(%s) AND t.tgenabled = 'O'",
            [list(triggers.values())],
        )
        installed = {(table, name): tgtype for table, name, tgtype in cursor.fetchall()}
    for table, name in triggers.items():
        # tgtype: ROW (1), BEFORE (2), DELETE (8), UPDATE (16)
        assert installed.get((table, name), 0) & (1 | 2 | 8 | 16) == 1 | 2 | 8 | 16, table


def _refused(statement: str, params: list[Any] | None = None) -> str:
    """The error the application's own connection gets for `statement` (which must fail)."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])
    return str(refused.value)


def test_the_application_connects_as_a_role_that_owns_nothing() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class"
            " WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM pg_proc"
            " WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT current_user <> pg_get_userbyid(datdba) FROM pg_database"
            " WHERE datname = current_database()"
        )
        assert cursor.fetchone()[0] is True


def test_the_applications_connection_cannot_change_any_audit_table(officer, partner) -> None:
    """UPDATE, DELETE, TRUNCATE, disabling triggers and replica mode are all refused, on every audit table."""
    client = Client()
    client.force_login(officer)
    assert client.post(f"/partners/{partner.iso_code}/milestone/new/", MILESTONE).status_code == 302
    tables = audit_tables()
    assert "pghistory_context" in tables and len(tables) >= 25
    quote = connection.ops.quote_name
    triggers = {**_append_only_triggers(), "pghistory_context": CONTEXT_TRIGGER_NAME}
    for table in tables:
        column = "metadata" if table == "pghistory_context" else "pgh_label"
        trigger = triggers[table]
        statements = [
            f"UPDATE {quote(table)} SET {column} = {column}",  # noqa: S608 (the audit tables' own names)
            f"DELETE FROM {quote(table)}",  # noqa: S608
            f"TRUNCATE {quote(table)}",
            f"ALTER TABLE {quote(table)} DISABLE TRIGGER ALL",
            f"DROP TRIGGER {trigger} ON {quote(table)}",
        ]
        for statement in statements:
            assert re.search("permission denied|must be owner", _refused(statement)), (table, statement)
    assert "permission denied" in _refused("SET session_replication_role = replica")
    assert apps.get_model("partners", "MilestoneEvent").objects.get().title_en == "Riga Summit"


def test_the_application_cannot_write_a_context_row_itself() -> None:
    """Contexts are written only by pghistory's function, which runs as the owner."""
    error = _refused(
        "INSERT INTO pghistory_context (id, metadata, created_at, updated_at)"
        " VALUES (%s, '{}', now(), now())",
        [str(uuid.uuid4())],
    )
    assert "permission denied" in error


def test_pghistorys_function_does_not_rewrite_an_older_context_for_the_application() -> None:
    """The context function runs as the owner, but completes only contexts of the calling connection."""
    old_id = str(uuid.uuid4())
    params = {**connection.get_connection_params(), **_owner_params()}
    with psycopg2.connect(**params) as owner, owner.cursor() as cursor:
        cursor.execute(
            "INSERT INTO pghistory_context (id, metadata, created_at, updated_at)"
            " VALUES (%s, '{\"user\": 1}', '2020-01-01', '2020-01-01')",
            [old_id],
        )
    owner.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', %s, true),"
            " set_config('pghistory.context_metadata', '{\"user\": 666}', true)",
            [old_id],
        )
        cursor.execute("SELECT _pgh_attach_context()")
        cursor.execute("SELECT metadata->>'user' FROM pghistory_context WHERE id = %s", [old_id])
        assert cursor.fetchone()[0] == "1"


def test_even_the_owner_cannot_rewrite_or_erase_history() -> None:
    """The append-only triggers hold for the owner too (a migration, a shell as the owner)."""
    params = {**connection.get_connection_params(), **_owner_params()}
    with psycopg2.connect(**params) as owner, owner.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_desk (code, name) VALUES ('audit-test', 'Audit test desk')")
        cursor.execute("SELECT count(*) FROM accounts_deskevent WHERE code = 'audit-test'")
        assert cursor.fetchone()[0] == 1
        for statement in (
            "UPDATE accounts_deskevent SET name = 'rewritten' WHERE code = 'audit-test'",
            "DELETE FROM accounts_deskevent WHERE code = 'audit-test'",
        ):
            cursor.execute("SAVEPOINT attempt")
            with pytest.raises(psycopg2.Error, match="Cannot update or delete rows from accounts_deskevent"):
                cursor.execute(statement)
            cursor.execute("ROLLBACK TO SAVEPOINT attempt")
        owner.rollback()
    owner.close()


def _owner_params() -> dict[str, Any]:
    owner = owner_credentials()
    assert owner, "The tests run with DATABASE_OWNER_URL set (portal/settings/test.py)."
    return {
        key: value
        for key, value in {
            "user": owner["USER"],
            "password": owner["PASSWORD"] or None,
            "host": owner["HOST"] or None,
            "port": owner["PORT"] or None,
        }.items()
        if value is not None
    }


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
    from portal.notifications.registry import ROUTES

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


def test_role_grants_desk_membership_tokens_and_authenticators_are_audited(administrator, partner) -> None:
    """Who gave or took which role or desk, made or revoked which token, enrolled which authenticator."""
    from portal.accounts.services import user_roles_set
    from portal.api.models import TokenRevocation
    from portal.api.services import api_token_create, api_tokens_revoke_all
    from portal.security.services import totp_device_enrol_with_key
    from tests.factories import DeskFactory

    user = UserFactory(username="audited", roles=["viewer"])
    desk = DeskFactory(partners=[partner])
    with pghistory.context(user=administrator.pk):
        user_roles_set(user=user, roles=["viewer", "analyst"])
        desk.members.add(user)
        desk.members.remove(user)
        api_token_create(user=user, name="script", expires_in_days=None)
        api_tokens_revoke_all(user=user, reason=TokenRevocation.ROLE_LOST)
        device = totp_device_enrol_with_key(user=user)
        user_roles_set(user=user, roles=["analyst"])
        device.delete()  # a lost phone: the administrator removes the authenticator

    role_events = apps.get_model("accounts", "UserRoleEvent").objects.filter(user=user)
    assert [
        (e.pgh_label, e.group.name) for e in role_events.filter(pgh_context__isnull=False).order_by("pgh_id")
    ] == [("role.granted", "analyst"), ("role.removed", "viewer")]
    memberships = apps.get_model("accounts", "DeskMembershipEvent").objects.filter(user=user, desk=desk)
    assert list(memberships.order_by("pgh_id").values_list("pgh_label", flat=True)) == [
        "desk.joined",
        "desk.left",
    ]
    tokens = apps.get_model("api", "ApiTokenEvent").objects.filter(user=user).order_by("pgh_id")
    assert [(e.pgh_label, e.revoked_reason) for e in tokens] == [("insert", ""), ("update", "role_lost")]
    assert not hasattr(tokens[0], "digest")
    devices = apps.get_model("accounts", "AuthenticatorEvent").objects.filter(user=user).order_by("pgh_id")
    assert list(devices.values_list("pgh_label", "confirmed")) == [("insert", True), ("delete", True)]
    assert not hasattr(devices[0], "key")
    for events in (role_events.filter(pgh_context__isnull=False), memberships, tokens, devices):
        assert {event.pgh_context.metadata["user"] for event in events} == {administrator.pk}
