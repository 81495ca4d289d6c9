"""Notifications through a real Celery worker on Redis: nothing lost, nothing sent twice.

Each test starts its own `celery -A portal worker` process on the test database (the rows are
committed: transactional tests), consuming a queue of its own on a dedicated Redis db, and reads
the e-mails the worker sent from a mailbox file.
"""

from __future__ import annotations

import datetime
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Delegation
from portal.accounts.services import delegation_create, delegation_end
from portal.notifications.models import (
    Delivery,
    Event,
    Notification,
    NotificationMode,
    NotificationPreference,
)
from portal.notifications.outbox import event_record, outbox_sweep
from portal.notifications.tasks import send_digests, send_reminders
from tests.notifications.conftest import LiveCelery
from workprogrammes.requests.models import InclusionRequest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable_db"),
    pytest.mark.slow,
]


def _emit(*, kind: str, target: Any, actor: Any, data: dict | None = None) -> Event:
    with transaction.atomic():
        return event_record(kind=kind, target=target, actor=actor, data=data)


def _mails_to(live: LiveCelery, user: Any) -> list[dict[str, Any]]:
    return [m for m in live.mails() if m["to"] == [user.email]]


def test_workflow_events_reach_the_right_people_in_their_language(
    live_celery: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> None:
    world.officer.preferred_language = "fr"
    world.officer.save(update_fields=["preferred_language"])
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    live_celery.worker().start()

    _emit(kind="request.submitted", target=request, actor=world.officer)
    _emit(kind="request.recommended", target=request, actor=world.desk_reviewer)
    _emit(kind="request.approved", target=request, actor=world.secretary)

    expected = {
        world.desk_reviewer.email: 2,  # submitted, approved
        world.secretary.email: 1,  # recommended
        world.officer.email: 1,  # approved
        world.watcher.email: 1,  # approved
    }
    live_celery.wait_for(lambda: len(live_celery.mails()) >= sum(expected.values()), what="five e-mails")
    time.sleep(1)  # and nothing more arrives
    mails = live_celery.mails()
    assert {to: sum(1 for m in mails if m["to"] == [to]) for to in expected} == expected
    assert len(mails) == sum(expected.values())

    (french,) = _mails_to(live_celery, world.officer)
    assert french["language"] == "fr"
    assert (
        french["subject"]
        == f"[{request.reference}] Le Conseil de l'Atlantique Nord a approuvé {request.reference}."
    )
    assert '<html lang="fr">' in french["html"]
    (english,) = _mails_to(live_celery, world.watcher)
    assert (
        english["subject"]
        == f"[{request.reference}] The North Atlantic Council approved {request.reference}."
    )
    assert Notification.objects.filter(recipient=world.desk_reviewer).count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def _returned_request_blocked_in_send(
    live: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> Delivery:
    """Record a return (one e-mail, to the officer) and wait until the worker hangs sending it."""
    live.block_file.touch()
    _emit(kind="request.returned", target=make_request(), actor=world.desk_reviewer)
    live.wait_for(live.blocked_file.exists, what="the send to block")
    return Delivery.objects.get()


def test_pool_process_killed_in_the_middle_of_a_send_delivers_exactly_once(
    live_celery: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> None:
    live_celery.worker().start()
    delivery = _returned_request_blocked_in_send(live_celery, world, make_request)
    live_celery.block_file.unlink()  # the mail server is fine again for the next attempt

    # The process running the task dies; acks_late + reject_on_worker_lost put the message back.
    os.kill(int(live_celery.blocked_file.read_text()), signal.SIGKILL)

    live_celery.wait_for(live_celery.mails, what="the e-mail after the redelivery")
    time.sleep(2)
    assert len(_mails_to(live_celery, world.officer)) == 1
    assert len(live_celery.mails()) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2  # the killed attempt was recorded before it spoke to the server


def test_worker_killed_outright_mid_send_is_finished_by_a_new_worker_exactly_once(
    live_celery: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> None:
    first = live_celery.worker("first").start()
    delivery = _returned_request_blocked_in_send(live_celery, world, make_request)
    first.kill()  # the main process and its pool, SIGKILL: the message stays unacknowledged in Redis
    live_celery.block_file.unlink()
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.PENDING

    # A new worker takes unacknowledged messages back once their visibility timeout has passed
    # (seconds here instead of the production hours, so the test need not wait).
    live_celery.worker(
        "second",
        transport_options={
            "visibility_timeout": 2,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        },
    ).start()
    live_celery.wait_for(live_celery.mails, timeout=40, what="the new worker to send the e-mail")
    time.sleep(2)
    assert len(live_celery.mails()) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)  # both attempts recorded


@pytest.fixture
def silent_broker() -> Iterator[str]:
    """A TCP port that accepts connections and never answers: a broker that hangs."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


@pytest.mark.parametrize("broker", ["refuses", "hangs"])
def test_broker_down_at_submit_answers_fast_loses_nothing_and_delivers_once_after_recovery(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    request: pytest.FixtureRequest,
    broker: str,
) -> None:
    down_url = (
        f"redis://127.0.0.1:{_closed_port()}/0"
        if broker == "refuses"
        else request.getfixturevalue("silent_broker")
    )
    inclusion_request = make_request(status=InclusionRequest.Status.DRAFT)
    live_celery.worker().start()
    live_celery.point_broker_at(down_url)

    started = time.monotonic()
    with transaction.atomic():  # what the submit service does: change the state, record the event
        InclusionRequest.objects.filter(pk=inclusion_request.pk).update(
            status=InclusionRequest.Status.SUBMITTED, submitted_at=timezone.now(), needs_council_decision=True
        )
        event_record(kind="request.submitted", target=inclusion_request, actor=world.officer)
    elapsed = time.monotonic() - started

    print(f"broker {broker}: the state change and its event committed in {elapsed:.3f} s")
    assert elapsed < 2, f"the submit took {elapsed:.2f} s with the broker down"
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == InclusionRequest.Status.SUBMITTED
    event = Event.objects.get()
    assert (event.published_at, event.processed_at, event.publish_attempts) == (None, None, 1)
    # While the broker is away the sweep cannot publish either, and says so without failing.
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=1)) == 0

    live_celery.point_broker_at(live_celery.broker_url)  # the broker is back
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=1)) == 1
    live_celery.wait_for(live_celery.mails, what="the e-mail after recovery")
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2)) == 0  # published already
    time.sleep(1.5)
    assert [m["to"] for m in live_celery.mails()] == [[world.desk_reviewer.email]]
    event.refresh_from_db()
    assert event.published_at is not None and event.processed_at is not None


def test_digest_gathers_the_days_notifications_into_one_email(
    live_celery: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> None:
    for kind in ("request.returned", "request.approved"):
        NotificationPreference.objects.create(user=world.officer, kind=kind, mode=NotificationMode.DIGEST)
    request = make_request(reviewer=world.desk_reviewer)
    live_celery.worker().start()
    _emit(kind="request.returned", target=request, actor=world.desk_reviewer)
    _emit(kind="request.approved", target=request, actor=world.secretary)
    live_celery.wait_for(
        lambda: Event.objects.filter(processed_at__isnull=False).count() == 2, what="both events processed"
    )
    live_celery.wait_for(lambda: len(live_celery.mails()) == 1, what="the reviewer's immediate e-mail")
    assert _mails_to(live_celery, world.officer) == []  # not immediately: in the digest

    send_digests.delay()
    live_celery.wait_for(lambda: _mails_to(live_celery, world.officer), what="the digest")
    send_digests.delay()  # a second run the same day sends nothing more
    time.sleep(2)
    (digest,) = _mails_to(live_celery, world.officer)
    assert digest["subject"] == "Your daily digest: 2 notifications"
    assert f"returned {request.reference} for changes" in digest["body"]
    assert f"approved {request.reference}" in digest["body"]


def test_delegate_receives_the_principals_notifications_during_the_delegation_only(
    live_celery: LiveCelery, world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> None:
    today = timezone.localdate()
    delegation = delegation_create(
        principal=world.officer,
        delegate=world.bystander,
        start_date=today,
        end_date=today + datetime.timedelta(days=3),
    )
    # The secretary's delegation to the same person ended yesterday.
    Delegation.objects.create(
        principal=world.secretary,
        delegate=world.bystander,
        start_date=today - datetime.timedelta(days=5),
        end_date=today - datetime.timedelta(days=1),
    )
    live_celery.worker().start()
    request = make_request(reviewer=world.desk_reviewer)
    returned = _emit(kind="request.returned", target=request, actor=world.desk_reviewer)
    recommended = _emit(kind="request.recommended", target=request, actor=world.desk_reviewer)
    live_celery.wait_for(
        lambda: len(live_celery.mails()) == 3, what="officer's, delegate's and secretary's e-mails"
    )
    copy = Notification.objects.get(event=returned, recipient=world.bystander)
    assert copy.on_behalf_of == world.officer
    assert not Notification.objects.filter(event=recommended, recipient=world.bystander).exists()
    (mail,) = _mails_to(live_celery, world.bystander)
    assert "on behalf of" in mail["body"]

    # Once the principal ends the delegation, the delegate is told nothing more.
    delegation_end(delegation=delegation, by=world.officer)
    after = _emit(kind="request.returned", target=request, actor=world.desk_reviewer)
    live_celery.wait_for(lambda: len(live_celery.mails()) == 4, what="the officer's second e-mail")
    time.sleep(1.5)
    assert set(Notification.objects.filter(event=after).values_list("recipient__username", flat=True)) == {
        "officer"
    }
    assert len(_mails_to(live_celery, world.bystander)) == 1


def test_overdue_review_escalates_with_time_moved_forward(
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    settings: Any,
) -> None:
    due = timezone.now() + datetime.timedelta(days=1)
    request = make_request(due_at=due)
    live_celery.worker().start()

    def run_reminders(at: datetime.datetime) -> None:
        send_reminders.delay(now=at.isoformat())

    run_reminders(timezone.now())  # not due yet
    run_reminders(due + datetime.timedelta(days=1))  # overdue: the desk's reviewers
    run_reminders(due + datetime.timedelta(days=1, hours=2))  # same day again: nothing new
    live_celery.wait_for(lambda: len(live_celery.mails()) == 1, what="the overdue reminder")
    (reminder,) = live_celery.mails()
    assert reminder["to"] == [world.desk_reviewer.email]
    assert f"The review of {request.reference} is overdue" in reminder["subject"]

    # A further ESCALATION_DAYS later: the reviewer group and the desk's head are told as well.
    run_reminders(due + datetime.timedelta(days=settings.ESCALATION_DAYS + 1))
    live_celery.wait_for(
        lambda: Event.objects.filter(kind="reminder.review_escalated", processed_at__isnull=False).exists(),
        what="the escalation",
    )
    live_celery.wait_for(lambda: len(live_celery.mails()) == 1 + 1 + 3, what="escalation e-mails")
    escalation = [
        m for m in live_celery.mails() if m["subject"].startswith(f"[{request.reference}] Escalation")
    ]
    assert sorted(m["to"][0] for m in escalation) == sorted(
        [world.desk_reviewer.email, world.other_reviewer.email, world.head.email]
    )
