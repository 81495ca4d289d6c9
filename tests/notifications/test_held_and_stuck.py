"""E-mails held after a restore (released or discarded by an administrator: command and admin), and the
readiness check that reports a notification queue that does not move. Tasks run in-process."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.notifications.models import Delivery, Event, Notification
from tests.factories import PartnerFactory, UserFactory
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db


def _pending(recipient: Any, *, age: datetime.timedelta, **fields: Any) -> Delivery:
    partner = PartnerFactory()
    event = Event.objects.create(
        kind="request.submitted",
        target_type=ContentType.objects.get_for_model(partner),
        target_id=partner.pk,
        processed_at=timezone.now(),
    )
    notification = Notification.objects.create(recipient=recipient, event=event, kind=event.kind, text="Hi")
    delivery = Delivery.objects.create(event=event, recipient=recipient, notification=notification, **fields)
    due = timezone.now() - age
    Delivery.objects.filter(pk=delivery.pk).update(created_at=due, next_attempt_at=due)
    return delivery


# --- Held after a restore --------------------------------------------------------------------------


def test_hold_after_a_restore_holds_pending_emails_and_those_of_unprocessed_events(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    pending = _pending(world.officer, age=datetime.timedelta(hours=1))
    sent = _pending(
        world.watcher, age=datetime.timedelta(hours=1), status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    # An event the backup held unprocessed (its task never ran): fanned out, its e-mail held.
    unprocessed = Event.objects.create(
        kind="request.returned",
        target_type=ContentType.objects.get_for_model(InclusionRequest),
        target_id=make_request().pk,
        actor=world.desk_reviewer,
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restored_deliveries", "hold", stdout=out)

    assert "Held 2 pending e-mails (1 unprocessed events fanned out first)" in out.getvalue()
    pending.refresh_from_db()
    assert pending.status == Delivery.Status.HELD
    assert Delivery.objects.get(pk=sent.pk).status == Delivery.Status.SENT
    from_event = Delivery.objects.get(event=unprocessed)
    assert from_event.status == Delivery.Status.HELD
    assert Notification.objects.filter(event=unprocessed, recipient=world.officer).exists()
    assert mail.outbox == []

    # Held e-mails are not sent by the sweep, however old.
    from portal.notifications.outbox import outbox_sweep
    from portal.notifications.sending import deliveries_sweep

    later = timezone.now() + datetime.timedelta(days=1)
    assert (deliveries_sweep(now=later), outbox_sweep(now=later)) == (0, 0)
    assert mail.outbox == []

    listing = StringIO()
    call_command("restored_deliveries", "list", stdout=listing)
    assert world.officer.email in listing.getvalue() and "2 held e-mails." in listing.getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("restored_deliveries", "release", str(pending.pk), stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[world.officer.email]]
    call_command("restored_deliveries", "discard", "--all", stdout=StringIO())
    assert Delivery.objects.get(pk=from_event.pk).status == Delivery.Status.DISCARDED
    assert Delivery.objects.get(pk=pending.pk).status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_hold_only_before_the_given_moment(world: SimpleNamespace) -> None:
    old = _pending(world.officer, age=datetime.timedelta(hours=2))
    recent = _pending(world.watcher, age=datetime.timedelta(minutes=1))
    before = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    call_command("restored_deliveries", "hold", "--before", before, stdout=StringIO())
    assert Delivery.objects.get(pk=old.pk).status == Delivery.Status.HELD
    assert Delivery.objects.get(pk=recent.pk).status == Delivery.Status.PENDING


def test_release_or_discard_needs_ids_or_all(world: SimpleNamespace) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Name the deliveries"):
        call_command("restored_deliveries", "release", stdout=StringIO())
    with pytest.raises(CommandError, match="Not a date and time"):
        call_command("restored_deliveries", "hold", "--before", "yesterday", stdout=StringIO())


def test_administrators_release_or_discard_held_emails_in_the_admin(
    world: SimpleNamespace, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    release = _pending(world.officer, age=datetime.timedelta(hours=1), status=Delivery.Status.HELD)
    discard = _pending(world.watcher, age=datetime.timedelta(hours=1), status=Delivery.Status.HELD)
    not_held = _pending(world.secretary, age=datetime.timedelta(hours=1), status=Delivery.Status.FAILED)
    admin_user = UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    changelist = reverse("admin:notifications_delivery_changelist")
    page = client.get(changelist, {"status__exact": "held"})
    assert page.content.decode().count('class="action-select"') == 2

    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(
            changelist, {"action": "release", "_selected_action": [release.pk, not_held.pk]}, follow=True
        )
    assert "1 held e-mail queued." in released.content.decode()
    discarded = client.post(changelist, {"action": "discard", "_selected_action": [discard.pk]}, follow=True)
    assert "1 held e-mail discarded." in discarded.content.decode()
    assert [m.to for m in mail.outbox] == [[world.officer.email]]
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses == {
        release.pk: Delivery.Status.SENT,
        discard.pk: Delivery.Status.DISCARDED,
        not_held.pk: Delivery.Status.FAILED,
    }


# --- Readiness: a queue that does not move ---------------------------------------------------------------


def test_readiness_reports_a_stuck_queue_but_not_an_email_waiting_for_its_retry(
    world: SimpleNamespace, settings: Any
) -> None:
    limit = datetime.timedelta(seconds=settings.QUEUE_STUCK_AFTER_SECONDS)
    waiting_for_retry = _pending(world.officer, age=limit * 3)
    Delivery.objects.filter(pk=waiting_for_retry.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    _pending(world.watcher, age=limit / 2)  # queued a moment ago
    ready = Client().get("/readyz").json()["checks"]["queue"]
    assert ready["status"] == "ok"
    assert (ready["events"], ready["emails"]) == (0, 0)

    _pending(world.secretary, age=limit * 2)
    stuck = Client().get("/readyz")
    assert stuck.status_code == 503
    body = stuck.json()
    assert body["failing"] == ["queue"]
    assert body["checks"]["queue"]["detail"] == (
        f"Waiting over {settings.QUEUE_STUCK_AFTER_SECONDS} s: events 0, e-mails 1"
    )
