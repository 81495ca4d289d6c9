"""The reports' event for the notifications (registered when they start: portal/notifications/registry.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.notifications.registry import RouteContext, route, routes_register


def export_owner(ctx: RouteContext) -> Iterable[User]:
    """The user who asked for the export (portal.reports.models.ExportJob)."""
    owner = getattr(ctx.target, "user", None)
    return [owner] if owner is not None else []


# Emitted by portal.reports.services when a background export is written.
routes_register(
    {
        "export.ready": route(
            _("An export I asked for is ready"),
            _("Your export %(target)s is ready to download (%(rows)s rows)."),
            export_owner,
        ),
    }
)
