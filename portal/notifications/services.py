"""Writes of the notifications app: the outbox and its relay, fan-out, e-mail, digests, reminders, reading."""

from __future__ import annotations

import datetime
import functools
import logging
import os
import smtplib
from collections.abc import Iterable
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.selectors import delegation_delegates_by_principal

from .models import Delivery, Event, Notification, NotificationMode, NotificationPreference
from .routing import LINKS, ROUTES, RouteContext

logger = logging.getLogger(__name__)

# The fast path runs after the web request's commit: a broker that does not answer must not hold the
# page, so the connection gets a short timeout and no publish retries (the sweep retries later).
PUBLISH_CONNECT_TIMEOUT = 0.5
PUBLISH_POOL_LIMIT = 10
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
        raise ValueError(f"Unknown event kind {kind!r}: add it to portal/notifications/routing.py.")
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
    from celery import current_app

    from .tasks import publish_event

    try:
        if current_app.conf.task_always_eager:
            publish_event.apply_async(args=(event_id,))
        else:
            connection = _publish_connection()
            try:
                publish_event.apply_async(args=(event_id,), producer=connection.Producer(), retry=False)
            except Exception:
                connection.close()  # not handed out again half-broken: the next use reconnects
                raise
            finally:
                connection.release()
    except Exception:
        # Whatever the broker did, the event row is safe: the sweep publishes it later.
        logger.warning("Event %s not published; the outbox sweep will retry.", event_id, exc_info=True)
        Event.objects.filter(pk=event_id).update(publish_attempts=F("publish_attempts") + 1)
        return False
    Event.objects.filter(pk=event_id).update(
        publish_attempts=F("publish_attempts") + 1,
        published_at=Coalesce(F("published_at"), Value(timezone.now())),
    )
    return True


_publish_pools: dict[tuple[int, str], Any] = {}


def _publish_connection() -> Any:
    """A broker connection from this process's pool for the fast path: short timeouts, no retries."""
    from celery import current_app

    url = current_app.conf.broker_write_url
    key = (os.getpid(), url)  # a forked process must not share its parent's sockets
    pool = _publish_pools.get(key)
    if pool is None:
        connection = current_app.connection_for_write(
            url,
            connect_timeout=PUBLISH_CONNECT_TIMEOUT,
            transport_options={
                "max_retries": 0,
                "interval_start": 0,
                "socket_connect_timeout": PUBLISH_CONNECT_TIMEOUT,
                "socket_timeout": PUBLISH_CONNECT_TIMEOUT,
            },
        )
        pool = _publish_pools[key] = connection.Pool(limit=PUBLISH_POOL_LIMIT)
    return pool.acquire(block=True, timeout=PUBLISH_CONNECT_TIMEOUT)


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Publish the events the fast path could not (broker down) or that were lost; returns how many.

    Unpublished events older than a few seconds (so a commit's own fast path is not raced), and
    published ones still unprocessed after longer than the broker keeps an unacknowledged message.
    """
    now = now or timezone.now()
    stale = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 15 * 60
    unpublished = Event.objects.filter(
        published_at__isnull=True,
        processed_at__isnull=True,
        created_at__lt=now - datetime.timedelta(seconds=5),
    )
    lost = Event.objects.filter(
        published_at__lt=now - datetime.timedelta(seconds=stale), processed_at__isnull=True
    )
    ids = sorted(set(unpublished.values_list("pk", flat=True)) | set(lost.values_list("pk", flat=True)))
    sent = 0
    for event_id in ids:
        if not event_publish(event_id=event_id):
            break  # the broker is still away; the next sweep tries again
        sent += 1
    return sent


# A pending e-mail's retries are over within about 31 minutes (tasks.py); one still pending well after
# that has lost its task (its worker failed to queue it, or the task failed on a database error).
STUCK_DELIVERY_AFTER = datetime.timedelta(minutes=45)


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue again the e-mails still pending long after their last queuing; returns how many."""
    from .tasks import send_delivery

    now = now or timezone.now()
    stuck = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .annotate(last_queued=Coalesce("requeued_at", "created_at"))
        .filter(last_queued__lt=now - STUCK_DELIVERY_AFTER)
        .values_list("pk", flat=True)
    )
    for delivery_id in stuck:
        Delivery.objects.filter(pk=delivery_id).update(requeued_at=now)
        send_delivery.delay(delivery_id)
    return len(stuck)


# --- Fan-out: an event becomes notifications and e-mail deliveries ------------------------------------


def event_fan_out(*, event_id: int) -> list[int]:
    """Create the event's notifications and pending e-mails (once); return the deliveries to send."""
    with transaction.atomic():
        # The row lock makes a duplicate message for the same event wait, then find it processed.
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            logger.warning("Event %s does not exist; nothing to fan out.", event_id)
            return []
        if event.processed_at is None:
            _fan_out(event)
            event.processed_at = timezone.now()
            event.save(update_fields=["processed_at", "summary"])
        return list(
            Delivery.objects.filter(event=event, status=Delivery.Status.PENDING).values_list("pk", flat=True)
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
    url = object_path(ctx)
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
            url=url,
            on_behalf_of=principal,
            action_owed=route.action_owed,
            email_mode=mode,
        )
        notifications.append(notification)
        if mode == NotificationMode.IMMEDIATELY:
            emailed.append(notification)
    # The event's row lock makes this the only fan-out of the event, so the rows are new.
    Notification.objects.bulk_create(notifications)
    Delivery.objects.bulk_create(
        Delivery(event=event, recipient=n.recipient, notification=n, channel=Delivery.Channel.EMAIL)
        for n in emailed
    )


def _recipients(ctx: RouteContext, audiences: Iterable[Iterable[User]]) -> list[tuple[User, User | None]]:
    """(recipient, principal they receive it for) pairs: the audience, then their delegates."""
    direct: dict[int, User] = {}
    for audience in audiences:
        for user in audience:
            direct.setdefault(user.pk, user)
    actor_id = ctx.event.actor_id
    marking = getattr(ctx.request if ctx.request is not None else ctx.target, "marking", None)

    def may_receive(user: User) -> bool:
        return user.is_active and user.pk != actor_id and (marking is None or user.clearance >= marking)

    chosen = {pk: user for pk, user in direct.items() if may_receive(user)}
    result: list[tuple[User, User | None]] = [(user, None) for user in chosen.values()]
    on = timezone.localdate(ctx.event.created_at)
    delegates = delegation_delegates_by_principal(principals=list(chosen), on=on)
    for principal_id, people in delegates.items():
        for delegate in people:
            if delegate.pk not in chosen and may_receive(delegate):
                chosen[delegate.pk] = delegate
                result.append((delegate, chosen[principal_id]))
    return result


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

    subject = ctx.request if ctx.request is not None else ctx.target
    unclassified = getattr(subject, "marking", Marking.PUBLIC) <= Marking.NATO_UNCLASSIFIED
    titles = {}
    if unclassified:
        # The activity's title in each language: the e-mail is written in its recipient's.
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                titles[f"title_{language}"] = str(getattr(subject, "activity_title", "") or "")
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
    subject = ctx.request if ctx.request is not None else ctx.target
    return str(getattr(subject, "reference", "") or subject)


def object_path(ctx: RouteContext) -> str:
    """The portal path of the event's subject (the request for anything that belongs to one)."""
    for candidate in (ctx.request, ctx.target):
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


def delivery_send(*, delivery_id: int, final_attempt: bool = True) -> str:
    """Send one delivery unless it was already sent; record the outcome. Returns the new status.

    The row stays locked while the mail server is talked to, so a duplicate task waits and then
    finds it sent. A transient failure is recorded and raised again, for the task to retry it.
    """
    error: Exception | None = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("recipient", "event", "notification__on_behalf_of")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status == Delivery.Status.SENT:
            return delivery.status
        try:
            _email_for(delivery).send()
        except Exception as exc:
            error = exc
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.last_error = ""
            delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            return delivery.status
    transient = isinstance(error, TRANSIENT_SEND_ERRORS)
    status = Delivery.Status.PENDING if transient and not final_attempt else Delivery.Status.FAILED
    Delivery.objects.filter(pk=delivery_id).exclude(status=Delivery.Status.SENT).update(
        status=status, attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
    )
    if transient:
        raise error
    logger.error("Delivery %s failed for good.", delivery_id, exc_info=error)
    return status


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
    from .tasks import send_delivery

    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING
        )
        if updated:
            transaction.on_commit(lambda: send_delivery.delay(delivery.pk))
    return bool(updated)


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
    """Record every reminder due now: overdue reviews, escalations, meetings, silences, programmes."""
    from . import selectors

    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {
        "reminder.review_overdue": 0,
        "reminder.review_escalated": 0,
        "reminder.council_meeting": 0,
        "reminder.silence_deadline": 0,
        "reminder.programme_year_ending": 0,
    }

    def record(kind: str, target: models.Model, data: dict) -> None:
        if reminder_record(kind=kind, target=target, data=data, on=today) is not None:
            counts[kind] += 1

    for request, due in selectors.requests_review_overdue(now=now):
        record("reminder.review_overdue", request, {"due": timezone.localdate(due).isoformat()})
    for request, due in selectors.requests_review_overdue(now=now, by_days=settings.ESCALATION_DAYS):
        days = (today - timezone.localdate(due)).days
        record(
            "reminder.review_escalated", request, {"due": timezone.localdate(due).isoformat(), "days": days}
        )
    for meeting, items in selectors.council_meetings_soon(
        on=today, within_days=settings.COUNCIL_REMINDER_DAYS
    ):
        record("reminder.council_meeting", meeting, {"date": meeting.date.isoformat(), "items": items})
    for item in selectors.agenda_items_silence_ending(on=today + datetime.timedelta(days=1)):
        deadline = timezone.localdate(item.silence_deadline)
        record("reminder.silence_deadline", item, {"deadline": deadline.isoformat()})
    for programme in selectors.programmes_without_successor(on=today):
        record("reminder.programme_year_ending", programme, {"next_year": programme.year + 1})
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
