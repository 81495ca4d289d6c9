# ruff: noqa: E501  (the routing table keeps one line per kind, to be read as a table)
"""Who is told about the work programmes' events: ONE table, ROUTES, keyed by event kind, registered with
the notifications (portal/notifications/registry.py) when they start.

Adding a kind is one line in ROUTES: a label (shown on the preferences page), the sentence people read
(in their language; %(actor)s, %(target)s and the event's data keys are filled in), who receives it,
and whether it asks something of them (then the in-app notification cannot be switched off).

Audiences are functions of the event's context that return users. Events about an inclusion request or a
part of it (a comment, an agenda item) are about the request: only those whom the request page's rule
lets open it are told. The reminders the beat task records each day are read here too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import rules
from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Role, User
from portal.notifications.registry import (
    ReminderRecord,
    Reminders,
    Route,
    RouteContext,
    Subject,
    active_users,
    link_register,
    reminders_register,
    role_members,
    route,
    routes_register,
    subject_register,
)

from .council.models import AgendaItem, CouncilMeeting
from .programmes.models import WorkProgramme
from .requests.selectors import inclusion_requests_review_overdue, review_due

# Statuses after which a request has reached the council secretaries.
REACHED_COUNCIL = ("recommended", "not_recommended", "awaiting_council", "deferred")
# Roles that may read internal comments (see workprogrammes.models.Comment).
INTERNAL_COMMENT_READERS = (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR)


def _request_of(target: models.Model) -> Any:
    """The inclusion request an event is about, whether its target is the request or a part of it."""
    if hasattr(target, "requested_by_id"):
        return target
    return getattr(target, "request", None)


def _may_see_request(user: User, request: models.Model) -> bool:
    # The request page's own rule (workprogrammes.requests.permissions.request_is_visible), asked through
    # the rule set so that no superuser shortcut applies: who may not open the request is not told about it.
    return bool(rules.has_perm("workprogrammes.view_request", user, request))


def _request_title(request: Any) -> str:
    return str(request.activity_title or "")


def _active() -> QuerySet[User]:
    return active_users()


def _role(role: str) -> QuerySet[User]:
    return role_members(role)


def requester(ctx: RouteContext) -> Iterable[User]:
    """The officer who made the request."""
    return [ctx.subject.requested_by] if ctx.subject is not None else []


def reviewer(ctx: RouteContext) -> Iterable[User]:
    """The reviewer assigned to the request, if any."""
    if ctx.subject is None or ctx.subject.reviewer_id is None:
        return []
    return [ctx.subject.reviewer]


def desk_reviewers(ctx: RouteContext) -> Iterable[User]:
    """Reviewers who are members of the request's desk; all reviewers if the desk has none."""
    reviewers = _role(Role.REVIEWER)
    if ctx.subject is None:
        return reviewers
    on_desk = reviewers.filter(desks=ctx.subject.desk_id)
    return on_desk if on_desk.exists() else reviewers


def all_reviewers(ctx: RouteContext) -> Iterable[User]:
    """Everyone with the reviewer role (the reviewer group)."""
    return _role(Role.REVIEWER)


def council_secretaries(ctx: RouteContext) -> Iterable[User]:
    """Everyone with the council secretary role."""
    return _role(Role.COUNCIL_SECRETARY)


def watchers(ctx: RouteContext) -> Iterable[User]:
    """People who chose to follow the request."""
    return ctx.subject.watchers.all() if ctx.subject is not None else []


def desk_head(ctx: RouteContext) -> Iterable[User]:
    """The head of the request's desk."""
    if ctx.subject is None or ctx.subject.desk.head_id is None:
        return []
    return [ctx.subject.desk.head]


def commenters(ctx: RouteContext) -> Iterable[User]:
    """Everyone who has commented on the request."""
    if ctx.subject is None:
        return []
    return _active().filter(pk__in=ctx.subject.comments.values("author_id"))


def participants(ctx: RouteContext) -> Iterable[User]:
    """The request's participants: requester, reviewer, watchers and commenters.

    An internal comment is told only to those of them who may read internal comments.
    """
    people = [*requester(ctx), *reviewer(ctx), *watchers(ctx), *commenters(ctx)]
    if _comment_visibility(ctx) == "internal":
        readers = set(
            _active()
            .filter(Q(groups__name__in=INTERNAL_COMMENT_READERS) | Q(is_superuser=True))
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        people = [p for p in people if p.pk in readers]
    return people


def _comment_visibility(ctx: RouteContext) -> str:
    if hasattr(ctx.target, "visibility"):
        return str(ctx.target.visibility)
    return str(ctx.event.data.get("visibility", ""))


def reviewer_and_secretaries_it_reached(ctx: RouteContext) -> Iterable[User]:
    """On withdrawal: the assigned reviewer, and the secretaries if the request had reached them."""
    people = list(reviewer(ctx))
    if ctx.subject is None:
        return people
    reached = ctx.event.data.get("from_status") in REACHED_COUNCIL or (
        ctx.subject.status_changes.filter(to_status__in=REACHED_COUNCIL).exists()
    )
    if reached:
        people.extend(council_secretaries(ctx))
    return people


def previous_reviewer(ctx: RouteContext) -> Iterable[User]:
    """On a reassignment: the reviewer the review was taken from, if any."""
    previous_id = ctx.event.data.get("previous_reviewer_id")
    return _active().filter(pk=previous_id) if previous_id else []


def reassign_path(ctx: RouteContext, recipient: User) -> str | None:
    """The page where the desk's head (or an administrator) gives the review to another reviewer, for
    those who may (the request's own rule, asked through the rule set); the others get the request."""
    if ctx.subject is None or not rules.has_perm("workprogrammes.reassign_review", recipient, ctx.subject):
        return None
    return reverse("requests:reassign", args=[ctx.subject.reference])


def reviewer_or_desk_reviewers(ctx: RouteContext) -> Iterable[User]:
    """The assigned reviewer; the desk's reviewers while nobody has taken the request."""
    return reviewer(ctx) or desk_reviewers(ctx)


def programme_desk_officers(ctx: RouteContext) -> Iterable[User]:
    """Officers on the desks that handle the programme's partner."""
    partner_id = getattr(ctx.target, "partner_id", None)
    return _role(Role.OFFICER).filter(desks__partners=partner_id).distinct()


def programme_desk_heads(ctx: RouteContext) -> Iterable[User]:
    """The heads of the desks that handle the programme's partner."""
    partner_id = getattr(ctx.target, "partner_id", None)
    return _active().filter(headed_desks__partners=partner_id).distinct()


_DECIDED = (requester, reviewer, watchers)

# fmt: off
ROUTES: dict[str, Route] = {
    # Inclusion request workflow (emitted by workprogrammes.requests and workprogrammes.council)
    "request.submitted": route(_("A request is submitted"), _("%(actor)s submitted %(target)s for review."), desk_reviewers, action_owed=True),
    "request.resubmitted": route(_("A request is resubmitted"), _("%(actor)s resubmitted %(target)s after changes."), desk_reviewers, reviewer, action_owed=True),
    "request.review_started": route(_("Review of my request starts"), _("%(actor)s started reviewing %(target)s."), requester),
    "request.returned": route(_("My request is returned for changes"), _("%(actor)s returned %(target)s for changes."), requester, action_owed=True),
    "request.recommended": route(_("A request is recommended"), _("%(actor)s recommended %(target)s to the Council."), council_secretaries, action_owed=True),
    "request.not_recommended": route(_("A request is not recommended"), _("%(actor)s did not recommend %(target)s."), council_secretaries, action_owed=True),
    "request.sent_to_council": route(_("A request awaits the Council"), _("%(target)s is awaiting a North Atlantic Council decision."), council_secretaries, action_owed=True),
    "request.closed_exempt": route(_("A request is closed as exempt"), _("%(actor)s closed %(target)s as approved (exempt)."), *_DECIDED),
    "request.approved": route(_("The Council approves a request"), _("The North Atlantic Council approved %(target)s."), *_DECIDED),
    "request.rejected": route(_("The Council rejects a request"), _("The North Atlantic Council rejected %(target)s."), *_DECIDED),
    "request.deferred": route(_("The Council defers a request"), _("The North Atlantic Council deferred %(target)s."), *_DECIDED),
    "request.reassigned": route(_("A review is reassigned"), _("%(actor)s gave the review of %(target)s to %(reviewer_name)s: %(reason)s"), reviewer, previous_reviewer, action_owed=True),
    "request.withdrawn": route(_("A request is withdrawn"), _("%(actor)s withdrew %(target)s."), reviewer_and_secretaries_it_reached),
    "request.commented": route(_("A comment on a request I take part in"), _("%(actor)s commented on %(target)s."), participants),
    "request.silence_started": route(_("A request is put under silence"), _("%(target)s is under the silence procedure."), requester, watchers),
    "request.silence_broken": route(_("Silence is broken on a request"), _("Silence was broken on %(target)s."), council_secretaries, requester),
    # Annual programmes (emitted by workprogrammes.programmes)
    "programme.proposed": route(_("A programme is proposed"), _("%(actor)s proposed %(target)s (%(requests)s inclusion requests created)."), programme_desk_officers, programme_desk_heads),
    "programme.agreed": route(_("A programme is agreed"), _("%(target)s is agreed with the partner (%(reference)s)."), programme_desk_officers, programme_desk_heads),
    "programme.activated": route(_("A programme starts"), _("%(actor)s started %(target)s."), programme_desk_officers, programme_desk_heads),
    "programme.closed": route(_("A programme is closed"), _("%(actor)s closed %(target)s."), programme_desk_officers, programme_desk_heads),
    "programme.amended": route(_("An agreed programme is amended"), _("%(actor)s amended %(target)s: %(reason)s"), programme_desk_officers, programme_desk_heads),
    # Reminders and escalation (emitted by the beat tasks in tasks.py)
    "reminder.review_overdue": route(_("Reminder: a review is overdue"), _("The review of %(target)s is overdue (due %(due)s)."), reviewer_or_desk_reviewers, action_owed=True),
    "reminder.review_escalated": route(_("Escalation: a review is long overdue"), _("Escalation: the review of %(target)s is %(days)s days overdue; reassign it to another reviewer."), all_reviewers, desk_head, action_owed=True, link=reassign_path),
    "reminder.council_meeting": route(_("Reminder: a Council meeting is near"), _("Council meeting %(target)s on %(date)s has %(items)s items on its agenda."), council_secretaries, action_owed=True),
    "reminder.silence_deadline": route(_("Reminder: a silence deadline is tomorrow"), _("The silence procedure on %(target)s ends on %(deadline)s."), council_secretaries, requester),
    "reminder.programme_year_ending": route(_("Reminder: next year's programme is missing"), _("%(target)s ends this year and no programme for %(next_year)s exists yet."), programme_desk_officers, action_owed=True),
}
# fmt: on


# --- Reminders (the beat task records them; each at most once per subject and day) -------------------


def requests_review_overdue(
    *, now: datetime.datetime, by_days: int = 0
) -> Iterator[tuple[Any, datetime.datetime]]:
    """(request, due) for requests waiting for review past their due time (plus `by_days`).

    A request without a due time is due REVIEW_SERVICE_LEVEL_DAYS after it was submitted.
    """
    for request in inclusion_requests_review_overdue(now=now, by_days=by_days):
        due = review_due(request)
        if due is not None:
            yield request, due


def council_meetings_soon(*, on: datetime.date, within_days: int) -> Iterator[tuple[Any, int]]:
    """(meeting, open agenda items) for planned meetings within the next days that have items."""
    meetings = (
        CouncilMeeting.objects.filter(
            status=CouncilMeeting.Status.PLANNED,
            date__gt=on,
            date__lte=on + datetime.timedelta(days=within_days),
        )
        .annotate(
            items=Count(
                "agenda_items",
                filter=Q(
                    agenda_items__status__in=[AgendaItem.Status.SCHEDULED, AgendaItem.Status.UNDER_SILENCE]
                ),
            )
        )
        .filter(items__gt=0)
        .order_by("date", "pk")
    )
    for meeting in meetings:
        yield meeting, meeting.items


def agenda_items_silence_ending(*, on: datetime.date) -> QuerySet[Any]:
    """Agenda items still under silence whose deadline falls on that day."""
    start = timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))
    return (
        AgendaItem.objects.filter(
            status=AgendaItem.Status.UNDER_SILENCE,
            silence_deadline__gte=start,
            silence_deadline__lt=start + datetime.timedelta(days=1),
        )
        .select_related("request", "meeting")
        .order_by("pk")
    )


def programmes_without_successor(*, on: datetime.date) -> QuerySet[Any]:
    """From December 1st: this year's programmes whose partner has no programme for next year."""
    if on.month != 12:
        return WorkProgramme.objects.none()
    next_year = WorkProgramme.objects.filter(partner=OuterRef("partner"), year=on.year + 1)
    return (
        WorkProgramme.objects.filter(year=on.year)
        .exclude(status=WorkProgramme.Status.CLOSED)
        .filter(~Exists(next_year))
        .select_related("partner")
        .order_by("pk")
    )


def _reminders_due(now: datetime.datetime, today: datetime.date, record: ReminderRecord) -> None:
    """Overdue reviews, escalations, meetings, silences, programmes."""
    for request, due in requests_review_overdue(now=now):
        record("reminder.review_overdue", request, {"due": timezone.localdate(due).isoformat()})
    for request, due in requests_review_overdue(now=now, by_days=settings.ESCALATION_DAYS):
        days = (today - timezone.localdate(due)).days
        record(
            "reminder.review_escalated", request, {"due": timezone.localdate(due).isoformat(), "days": days}
        )
    for meeting, items in council_meetings_soon(on=today, within_days=settings.COUNCIL_REMINDER_DAYS):
        record("reminder.council_meeting", meeting, {"date": meeting.date.isoformat(), "items": items})
    for item in agenda_items_silence_ending(on=today + datetime.timedelta(days=1)):
        deadline = timezone.localdate(item.silence_deadline)
        record("reminder.silence_deadline", item, {"deadline": deadline.isoformat()})
    for programme in programmes_without_successor(on=today):
        record("reminder.programme_year_ending", programme, {"next_year": programme.year + 1})


routes_register(ROUTES)
subject_register(
    Subject(
        model="workprogrammes.inclusionrequest",
        find=_request_of,
        may_see=_may_see_request,
        title=_request_title,
    )
)
link_register("workprogrammes.inclusionrequest", "requests:detail", lambda obj: {"key": obj.reference})
link_register("workprogrammes.councilmeeting", "council:meeting", lambda obj: {"pk": obj.pk})
link_register("workprogrammes.workprogramme", "programmes:detail", lambda obj: {"pk": obj.pk})
reminders_register(
    name="workprogrammes",
    reminders=Reminders(
        kinds=(
            "reminder.review_overdue",
            "reminder.review_escalated",
            "reminder.council_meeting",
            "reminder.silence_deadline",
            "reminder.programme_year_ending",
        ),
        record_due=_reminders_due,
    ),
)
