"""Sending e-mails: queuing deliveries, claiming them, sending them over one connection, marking each
sent or failed, retrying with backoff, and the sweep that queues again the e-mails whose task was lost."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import random
import smtplib
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, models, transaction
from django.db import connection as db_connection
from django.db.models import F, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils import timezone

from portal.ops.broker import task_publish

from .emails import delivery_email
from .models import Delivery

logger = logging.getLogger(__name__)


# Failures worth retrying: the mail server or the network, not a bug in a template.
TRANSIENT_SEND_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


def _claim_seconds() -> int:
    """How long a claim on a delivery holds: past the send task's hard time limit its process is gone."""
    return int(settings.CELERY_TASK_TIME_LIMIT) + 10


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again the pending e-mails whose task was lost; returns how many.

    Lost: not taken up TASK_LOST_AFTER_SECONDS after they were due (queued, or a retry's time), and
    not claimed by a sender that may still be at work (a claim of a process gone from this host, or
    older than any send lasts, is void). Queuing twice is harmless: a delivery is claimed before it
    is sent, and a sent one is never sent again.
    """
    now = now or timezone.now()
    lost_after = datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    overdue = (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .annotate(due=Coalesce("next_attempt_at", "requeued_at", "created_at"))
        .filter(due__lt=now - lost_after)
        .only("pk", "claimed_at", "claimed_by")
        .order_by("pk")
    )
    stuck = [row.pk for row in overdue if not _claim_is_live(row, now)]
    Delivery.objects.filter(pk__in=stuck).update(requeued_at=now, next_attempt_at=now)
    deliveries_queue(delivery_ids=stuck)
    return len(stuck)


def deliveries_queue(*, delivery_ids: list[int], countdown: int | None = None) -> None:
    """Queue the sending of these deliveries, EMAIL_BATCH_SIZE per task (one mail connection each), to
    start `countdown` seconds from now if given (a retry). A broker that does not take a batch in time
    (portal/ops/broker.py) leaves it to the deliveries sweep: a worker is never held by it."""
    from .tasks import send_deliveries

    size = max(1, settings.EMAIL_BATCH_SIZE)
    for start in range(0, len(delivery_ids), size):
        batch = delivery_ids[start : start + size]
        try:
            task_publish(send_deliveries, args=(batch,), countdown=countdown)
        except Exception:
            # The deliveries stay pending in the database: the deliveries sweep queues them later.
            logger.warning("Deliveries %s not queued now; the sweep will queue them.", batch, exc_info=True)


# Attempts of one e-mail before it is marked failed; between them 1, 2, 4, 8, 16 minutes (with jitter).
# A retry waits in the broker unacknowledged; Redis's visibility timeout must be longer than the
# longest delay or the message would be delivered twice (a test holds this).
SEND_MAX_ATTEMPTS = 6
SEND_RETRY_BACKOFF = 60
SEND_RETRY_BACKOFF_MAX = 30 * 60


def send_retry_delay(*, attempts: int) -> int:
    """Seconds before the next attempt of an e-mail tried `attempts` times (full jitter, at least 1 s)."""
    ceiling = min(SEND_RETRY_BACKOFF * 2 ** max(attempts - 1, 0), SEND_RETRY_BACKOFF_MAX)
    return max(1, int(random.uniform(ceiling / 2, ceiling)))


def _sender_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim_is_live(delivery: Delivery, now: datetime.datetime) -> bool:
    """Whether another sender may be sending this delivery now (a claim recorded before its send)."""
    if delivery.claimed_at is None or delivery.claimed_at < now - datetime.timedelta(
        seconds=_claim_seconds()
    ):
        return False
    host, _sep, pid = delivery.claimed_by.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        # A sender on this host: a claim of this very process is left over from an interrupted attempt,
        # and one of a process that no longer exists (a killed pool process) is dead at once.
        return int(pid) != os.getpid() and _process_exists(int(pid))
    return True  # another host's sender: trusted until the claim expires


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _message_id_expression() -> Any:
    """The Message-ID a delivery keeps from its first claim: "<time.random.delivery-ID@site>"."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    unique = f"{time.time_ns() // 1000}.{random.getrandbits(40):x}"
    return Coalesce(
        NullIf("message_id", Value("")),
        Concat(Value(f"<{unique}.delivery-"), Cast("id", models.CharField()), Value(f"@{domain}>")),
    )


def deliveries_claim(*, delivery_ids: Iterable[int]) -> list[int]:
    """Record an attempt on each pending, unclaimed delivery and commit it; returns those now ours.

    The claim (who, since when, one more attempt, the Message-ID) is written before the mail server is
    spoken to, in a transaction of its own: no row lock is held while the mail goes out. Rows another
    task is claiming at this instant are skipped; it sends them.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(delivery_ids), status=Delivery.Status.PENDING)
            .only("pk", "claimed_at", "claimed_by")
            .order_by("pk")
        )
        claimed = [row.pk for row in rows if not _claim_is_live(row, now)]
        Delivery.objects.filter(pk__in=claimed).update(
            claimed_at=now,
            claimed_by=_sender_identity(),
            attempts=F("attempts") + 1,
            message_id=_message_id_expression(),
        )
    return claimed


@dataclass
class SendOutcome:
    """What one batch of sends did: the deliveries sent, failed for good, and to retry (after `delay`)."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    delay: int = 0


def deliveries_send(*, delivery_ids: Iterable[int]) -> SendOutcome:
    """Send these deliveries over one connection to the mail server: claim, commit, send, mark.

    Each is marked sent as soon as the server accepted it. A transient failure (the server, the
    network, a timeout, the task's soft time limit) leaves the delivery pending with the error and a
    time for its next attempt, which the caller queues; after SEND_MAX_ATTEMPTS it is marked failed.
    A delivery that cannot be rendered fails at once.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    outcome = SendOutcome()
    claimed = deliveries_claim(delivery_ids=delivery_ids)
    if not claimed:
        return outcome
    deliveries = list(
        Delivery.objects.filter(pk__in=claimed)
        .select_related("recipient", "event", "notification__on_behalf_of")
        .order_by("pk")
    )
    messages: list[tuple[Delivery, EmailMultiAlternatives]] = []
    for delivery in deliveries:
        try:
            messages.append((delivery, delivery_email(delivery)))
        except Exception as error:  # a template or data problem: retrying will not help
            logger.error("Delivery %s cannot be rendered.", delivery.pk, exc_info=error)
            _delivery_failed(delivery=delivery, error=error, retry=False)
            outcome.failed.append(delivery.pk)
    if not messages:
        return outcome
    transient: tuple[type[BaseException], ...] = (*TRANSIENT_SEND_ERRORS, SoftTimeLimitExceeded)
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    broken: BaseException | None = None
    try:
        connection.open()
    except transient as error:
        broken = error
    try:
        with _marks_without_waiting_for_disk():
            _send_each(messages, connection, broken, transient, outcome)
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection that already failed
            logger.debug("Closing the mail connection failed.", exc_info=True)
    return outcome


@contextlib.contextmanager
def _marks_without_waiting_for_disk() -> Iterator[None]:
    """Commit the "sent" marks without waiting for the disk (synchronous_commit off, this session only).

    Waiting for each commit's flush would cost more than sending the mail. If PostgreSQL itself
    crashed, the last fraction of a second of marks could be lost and those e-mails sent again, with
    their Message-ID; the claims, written before each send, are still committed synchronously.
    """
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            db_connection.close()  # a broken connection is not reused with the setting on


def _send_each(
    messages: list[tuple[Delivery, EmailMultiAlternatives]],
    connection: Any,
    broken: BaseException | None,
    transient: tuple[type[BaseException], ...],
    outcome: SendOutcome,
) -> None:
    """Send each message on the open connection and mark it at once; once the connection is broken,
    the rest wait for a retry, all at one time (`outcome.delay` from now), written with each failure so
    that a delivery is never seen released but not yet given its next attempt."""
    retry_at: datetime.datetime | None = None
    for index, (delivery, message) in enumerate(messages):
        if broken is None:
            message.connection = connection
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused as error:  # this address only
                logger.error("Delivery %s refused by the mail server.", delivery.pk, exc_info=error)
                _delivery_failed(delivery=delivery, error=error, retry=False)
                outcome.failed.append(delivery.pk)
                continue
            except transient as error:  # the connection is gone: the rest of the batch waits too
                broken = error
            except Exception as error:
                _delivery_failed(delivery=delivery, error=error, retry=False)
                outcome.failed.append(delivery.pk)
                continue
            else:
                _delivery_sent(delivery_id=delivery.pk)
                outcome.sent.append(delivery.pk)
                continue
        if retry_at is None:
            waiting = [d.attempts for d, _m in messages[index:] if d.attempts < SEND_MAX_ATTEMPTS]
            outcome.delay = send_retry_delay(attempts=max(waiting, default=SEND_MAX_ATTEMPTS))
            retry_at = timezone.now() + datetime.timedelta(seconds=outcome.delay)
        if _delivery_failed(delivery=delivery, error=broken, retry=True, retry_at=retry_at):
            outcome.retry.append(delivery.pk)
        else:
            outcome.failed.append(delivery.pk)


def _delivery_sent(*, delivery_id: int) -> None:
    """Mark a delivery sent; the mail has gone, so a database that hiccups is asked again briefly."""
    for pause in (0.0, 0.5, 1.0, 2.0, 4.0):
        if pause:
            time.sleep(pause)
        try:
            Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.SENT,
                sent_at=timezone.now(),
                claimed_at=None,
                last_error="",
            )
            return
        except DatabaseError:
            logger.warning("Could not mark delivery %s sent; trying again.", delivery_id, exc_info=True)
    # Still claimed: after the claim expires the sweep sends it again, with the same Message-ID.
    logger.error("Delivery %s was sent but could not be marked sent.", delivery_id)


def _delivery_failed(
    *,
    delivery: Delivery,
    error: BaseException | None,
    retry: bool,
    retry_at: datetime.datetime | None = None,
) -> bool:
    """Record a failed attempt and release the claim, with the next attempt's time when there is one.
    True if another attempt will follow."""
    again = retry and delivery.attempts < SEND_MAX_ATTEMPTS
    changes: dict[str, Any] = {}
    if again and retry_at is not None:
        changes["next_attempt_at"] = retry_at
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.PENDING if again else Delivery.Status.FAILED,
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        **changes,
    )
    if not again:
        logger.error("Delivery %s failed for good.", delivery.pk, exc_info=error)
    return again


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery unless it was already sent (or is being sent); returns its status after."""
    outcome = deliveries_send(delivery_ids=[delivery_id])
    if outcome.retry:
        deliveries_queue(delivery_ids=outcome.retry, countdown=outcome.delay)
    status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    return status or "missing"
