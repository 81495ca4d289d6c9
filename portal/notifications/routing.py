# ruff: noqa: E501  (the routing table keeps one line per kind, to be read as a table)
"""Who is told about which event: ONE table, ROUTES, keyed by event kind.

Adding a kind is one line in ROUTES: a label (shown on the preferences page), the sentence people read
(in their language; %(actor)s, %(target)s and the event's data keys are filled in), who receives it,
and whether it asks something of them (then the in-app notification cannot be switched off).

Audiences are functions of the event's context that return users. The actor is never told about
their own action, inactive users are never told, and nobody is told about a record whose marking is
above their clearance; a delegate also receives what their principal receives (see services.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Role, User

from .models import Event

# Statuses after which a request has reached the council secretaries.
REACHED_COUNCIL = ("recommended", "not_recommended", "awaiting_council", "deferred")
# Roles that may read internal comments (see workprogrammes.models.Comment).
INTERNAL_COMMENT_READERS = (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR)


@dataclass
class RouteContext:
    """The event being routed and the records it is about."""

    event: Event
    target: models.Model

    @cached_property
    def request(self) -> Any:
        """The inclusion request the event is about, whether its target is the request or a part of it."""
        if hasattr(self.target, "requested_by_id"):
            return self.target
        return getattr(self.target, "request", None)


Audience = Callable[[RouteContext], Iterable[User]]


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def _role(role: str) -> QuerySet[User]:
    # Routing follows explicit role membership: superusers hold every role for permissions, but are
    # not sent every reviewer's and secretary's mail.
    return _active().filter(groups__name=role)


def requester(ctx: RouteContext) -> Iterable[User]:
    """The officer who made the request."""
    return [ctx.request.requested_by] if ctx.request is not None else []


def reviewer(ctx: RouteContext) -> Iterable[User]:
    """The reviewer assigned to the request, if any."""
    if ctx.request is None or ctx.request.reviewer_id is None:
        return []
    return [ctx.request.reviewer]


def desk_reviewers(ctx: RouteContext) -> Iterable[User]:
    """Reviewers who are members of the request's desk; all reviewers if the desk has none."""
    reviewers = _role(Role.REVIEWER)
    if ctx.request is None:
        return reviewers
    on_desk = reviewers.filter(desks=ctx.request.desk_id)
    return on_desk if on_desk.exists() else reviewers


def all_reviewers(ctx: RouteContext) -> Iterable[User]:
    """Everyone with the reviewer role (the reviewer group)."""
    return _role(Role.REVIEWER)


def council_secretaries(ctx: RouteContext) -> Iterable[User]:
    """Everyone with the council secretary role."""
    return _role(Role.COUNCIL_SECRETARY)


def watchers(ctx: RouteContext) -> Iterable[User]:
    """People who chose to follow the request."""
    return ctx.request.watchers.all() if ctx.request is not None else []


def desk_head(ctx: RouteContext) -> Iterable[User]:
    """The head of the request's desk."""
    if ctx.request is None or ctx.request.desk.head_id is None:
        return []
    return [ctx.request.desk.head]


def commenters(ctx: RouteContext) -> Iterable[User]:
    """Everyone who has commented on the request."""
    if ctx.request is None:
        return []
    return _active().filter(pk__in=ctx.request.comments.values("author_id"))


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
    if ctx.request is None:
        return people
    reached = ctx.event.data.get("from_status") in REACHED_COUNCIL or (
        ctx.request.status_changes.filter(to_status__in=REACHED_COUNCIL).exists()
    )
    if reached:
        people.extend(council_secretaries(ctx))
    return people


def previous_reviewer(ctx: RouteContext) -> Iterable[User]:
    """On a reassignment: the reviewer the review was taken from, if any."""
    previous_id = ctx.event.data.get("previous_reviewer_id")
    return _active().filter(pk=previous_id) if previous_id else []


def reassign_path(ctx: RouteContext) -> str | None:
    """The page where the desk's head (or an administrator) gives the review to another reviewer."""
    if ctx.request is None:
        return None
    return reverse("requests:reassign", args=[ctx.request.reference])


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


def export_owner(ctx: RouteContext) -> Iterable[User]:
    """The user who asked for the export (portal.reports.models.ExportJob)."""
    owner = getattr(ctx.target, "user", None)
    return [owner] if owner is not None else []


# Where a subject is shown, for models without get_absolute_url: model label -> (URL name, kwargs).
LINKS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "workprogrammes.inclusionrequest": ("requests:detail", lambda obj: {"key": obj.reference}),
    "workprogrammes.councilmeeting": ("council:meeting", lambda obj: {"pk": obj.pk}),
    "workprogrammes.workprogramme": ("programmes:detail", lambda obj: {"pk": obj.pk}),
}


@dataclass(frozen=True)
class Route:
    label: str | Promise
    text: str | Promise
    to: tuple[Audience, ...]
    action_owed: bool = False
    # Where the notification leads, when not to the record's own page (e.g. the reassignment form).
    link: Callable[[RouteContext], str | None] | None = None


def route(
    label: str | Promise,
    text: str | Promise,
    *to: Audience,
    action_owed: bool = False,
    link: Callable[[RouteContext], str | None] | None = None,
) -> Route:
    return Route(label=label, text=text, to=to, action_owed=action_owed, link=link)


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
    # Reports (emitted by portal.reports.services when a background export is written)
    "export.ready": route(_("An export I asked for is ready"), _("Your export %(target)s is ready to download (%(rows)s rows)."), export_owner),
}
# fmt: on
