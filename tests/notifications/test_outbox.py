"""The outbox: an event is written with the state change and published only once that commits."""

import datetime
import socket
import subprocess

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.utils import timezone

from portal.notifications.models import Delivery, Event, Notification
from portal.notifications.outbox import event_record, outbox_sweep
from portal.notifications.sending import deliveries_sweep
from tests.factories import PartnerFactory, UserFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_db")
def test_event_is_written_in_the_callers_transaction_and_rolled_back_with_it() -> None:
    partner = PartnerFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(kind="request.submitted", target=partner, actor=None)
        raise RuntimeError("the state change failed")
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_db")
def test_event_is_published_after_commit() -> None:
    partner = PartnerFactory()
    with transaction.atomic():
        event = event_record(kind="request.submitted", target=partner, actor=None, data={"note": "x"})
        assert Event.objects.get(pk=event.pk).published_at is None
    event.refresh_from_db()
    assert event.published_at is not None
    assert event.target == partner
    assert event.data == {"note": "x"}


@pytest.mark.django_db
def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown event kind"):
        event_record(kind="request.teleported", target=PartnerFactory(), actor=None)


@pytest.mark.django_db
def test_sweep_publishes_events_left_unpublished_but_not_ones_just_committed() -> None:
    partner = PartnerFactory()
    kwargs = {"kind": "request.submitted", "target_type": ContentType.objects.get_for_model(partner)}
    left = Event.objects.create(target_id=partner.pk, **kwargs)
    just_now = Event.objects.create(target_id=partner.pk, **kwargs)
    Event.objects.filter(pk=left.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))

    assert outbox_sweep() == 1
    left.refresh_from_db()
    just_now.refresh_from_db()
    assert left.published_at is not None and left.processed_at is not None
    assert just_now.published_at is None  # its own commit's fast path is still on its way
    assert outbox_sweep() == 0


@pytest.mark.django_db
def test_sweep_republishes_an_event_whose_task_was_lost_within_the_threshold() -> None:
    partner = PartnerFactory()
    lost = Event.objects.create(
        kind="request.submitted",
        target_type=ContentType.objects.get_for_model(partner),
        target_id=partner.pk,
        published_at=timezone.now(),
    )
    lost_after = settings.TASK_LOST_AFTER_SECONDS
    assert lost_after + settings.OUTBOX_SWEEP_SECONDS <= 60  # found within a minute
    # Not while its task may still be on its way.
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=lost_after - 5)) == 0
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=lost_after + 1)) == 1
    lost.refresh_from_db()
    assert lost.processed_at is not None
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=2 * lost_after + 2)) == 0


def _exited_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _pending_delivery(recipient, partner, *, due: datetime.datetime, **fields) -> Delivery:
    event = Event.objects.create(
        kind="request.submitted",
        target_type=ContentType.objects.get_for_model(partner),
        target_id=partner.pk,
        processed_at=timezone.now(),
    )
    notification = Notification.objects.create(recipient=recipient, event=event, kind=event.kind, text="Hi")
    return Delivery.objects.create(
        event=event, recipient=recipient, notification=notification, next_attempt_at=due, **fields
    )


@pytest.mark.django_db
def test_sweep_queues_again_an_email_whose_task_was_lost() -> None:
    recipient = UserFactory()
    partner = PartnerFactory()
    now = timezone.now()
    lost_after = datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    lost = _pending_delivery(recipient, partner, due=now - lost_after - datetime.timedelta(seconds=1))
    recent = _pending_delivery(recipient, partner, due=now - datetime.timedelta(seconds=5))
    waiting_for_retry = _pending_delivery(recipient, partner, due=now + datetime.timedelta(minutes=4))
    # Claimed a moment ago by a sender on another host: it may be talking to the mail server now.
    being_sent = _pending_delivery(
        recipient, partner, due=now - 2 * lost_after, claimed_at=now, claimed_by="other-host:1"
    )
    # Claimed a moment ago by a process of this host that is gone (a worker killed outright).
    dead_pid = _exited_pid()
    orphaned = _pending_delivery(
        recipient,
        partner,
        due=now - 2 * lost_after,
        claimed_at=now,
        claimed_by=f"{socket.gethostname()}:{dead_pid}",
    )

    assert deliveries_sweep() == 2
    for row in (lost, recent, waiting_for_retry, being_sent, orphaned):
        row.refresh_from_db()
    assert lost.status == Delivery.Status.SENT and orphaned.status == Delivery.Status.SENT
    assert len(mail.outbox) == 2
    assert {recent.status, waiting_for_retry.status, being_sent.status} == {Delivery.Status.PENDING}
    assert deliveries_sweep() == 0

    # Once the claim is older than any send can last, its sender is gone: queued again.
    expired = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 11)
    Delivery.objects.filter(pk=being_sent.pk).update(claimed_at=expired)
    assert deliveries_sweep() == 1
    being_sent.refresh_from_db()
    assert being_sent.status == Delivery.Status.SENT
