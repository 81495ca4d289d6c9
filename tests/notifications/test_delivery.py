"""E-mail deliveries: preferences, digests, retries with backoff, never sent twice (tasks run in-process)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from portal.accounts.models import Role
from portal.notifications import tasks
from portal.notifications.digests import digests_prepare
from portal.notifications.models import (
    Delivery,
    Event,
    Notification,
    NotificationMode,
    NotificationPreference,
)
from portal.notifications.outbox import event_record
from portal.notifications.sending import (
    SEND_MAX_ATTEMPTS,
    SEND_RETRY_BACKOFF_MAX,
    delivery_send,
    send_retry_delay,
)
from tests.factories import UserFactory
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db


def _emit(capture: Any, *, kind: str, target: Any, actor: Any) -> Event:
    with capture(execute=True), transaction.atomic():
        return event_record(kind=kind, target=target, actor=actor)


def _prefer(user: Any, kind: str, mode: str) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, mode=mode)


# --- Preferences -----------------------------------------------------------------------------------


def test_preference_off_silences_an_informational_kind_entirely(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _prefer(world.watcher, "request.approved", NotificationMode.OFF)
    request = make_request()
    request.watchers.add(world.watcher)
    _emit(django_capture_on_commit_callbacks, kind="request.approved", target=request, actor=world.secretary)
    assert not Notification.objects.filter(recipient=world.watcher).exists()
    assert [m.to for m in mail.outbox] == [[world.officer.email]]


def test_preference_off_keeps_the_in_app_notice_of_an_action_owed_but_sends_no_email(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _prefer(world.officer, "request.returned", NotificationMode.OFF)
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    notification = Notification.objects.get(recipient=world.officer)
    assert notification.action_owed
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_preference_immediately_is_the_default_and_sends_at_once(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    (message,) = mail.outbox
    assert message.to == [world.officer.email]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_digest_preference_waits_for_the_daily_digest_which_is_sent_once(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _prefer(world.officer, "request.returned", NotificationMode.DIGEST)
    _prefer(world.officer, "request.approved", NotificationMode.DIGEST)
    request = make_request()
    _emit(
        django_capture_on_commit_callbacks, kind="request.returned", target=request, actor=world.desk_reviewer
    )
    _emit(django_capture_on_commit_callbacks, kind="request.approved", target=request, actor=world.secretary)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=world.officer).count() == 2  # in the portal at once

    assert tasks.send_digests.delay().get() == 1
    (digest,) = mail.outbox
    assert digest.to == [world.officer.email]
    assert digest.subject == "Your daily digest: 2 notifications"
    assert f"returned {request.reference} for changes" in digest.body
    assert f"approved {request.reference}" in digest.body
    assert reverse("notifications:list") in digest.body

    assert tasks.send_digests.delay().get() == 0  # the day's digest is gone; nothing new to gather
    assert len(mail.outbox) == 1


def test_digest_is_in_the_recipients_language(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.officer.preferred_language = "fr"
    world.officer.save(update_fields=["preferred_language"])
    _prefer(world.officer, "request.returned", NotificationMode.DIGEST)
    request = make_request()
    _emit(
        django_capture_on_commit_callbacks, kind="request.returned", target=request, actor=world.desk_reviewer
    )
    tasks.send_digests.delay()
    (digest,) = mail.outbox
    assert digest.subject == "Votre récapitulatif quotidien : 1 notification"
    assert f"a renvoyé {request.reference} pour modifications" in digest.body


def test_digest_preparation_twice_a_day_makes_one_digest(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _prefer(world.officer, "request.returned", NotificationMode.DIGEST)
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    first = digests_prepare()
    second = digests_prepare()
    assert first == second
    assert Delivery.objects.filter(channel=Delivery.Channel.DIGEST).count() == 1


def test_user_without_an_email_address_still_sees_the_notification(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.officer.email = ""
    world.officer.save(update_fields=["email"])
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    assert Notification.objects.filter(recipient=world.officer).exists()
    assert not Delivery.objects.exists()


# --- Never twice, retries, failures ----------------------------------------------------------------


def test_a_sent_delivery_is_never_sent_again(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    delivery = Delivery.objects.get()
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    tasks.send_delivery.delay(delivery.pk)
    tasks.publish_event.delay(event.pk)  # the event published a second time (sweep and fast path)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().attempts == 1


class _FlakyBackend(BaseEmailBackend):
    failures_left = 0
    calls = 0

    def send_messages(self, messages: list[Any]) -> int:
        type(self).calls += 1
        if type(self).failures_left:
            type(self).failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_smtp(settings: Any) -> type[_FlakyBackend]:
    settings.EMAIL_BACKEND = f"{__name__}._FlakyBackend"
    _FlakyBackend.failures_left = 0
    _FlakyBackend.calls = 0
    return _FlakyBackend


def test_smtp_failure_is_retried_and_then_sent(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    flaky_smtp: type[_FlakyBackend],
) -> None:
    flaky_smtp.failures_left = 2
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)
    assert delivery.last_error == ""
    assert len(mail.outbox) == 1


def test_smtp_failing_every_time_ends_failed_with_the_error_recorded(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    flaky_smtp: type[_FlakyBackend],
) -> None:
    flaky_smtp.failures_left = 100
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == SEND_MAX_ATTEMPTS == flaky_smtp.calls
    assert "SMTPServerDisconnected" in delivery.last_error
    assert mail.outbox == []


def test_failed_deliveries_are_listed_for_administrators_and_can_be_retried(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    flaky_smtp: type[_FlakyBackend],
    client: Any,
) -> None:
    flaky_smtp.failures_left = 100
    _emit(
        django_capture_on_commit_callbacks,
        kind="request.returned",
        target=make_request(),
        actor=world.desk_reviewer,
    )
    failed = Delivery.objects.get()
    admin_user = UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:notifications_delivery_changelist"), {"status__exact": "failed"})
    assert page.status_code == 200
    assert "SMTPServerDisconnected" in page.content.decode()
    assert page.content.decode().count('class="action-select"') == 1

    flaky_smtp.failures_left = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "retry", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_redis_visibility_timeout_exceeds_the_longest_retry_delay() -> None:
    """A retried message waits in the broker unacknowledged; if Redis handed it out again before its
    countdown, the e-mail would be queued twice."""
    delays = [send_retry_delay(attempts=n) for n in range(1, SEND_MAX_ATTEMPTS) for _ in range(20)]
    assert max(delays) <= SEND_RETRY_BACKOFF_MAX
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > SEND_RETRY_BACKOFF_MAX
    from portal.celery import app

    assert app.conf.broker_transport_options["visibility_timeout"] == visibility


def test_tasks_acknowledge_late_and_give_back_messages_of_a_lost_worker() -> None:
    for task in (
        tasks.publish_event,
        tasks.send_delivery,
        tasks.send_deliveries,
        tasks.outbox_sweep,
        tasks.send_reminders,
        tasks.send_digests,
    ):
        assert task.acks_late is True, task.name
        assert task.reject_on_worker_lost is True, task.name


def test_beat_schedules_the_sweep_every_few_seconds_and_the_daily_jobs() -> None:
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["portal.notifications.tasks.outbox_sweep"] == settings.OUTBOX_SWEEP_SECONDS == 15
    assert "portal.notifications.tasks.send_reminders" in schedule
    assert "portal.notifications.tasks.send_digests" in schedule
