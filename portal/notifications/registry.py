"""What the apps tell the notifications about: event kinds and who is told, the records events are about,
where they are shown, and the reminders due each day.

The notifications are a mechanism: they know no app's records. Each app that emits events registers its
routes in a `notifications.py` module of its own, which NotificationsConfig.ready() imports
(autodiscover_modules), so that every kind is known before the first event is fanned out:

- `routes_register`: per event kind, a label (shown on the preferences page), the sentence people read
  (in their language; %(actor)s, %(target)s and the event's data keys are filled in), who receives it
  (audiences: functions of the event's context that return users), and whether it asks something of
  them (then the in-app notification cannot be switched off);
- `subject_register`: the record an event is about when its target is a part of it (a comment, an
  agenda item: the request they belong to), who may see that record, and its title for the e-mails;
- `link_register`: the page of a record that has no get_absolute_url;
- `reminders_register`: the reminders an app records each day (the beat task calls them all).

The actor is never told about their own action, inactive users are never told, and nobody is told about a
record whose marking is above their clearance (or whom its visibility rule refuses); a delegate also
receives what their principal receives (see fan_out.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

from portal.accounts.models import User

from .models import Event


@dataclass(frozen=True)
class Subject:
    """A kind of record that events are about, with its parts: how to find it from an event's target, who
    may see it (asked for every recipient), and its title in the active language (for the e-mails)."""

    model: str
    find: Callable[[models.Model], models.Model | None]
    may_see: Callable[[User, models.Model], bool]
    title: Callable[[models.Model], str]


SUBJECTS: dict[str, Subject] = {}


def subject_register(subject: Subject) -> None:
    """Register a kind of record events are about (`model`: its label, e.g. "app.model", lower case)."""
    SUBJECTS[subject.model] = subject


@dataclass
class RouteContext:
    """The event being routed and the records it is about."""

    event: Event
    target: models.Model

    @cached_property
    def subject(self) -> Any:
        """The registered record the event is about, whether its target is that record or a part of it;
        None when the target belongs to no registered subject (it is then its own subject)."""
        for subject in SUBJECTS.values():
            found = subject.find(self.target)
            if found is not None:
                return found
        return None

    @property
    def subject_kind(self) -> Subject | None:
        return SUBJECTS.get(self.subject._meta.label_lower) if self.subject is not None else None


Audience = Callable[[RouteContext], Iterable[User]]


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def role_members(role: str) -> QuerySet[User]:
    """Active members of the role's group. Routing follows explicit role membership: superusers hold every
    role for permissions, but are not sent every reviewer's and secretary's mail."""
    return active_users().filter(groups__name=role)


@dataclass(frozen=True)
class Route:
    label: str | Promise
    text: str | Promise
    to: tuple[Audience, ...]
    action_owed: bool = False
    # Where the notification leads each recipient, when not to the record's own page (e.g. the
    # reassignment form, for those who may reassign); None: the record's page.
    link: Callable[[RouteContext, User], str | None] | None = None


def route(
    label: str | Promise,
    text: str | Promise,
    *to: Audience,
    action_owed: bool = False,
    link: Callable[[RouteContext, User], str | None] | None = None,
) -> Route:
    return Route(label=label, text=text, to=to, action_owed=action_owed, link=link)


# Who is told about which event, keyed by event kind, in the order the apps registered them.
ROUTES: dict[str, Route] = {}


def routes_register(routes: dict[str, Route]) -> None:
    """Add an app's event kinds; one kind given two different routes is a mistake."""
    taken = sorted(kind for kind, given in routes.items() if ROUTES.get(kind, given) is not given)
    if taken:
        raise ValueError(f"Event kinds registered twice: {taken}")
    ROUTES.update(routes)


# Where a subject is shown, for models without get_absolute_url: model label -> (URL name, kwargs).
LINKS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {}


def link_register(model: str, url_name: str, kwargs: Callable[[Any], dict[str, Any]]) -> None:
    LINKS[model] = (url_name, kwargs)


# Record one reminder: (kind, target, data); recorded at most once per subject and day.
ReminderRecord = Callable[[str, models.Model, dict], None]


@dataclass(frozen=True)
class Reminders:
    """The reminders of some kinds: `record_due(now, today, record)` records each one due now."""

    kinds: tuple[str, ...]
    record_due: Callable[[datetime.datetime, datetime.date, ReminderRecord], None]


REMINDERS: dict[str, Reminders] = {}


def reminders_register(*, name: str, reminders: Reminders) -> None:
    REMINDERS[name] = reminders
