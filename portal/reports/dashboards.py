"""The home dashboard: one panel per role the user holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from portal.accounts.models import Role, User

from .overview import AnalystPanel, analyst_panel, overview_cache_key
from .panels import (
    OfficerPanel,
    ReviewerPanel,
    SecretaryPanel,
    officer_panel,
    reviewer_panel,
    secretary_panel,
)


@dataclass
class Dashboard:
    user: User
    officer: OfficerPanel | None = None
    reviewer: ReviewerPanel | None = None
    secretary: SecretaryPanel | None = None
    panels: list[str] = field(default_factory=list)
    now: datetime.datetime | None = None
    # The partner the overview's contributions chart is narrowed to (None: every partner).
    partner: Partner | None = None
    # The overview's cache key (overview_cache_key): the page caches its rendered overview under it.
    overview_key: str = ""

    @cached_property
    def analyst(self) -> AnalystPanel | None:
        """The overview, computed when first read (a page whose overview is cached never reads it)."""
        if "analyst" not in self.panels:
            return None
        return analyst_panel(user=self.user, now=self.now, partner=self.partner)


PANEL_ROLES: dict[str, tuple[str, ...]] = {
    "officer": (Role.OFFICER,),
    "reviewer": (Role.REVIEWER,),
    "secretary": (Role.COUNCIL_SECRETARY,),
    # "Analyst and staff": analysts, viewers (staff) and administrators see the overview.
    "analyst": (Role.ANALYST, Role.VIEWER, Role.ADMINISTRATOR),
}

PANEL_TITLES: dict[str, str | Promise] = {
    "officer": _("My requests"),
    "reviewer": _("Review queue"),
    "secretary": _("The Council"),
    "analyst": _("Overview"),
}


def dashboard_for(
    *, user: User, now: datetime.datetime | None = None, partner: Partner | None = None
) -> Dashboard:
    """The home dashboard: one panel per role the user holds, each limited to what the user may see."""
    now = now or timezone.now()
    dashboard = Dashboard(user=user, now=now, partner=partner)
    if user.has_role(*PANEL_ROLES["officer"]):
        dashboard.officer = officer_panel(user=user)
        dashboard.panels.append("officer")
    if user.has_role(*PANEL_ROLES["reviewer"]):
        dashboard.reviewer = reviewer_panel(user=user, now=now)
        dashboard.panels.append("reviewer")
    if user.has_role(*PANEL_ROLES["secretary"]):
        dashboard.secretary = secretary_panel(user=user, now=now)
        dashboard.panels.append("secretary")
    if user.has_role(*PANEL_ROLES["analyst"]):
        dashboard.overview_key = overview_cache_key(user=user, now=now, partner=partner)
        dashboard.panels.append("analyst")
    return dashboard
