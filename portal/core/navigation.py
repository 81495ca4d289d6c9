"""The header's menus, built from the same permission rules the pages check: no link leads to a refusal."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User


@dataclass(frozen=True)
class NavEntry:
    """One link of a menu: the URL name it opens, its label, and the rule that lets a user open it."""

    url_name: str
    label: Promise
    permission: str
    # The URL namespace whose pages mark this entry as the current section.
    section: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MAIN_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("partners:directory", _("Partners"), "portal.browse", "partners"),
    NavEntry("operations:list", _("Operations"), "portal.browse", "operations"),
    NavEntry("programmes:list", _("Programmes"), "portal.browse", "programmes"),
    # "My requests" lists the requests of an officer's desks: only those who may make requests see it.
    NavEntry("requests:list", _("My requests"), "workprogrammes.create_request", "requests"),
    NavEntry("requests:queue", _("Review queue"), "workprogrammes.use_review_queue", "requests"),
    NavEntry("council:meetings", _("Council"), "workprogrammes.manage_council", "council"),
    NavEntry("reports:index", _("Reports"), "reports.view_reports", "reports"),
)

# The signed-in user's own pages, beside their name.
USER_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("reports:calendar", _("My calendar feed"), "reports.use_calendar", "reports"),
    NavEntry("notifications:preferences", _("Notification preferences"), "portal.browse", "notifications"),
)


@dataclass(frozen=True)
class NavLink:
    """An entry as the header shows it to one user on one page."""

    url: str
    label: Promise
    url_name: str
    current: bool


def navigation_for(user: User, entries: tuple[NavEntry, ...], *, view_name: str = "") -> list[NavLink]:
    """The entries this user may open (asked of the permission rules alone: no query per entry).

    The current entry is the one whose page is shown, else the one of the page's section.
    """
    # The rules registry alone: the model-permission backend would read the user's permissions from the
    # database on every page, for rules that never depend on them.
    allowed = [entry for entry in entries if rules.has_perm(entry.permission, user)]
    exact = next((entry for entry in allowed if entry.url_name == view_name), None)
    namespace = view_name.split(":", 1)[0] if ":" in view_name else ""
    section = None if exact else next((e for e in allowed if e.section == namespace), None)
    return [
        NavLink(url=entry.url, label=entry.label, url_name=entry.url_name, current=entry in (exact, section))
        for entry in allowed
    ]
