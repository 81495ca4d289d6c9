"""Writes of the notifications app: the outbox and its relay, fan-out, e-mail, digests, reminders, reading."""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import os
import random
import smtplib
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db import connection as db_connection
from django.db.models import F, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import Desk, User
from portal.accounts.selectors import delegation_delegates_by_principal
from portal.ops.broker import task_publish

from .models import Delivery, Event, Notification, NotificationMode, NotificationPreference
from .registry import LINKS, REMINDERS, ROUTES, RouteContext

logger = logging.getLogger(__name__)

# Failures worth retrying: the mail server or the network, not a bug in a template.
TRANSIENT_SEND_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


# --- The outbox -----------------------------------------------------------------------------------


def event_record(*, kind: str, target: models.Model, actor: User | None, data: dict | None = None) -> Event:
    """Write an outbox event in the caller's transaction and publish it to Celery once that commits."""
    return _event_create(kind=kind, target=target, actor=actor, data=data or {})


def _event_create(
    *, kind: str, target: models.Model, actor: User | None, data: dict, dedup_key: str | None = None
) -> Event:
    if kind not in ROUTES:
        raise ValueError(f"Unknown event kind {kind!r}: register it in its app's notifications.py.")
    if target.pk is None:
        raise ValueError("The event target must be saved first.")
    event = Event.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        actor=actor,
        data=data,
        dedup_key=dedup_key,
    )
    transaction.on_commit(functools.partial(event_publish, event_id=event.pk), robust=True)
    return event


def event_publish(*, event_id: int) -> bool:
    """Send the event to the broker; on failure log it and leave it for the sweep. True if sent."""
    from .tasks import publish_event

    try:
        # The fast path runs after the web request's commit: a broker that does not answer must not
        # hold the page (short timeouts, no retries; the sweep retries later).
        task_publish(publish_event, args=(event_id,))
    except Exception:
        # Whatever the broker did, the event row is safe: the sweep publishes it later.
        logger.warning("Event %s not published; the outbox sweep will retry.", event_id, exc_info=True)
        Event.objects.filter(pk=event_id).update(publish_attempts=F("publish_attempts") + 1)
        return False
    Event.objects.filter(pk=event_id).update(
        publish_attempts=F("publish_attempts") + 1,
        published_at=timezone.now(),  # the latest publication: a lost task is judged from it
    )
    return True


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Publish the events the fast path could not (broker down) or whose task was lost; returns how many.

    Unpublished events older than a few seconds (so a commit's own fast path is not raced), and
    published ones still unprocessed TASK_LOST_AFTER_SECONDS after their last publication (the broker
    restarted without them, a worker died holding them). Publishing twice is harmless: the fan-out
    runs once per event under the event's row lock.
    """
    now = now or timezone.now()
    lost_after = datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    unpublished = Event.objects.filter(
        published_at__isnull=True,
        processed_at__isnull=True,
        created_at__lt=now - datetime.timedelta(seconds=5),
    )
    lost = Event.objects.filter(published_at__lt=now - lost_after, processed_at__isnull=True)
    ids = sorted(set(unpublished.values_list("pk", flat=True)) | set(lost.values_list("pk", flat=True)))
    sent = 0
    for event_id in ids:
        if not event_publish(event_id=event_id):
            break  # the broker is still away; the next sweep tries again
        sent += 1
    return sent


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


# --- Fan-out: an event becomes notifications and e-mail deliveries ------------------------------------


# Events fanned out by one task: its own, and others still waiting (a burst of submissions is then
# written in a few transactions rather than one per event).
FAN_OUT_BATCH = 50


def event_fan_out(*, event_id: int) -> list[int]:
    """Create the event's notifications and pending e-mails (once), and those of other events still
    waiting for their task, up to FAN_OUT_BATCH, in one transaction; return the new deliveries to send."""
    with transaction.atomic():
        # The row lock makes a duplicate message for the same event wait, then find it processed.
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            logger.warning("Event %s does not exist; nothing to fan out.", event_id)
            return []
        # Events another task is fanning out right now are locked, and skipped.
        waiting = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True)
            .exclude(pk=event_id)
            .order_by("pk")[: FAN_OUT_BATCH - 1]
        )
        done: list[Event] = []
        if event.processed_at is None:
            _fan_out(event)
            done.append(event)
        for other in waiting:
            try:
                with transaction.atomic():
                    _fan_out(other)
            except Exception:  # that event's own task will fail on it and say why; the batch goes on
                logger.warning("Event %s left for its own task.", other.pk, exc_info=True)
                continue
            done.append(other)
        now = timezone.now()
        for row in done:
            row.processed_at = now
        Event.objects.bulk_update(done, ["processed_at", "summary"])
        # Only the e-mails made here: those of an event fanned out before are another task's (or, if
        # that task was lost, the sweep's).
        return list(
            Delivery.objects.filter(event__in=done, status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _fan_out(event: Event) -> None:
    route = ROUTES.get(event.kind)
    target = event.target
    if route is None or target is None:
        logger.warning("Event %s (%s) has no route or no target; nobody is told.", event.pk, event.kind)
        return
    ctx = RouteContext(event=event, target=target)
    event.summary = _summary(ctx)
    recipients = _recipients(ctx, [audience(ctx) for audience in route.to])
    if not recipients:
        return
    modes = dict(
        NotificationPreference.objects.filter(
            user_id__in=[user.pk for user, _principal in recipients], kind=event.kind
        ).values_list("user_id", "mode")
    )
    record_url = object_path(ctx)
    acting_for_id = event.data.get("acting_for_id")
    acting_for = User.objects.filter(pk=acting_for_id).first() if acting_for_id else None
    notifications: list[Notification] = []
    emailed: list[Notification] = []
    for user, principal in recipients:
        mode = modes.get(user.pk, NotificationMode.IMMEDIATELY) if user.email else NotificationMode.OFF
        if mode == NotificationMode.OFF and not route.action_owed:
            continue
        with translation.override(user.preferred_language):
            text = " ".join(
                part
                for part in (
                    str(route.text) % _text_params(ctx, acting_for=acting_for),
                    _decision_text(event),
                )
                if part
            )
        notification = Notification(
            recipient=user,
            event=event,
            kind=event.kind,
            text=text[:400],
            url=(route.link(ctx, user) if route.link is not None else None) or record_url,
            on_behalf_of=principal,
            action_owed=route.action_owed,
            email_mode=mode,
        )
        notifications.append(notification)
        if mode == NotificationMode.IMMEDIATELY:
            emailed.append(notification)
    # The event's row lock makes this the only fan-out of the event, so the rows are new.
    Notification.objects.bulk_create(notifications)
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            recipient=n.recipient,
            notification=n,
            channel=Delivery.Channel.EMAIL,
            next_attempt_at=now,
        )
        for n in emailed
    )


def _recipients(ctx: RouteContext, audiences: Iterable[Iterable[User]]) -> list[tuple[User, User | None]]:
    """(recipient, principal they receive it for) pairs: the audience, then their delegates."""
    direct: dict[int, User] = {}
    for audience in audiences:
        for user in audience:
            direct.setdefault(user.pk, user)
    actor_id = ctx.event.actor_id
    subject, kind = ctx.subject, ctx.subject_kind
    marking = getattr(subject if subject is not None else ctx.target, "marking", None)

    def may_see(user: User) -> bool:
        if kind is not None:
            # The subject's own visibility rule (registered with it): who may not open the record is not
            # told about it.
            return kind.may_see(user, subject)
        return marking is None or user.clearance >= marking

    def may_receive(user: User) -> bool:
        return user.is_active and user.pk != actor_id and may_see(user)

    if kind is not None:
        _read_roles_and_desks(list(direct.values()))
    chosen = {pk: user for pk, user in direct.items() if may_receive(user)}
    result: list[tuple[User, User | None]] = [(user, None) for user in chosen.values()]
    on = timezone.localdate(ctx.event.created_at)
    delegates = delegation_delegates_by_principal(principals=list(chosen), on=on)
    if kind is not None:
        _read_roles_and_desks([delegate for people in delegates.values() for delegate in people])
    for principal_id, people in delegates.items():
        for delegate in people:
            if delegate.pk not in chosen and may_receive(delegate):
                chosen[delegate.pk] = delegate
                result.append((delegate, chosen[principal_id]))
    return result


def _read_roles_and_desks(users: list[User]) -> None:
    """Read the roles and desk partners of many users in three queries, so that asking the visibility rule
    for each of them reads nothing more (a fan-out to hundreds of people stays a few queries)."""
    pending = [
        user for user in users if "roles" not in user.__dict__ or "desk_partner_ids" not in user.__dict__
    ]
    if not pending:
        return
    ids = [user.pk for user in pending]
    groups: dict[int, list[str]] = {pk: [] for pk in ids}
    for user_id, name in User.groups.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "group__name"
    ):
        groups[user_id].append(name)
    partners: dict[int, set[int]] = {pk: set() for pk in ids}
    # The desks each belongs to or heads (User.desk_partner_ids, read for many at once).
    for user_id, partner_id in Desk.partners.through.objects.filter(desk__members__in=ids).values_list(
        "desk__members", "partner_id"
    ):
        partners[user_id].add(partner_id)
    for user_id, partner_id in Desk.partners.through.objects.filter(desk__head__in=ids).values_list(
        "desk__head", "partner_id"
    ):
        partners[user_id].add(partner_id)
    for user in pending:
        user.remember_group_names(groups[user.pk])
        user.__dict__["desk_partner_ids"] = frozenset(partners[user.pk])


class _Params(dict):
    """Message parameters that leave a missing key empty rather than failing the whole fan-out."""

    def __missing__(self, key: str) -> str:
        return ""


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _text_params(ctx: RouteContext, *, acting_for: User | None = None) -> _Params:
    params = _Params()
    for key, value in ctx.event.data.items():
        as_date = parse_date(value) if isinstance(value, str) and len(value) == 10 else None
        params[key] = date_format(as_date, "DATE_FORMAT") if as_date else value
    actor = ctx.event.actor
    params["actor"] = _name(actor) if actor else _("The portal")
    if actor and acting_for:
        params["actor"] = _("%(delegate)s (for %(principal)s)") % {
            "delegate": _name(actor),
            "principal": _name(acting_for),
        }
    params["target"] = object_label(ctx)
    return params


def _decision_text(event: Event) -> str:
    """A Council decision's sheet reference, meeting and conditions, for its notification.

    The conditions are in the event's summary only up to NATO UNCLASSIFIED (see _summary).
    """
    summary = event.summary or {}
    if not summary.get("decision_reference"):
        return ""
    parts = [_("Decision sheet: %(reference)s.") % {"reference": summary["decision_reference"]}]
    if summary.get("meeting"):
        parts.append(_("Meeting: %(meeting)s.") % {"meeting": summary["meeting"]})
    if summary.get("conditions"):
        parts.append(_("Conditions: %(conditions)s") % {"conditions": summary["conditions"]})
    return " ".join(parts)


def _summary(ctx: RouteContext) -> dict[str, Any]:
    """The subject as the e-mails show it; its title and the reason only up to NATO UNCLASSIFIED."""
    from portal.core.models import Marking

    subject = ctx.subject if ctx.subject is not None else ctx.target
    unclassified = getattr(subject, "marking", Marking.PUBLIC) <= Marking.NATO_UNCLASSIFIED
    titles = {}
    if unclassified:
        # The subject's title in each language (a request's: its activity's): the e-mail is written in its
        # recipient's.
        kind = ctx.subject_kind
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                titles[f"title_{language}"] = kind.title(subject) if kind is not None else ""
    return {
        "reference": str(getattr(subject, "reference", "") or ""),
        "status": str(getattr(subject, "status", "") or ""),
        "title": titles.get("title_en", ""),
        **titles,
        # The reason a step gave (a return, a withdrawal), shown in the e-mail.
        "reason": str(ctx.event.data.get("reason", "") or "") if unclassified else "",
        # A Council decision: its sheet's reference, the meeting, and its conditions.
        "decision_reference": str(ctx.event.data.get("decision_reference", "") or ""),
        "meeting": str(ctx.event.data.get("meeting", "") or ""),
        "conditions": str(ctx.event.data.get("conditions", "") or "") if unclassified else "",
        "model": subject._meta.label_lower,
    }


def object_label(ctx: RouteContext) -> str:
    """How the event's subject is named in a sentence: the request's reference, or the record's name."""
    subject = ctx.subject if ctx.subject is not None else ctx.target
    return str(getattr(subject, "reference", "") or subject)


def object_path(ctx: RouteContext) -> str:
    """The portal path of the event's subject (the request for anything that belongs to one)."""
    for candidate in (ctx.subject, ctx.target):
        if candidate is None:
            continue
        try:
            get_url = getattr(candidate, "get_absolute_url", None)
            if get_url is not None:
                return str(get_url())
            link = LINKS.get(candidate._meta.label_lower)
            if link is not None:
                return reverse(link[0], kwargs=link[1](candidate))
        except NoReverseMatch:  # a record whose page does not exist (yet): no link rather than no notice
            logger.warning("No page for %r.", candidate, exc_info=True)
    return ""


# --- E-mail -----------------------------------------------------------------------------------------


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


def _message_id(delivery_id: int) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(idstring=f"delivery-{delivery_id}", domain=domain)


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
            messages.append((delivery, _email_for(delivery)))
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
    if outcome.retry:
        attempts = max(d.attempts for d, _m in messages if d.pk in outcome.retry)
        outcome.delay = send_retry_delay(attempts=attempts)
        Delivery.objects.filter(pk__in=outcome.retry).update(
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=outcome.delay)
        )
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
    the rest wait for a retry."""
    for delivery, message in messages:
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
        if _delivery_failed(delivery=delivery, error=broken, retry=True):
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


def _delivery_failed(*, delivery: Delivery, error: BaseException | None, retry: bool) -> bool:
    """Record a failed attempt and release the claim. True if another attempt will follow."""
    again = retry and delivery.attempts < SEND_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.PENDING if again else Delivery.Status.FAILED,
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
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


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL's address under the portal's name in the active language (the reader's)."""
    _configured_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address:
        return str(settings.DEFAULT_FROM_EMAIL)
    # Address quotes the name where it must; Django encodes it when the message is sent.
    return str(Address(display_name=_("Contact Country Cooperation Portal"), addr_spec=address))


def _email_for(delivery: Delivery) -> EmailMultiAlternatives:
    recipient = delivery.recipient
    with translation.override(recipient.preferred_language):
        if delivery.channel == Delivery.Channel.DIGEST:
            context = _digest_context(delivery)
            template = "notifications/email/digest"
        else:
            context = _notification_context(delivery)
            template = "notifications/email/notification"
        context.update(recipient=recipient, site_url=settings.SITE_URL.rstrip("/"))
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        from_email = sender_address()
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=from_email, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Content-Language"] = recipient.preferred_language
    # Every attempt of a delivery carries its Message-ID: a copy sent again after an interrupted attempt
    # is recognisable as the same message.
    message.extra_headers["Message-ID"] = delivery.message_id or _message_id(delivery.pk)
    return message


def _notification_context(delivery: Delivery) -> dict[str, Any]:
    event = delivery.event
    assert event is not None
    notification = delivery.notification or Notification.objects.select_related("on_behalf_of").get(
        event=event, recipient_id=delivery.recipient_id
    )
    summary = event.summary
    status = summary.get("status", "")
    return {
        "notification": notification,
        "reference": summary.get("reference", ""),
        "title": summary.get(f"title_{translation.get_language()}") or summary.get("title", ""),
        "reason": summary.get("reason", ""),
        "decision_reference": summary.get("decision_reference", ""),
        "meeting": summary.get("meeting", ""),
        "conditions": summary.get("conditions", ""),
        "status": status,
        "status_label": _status_label(summary.get("model", ""), status),
    }


def _status_label(model_label: str, status: str) -> str:
    """The status's display name in the active language, from the model's choices (no query)."""
    from django.apps import apps

    try:
        choices = dict(apps.get_model(model_label)._meta.get_field("status").flatchoices)
    except (LookupError, ValueError, FieldDoesNotExist):
        return status
    return str(choices.get(status, status))


def _digest_context(delivery: Delivery) -> dict[str, Any]:
    notifications = list(delivery.digest_notifications.select_related("on_behalf_of").order_by("created_at"))
    return {"notifications": notifications, "digest_date": delivery.digest_date}


def digests_prepare(*, on: datetime.date | None = None) -> list[int]:
    """Gather each user's digest-mode notifications into one digest delivery per user and day.

    Returns the digests still to send. Running it again the same day makes no second digest.
    """
    on = on or timezone.localdate()
    recipient_ids = (
        Notification.objects.filter(email_mode=NotificationMode.DIGEST, digest__isnull=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    ids: list[int] = []
    for recipient_id in list(recipient_ids):
        with transaction.atomic():
            digest, _created = Delivery.objects.get_or_create(
                recipient_id=recipient_id, channel=Delivery.Channel.DIGEST, digest_date=on
            )
            digest = Delivery.objects.select_for_update().get(pk=digest.pk)
            if digest.status == Delivery.Status.SENT:
                continue  # today's digest is gone; what came since waits for tomorrow's
            Notification.objects.filter(
                recipient_id=recipient_id, email_mode=NotificationMode.DIGEST, digest__isnull=True
            ).update(digest=digest)
            ids.append(digest.pk)
    # A digest prepared by an earlier run whose sending was lost goes out with this run.
    unsent = Delivery.objects.filter(
        channel=Delivery.Channel.DIGEST, digest_date=on, status=Delivery.Status.PENDING
    ).values_list("pk", flat=True)
    return sorted(set(ids) | set(unsent))


def delivery_retry(*, delivery: Delivery) -> bool:
    """Put a failed delivery back in the queue (an administrator's action). True if queued."""
    return _deliveries_requeue(ids=[delivery.pk], from_status=Delivery.Status.FAILED) == 1


def deliveries_release(*, delivery_ids: Iterable[int]) -> int:
    """Send the held deliveries after all (an administrator's decision after a restore); returns how many."""
    return _deliveries_requeue(ids=list(delivery_ids), from_status=Delivery.Status.HELD)


def deliveries_discard(*, delivery_ids: Iterable[int]) -> int:
    """Never send these held deliveries (an administrator's decision after a restore); returns how many."""
    return Delivery.objects.filter(pk__in=list(delivery_ids), status=Delivery.Status.HELD).update(
        status=Delivery.Status.DISCARDED, last_error="Discarded by an administrator after a restore."
    )


def _deliveries_requeue(*, ids: list[int], from_status: str) -> int:
    with transaction.atomic():
        chosen = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=ids, status=from_status)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=chosen).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        if chosen:
            transaction.on_commit(functools.partial(deliveries_queue, delivery_ids=chosen))
    return len(chosen)


def deliveries_hold_restored(*, before: datetime.datetime | None = None) -> dict[str, int]:
    """After a backup is restored: hold every e-mail it recorded as pending, created before `before`.

    The restored database does not know which of them went out between the backup and the loss, so
    none is sent until an administrator releases or discards it. Events the backup held unprocessed
    are fanned out first (their in-app notifications appear), and their e-mails are held as well.
    """
    before = before or timezone.now()
    events = list(
        Event.objects.filter(processed_at__isnull=True, created_at__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for event_id in events:
            event_fan_out(event_id=event_id)
        held = (
            Delivery.objects.filter(status=Delivery.Status.PENDING)
            .filter(models.Q(created_at__lt=before) | models.Q(event_id__in=events))
            .update(status=Delivery.Status.HELD, claimed_at=None)
        )
    return {"events": len(events), "held": held}


# --- Reminders (the beat tasks call these; each is recorded at most once per subject and day) -------


def reminder_record(*, kind: str, target: models.Model, data: dict, on: datetime.date) -> Event | None:
    """Record a reminder event for today unless one was already recorded; None if it was."""
    content_type = ContentType.objects.get_for_model(target)
    key = f"{kind}:{content_type.pk}:{target.pk}:{on.isoformat()}"
    if Event.objects.filter(dedup_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return _event_create(kind=kind, target=target, actor=None, data=data, dedup_key=key)
    except IntegrityError:
        return None  # a concurrent run recorded the same reminder between the check and the insert


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record every reminder due now, as the apps registered them (the work programmes': overdue reviews,
    escalations, meetings, silences, programmes); how many of each kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {kind: 0 for reminders in REMINDERS.values() for kind in reminders.kinds}

    def record(kind: str, target: models.Model, data: dict) -> None:
        if reminder_record(kind=kind, target=target, data=data, on=today) is not None:
            counts[kind] += 1

    for reminders in REMINDERS.values():
        reminders.record_due(now, today, record)
    return counts


# --- Reading -------------------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given); returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def notification_preferences_set(*, user: User, modes: dict[str, str]) -> None:
    """Save the user's e-mail mode per kind; kinds left at "immediately" keep no row."""
    unknown = set(modes) - set(ROUTES)
    if unknown or set(modes.values()) - set(NotificationMode.values):
        raise ValueError(f"Unknown kinds or modes: {sorted(unknown)}")
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user, kind__in=list(modes)).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=user, kind=kind, mode=mode)
            for kind, mode in modes.items()
            if mode != NotificationMode.IMMEDIATELY
        )
