"""Fan-out: an event becomes notifications for its audience and their delegates, and pending e-mails."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import Desk, User
from portal.accounts.selectors import delegation_delegates_by_principal

from .models import Delivery, Event, Notification, NotificationMode, NotificationPreference
from .registry import LINKS, ROUTES, RouteContext

logger = logging.getLogger(__name__)


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
