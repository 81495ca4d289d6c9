"""The URL of every route of the portal (admin aside) for the records of tests/security/world.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.matrix import UrlFor, url, with_query
from tests.security.world import World


def _iso(world: World) -> str:
    return str(world.partner.iso_code)


def _pk(name: str):
    return lambda world: getattr(world, name).pk


URLS: dict[str, UrlFor] = {
    # Sign-in, language, the dashboard
    "home": url("home"),
    "login": url("login"),
    "logout": url("logout"),
    "set_language": url("set_language"),
    "javascript-catalog": url("javascript-catalog"),
    "security:otp-setup": url("security:otp-setup"),
    "security:otp-verify": url("security:otp-verify"),
    # Partners
    "partners:directory": url("partners:directory"),
    "partners:profile": url("partners:profile", iso_code=_iso),
    "partners:cooperation_edit": url("partners:cooperation_edit", iso_code=_iso),
    "partners:history": url("partners:history", iso_code=_iso),
    "partners:outcomes": url("partners:outcomes", iso_code=_iso),
    "partners:record_create": url("partners:record_create", iso_code=_iso, kind=lambda w: "milestone"),
    "partners:record_edit": url(
        "partners:record_edit", iso_code=_iso, kind=lambda w: "milestone", pk=_pk("milestone")
    ),
    # Operations
    "operations:list": url("operations:list"),
    "operations:detail": url("operations:detail", code=lambda w: w.operation.code),
    # Programmes and the catalogue
    "programmes:list": url("programmes:list"),
    "programmes:detail": url("programmes:detail", pk=_pk("programme")),
    "programmes:start": url("programmes:start"),
    "programmes:edit": url("programmes:edit", pk=_pk("programme")),
    "programmes:catalogue_menu": url("programmes:catalogue_menu", pk=_pk("programme")),
    "programmes:activity_add": url("programmes:activity_add", pk=_pk("programme"), item_pk=_pk("item")),
    "programmes:step": url("programmes:step", pk=_pk("programme"), step=lambda w: "propose"),
    "programmes:activity_detail": url("programmes:activity_detail", pk=_pk("activity")),
    "programmes:activity_edit": url("programmes:activity_edit", pk=_pk("activity")),
    "programmes:activity_remove": url("programmes:activity_remove", pk=_pk("activity")),
    "programmes:activity_step": url("programmes:activity_step", pk=_pk("activity"), step=lambda w: "confirm"),
    "programmes:catalogue_import": url("programmes:catalogue_import"),
    "programmes:catalogue_import_preview": url(
        "programmes:catalogue_import_preview", pk=_pk("catalogue_import")
    ),
    # Inclusion requests
    "requests:list": url("requests:list"),
    "requests:create": url("requests:create"),
    "requests:queue": url("requests:queue"),
    "requests:queue_bulk": url("requests:queue_bulk"),
    "requests:attachment": url("requests:attachment", pk=_pk("attachment")),
    "requests:detail": url("requests:detail", key=lambda w: w.request.reference),
    "requests:edit": url("requests:edit", key=lambda w: w.request.reference),
    "requests:act": url("requests:act", key=lambda w: w.request.reference, action=lambda w: "start_review"),
    "requests:comment": url("requests:comment", key=lambda w: w.request.reference),
    "requests:attach": url("requests:attach", key=lambda w: w.request.reference),
    # The Council
    "council:meetings": url("council:meetings"),
    "council:meeting": url("council:meeting", pk=_pk("meeting")),
    "council:agenda": url("council:agenda", pk=_pk("meeting")),
    "council:sheet": url("council:sheet", pk=_pk("meeting")),
    "council:silence": url("council:silence", pk=_pk("meeting")),
    "council:silence_break": url("council:silence_break", item_pk=_pk("agenda_item")),
    "council:print": url("council:print", pk=_pk("meeting")),
    "council:item_move": url("council:item_move", item_pk=_pk("agenda_item")),
    "council:item_remove": url("council:item_remove", item_pk=_pk("agenda_item")),
    # Notifications and delegation (the officer's own records)
    "notifications:list": url("notifications:list"),
    "notifications:bell": url("notifications:bell"),
    "notifications:read": url("notifications:read", pk=_pk("notification")),
    "notifications:read-all": url("notifications:read-all"),
    "notifications:preferences": url("notifications:preferences"),
    "notifications:delegation": url("notifications:delegation"),
    "notifications:delegation-end": url("notifications:delegation-end", pk=_pk("delegation")),
    # The user's API tokens (the officer's token)
    "accounts:api-tokens": url("accounts:api-tokens"),
    "accounts:api-token-revoke": url("accounts:api-token-revoke", digest=lambda w: w.token.digest),
    # Reports (the analyst's export job, the viewer's calendar feed)
    "reports:index": url("reports:index"),
    "reports:partner-pdf": url("reports:partner-pdf"),
    "reports:programme-pdf-find": url("reports:programme-pdf-find"),
    "reports:programme-pdf": url("reports:programme-pdf", pk=_pk("programme")),
    "reports:job": url("reports:job", pk=_pk("export_job")),
    "reports:job-progress": url("reports:job-progress", pk=_pk("export_job")),
    "reports:job-download": url("reports:job-download", pk=_pk("export_job")),
    "reports:calendar": url("reports:calendar"),
    "reports:calendar-regenerate": url("reports:calendar-regenerate"),
    "reports:report": url("reports:report", slug=lambda w: "contributions"),
    "reports:export": url("reports:export", slug=lambda w: "contributions"),
    "calendar-feed": url("calendar-feed", token=lambda w: w.feed.token),
    # Operations endpoints
    "healthz": url("healthz"),
    "readyz": url("readyz"),
    "metrics": url("metrics"),
    # The API
    "api:root": url("api:root"),
    "api:partner-list": url("api:partner-list"),
    "api:partner-detail": url("api:partner-detail", iso_code=_iso),
    "api:region-list": url("api:region-list"),
    "api:region-detail": url("api:region-detail", code=lambda w: w.partner.region.code),
    "api:area-list": url("api:area-list"),
    "api:area-detail": url("api:area-detail", code=lambda w: w.item.area.code),
    "api:framework-list": url("api:framework-list"),
    "api:framework-detail": url("api:framework-detail", code=lambda w: w.partner.framework.code),
    "api:request-reassign": url("api:request-reassign", pk=_pk("request")),
    "api:request-bulk": url("api:request-bulk"),
    "requests:reassign": url("requests:reassign", key=lambda w: w.request.reference),
    "api:operation-list": url("api:operation-list"),
    "api:operation-detail": url("api:operation-detail", code=lambda w: w.operation.code),
    "api:contribution-list": url("api:contribution-list"),
    "api:catalogue-item-list": url("api:catalogue-item-list"),
    "api:catalogue-item-detail": url("api:catalogue-item-detail", pk=_pk("item")),
    "api:programme-list": url("api:programme-list"),
    "api:programme-detail": url("api:programme-detail", pk=_pk("programme")),
    "api:activity-list": url("api:activity-list"),
    "api:activity-detail": url("api:activity-detail", pk=_pk("activity")),
    "api:request-list": url("api:request-list"),
    "api:request-detail": url("api:request-detail", pk=_pk("request")),
    "api:request-revisions": url("api:request-revisions", pk=_pk("request")),
    "api:request-comments": url("api:request-comments", pk=_pk("request")),
    "api:request-attachments": url("api:request-attachments", pk=_pk("request")),
    "api:attachment-download": url("api:attachment-download", pk=_pk("attachment")),
    "api:council-meeting-list": url("api:council-meeting-list"),
    "api:council-meeting-detail": url("api:council-meeting-detail", pk=_pk("meeting")),
    "api:council-agenda": url("api:council-agenda", pk=_pk("meeting")),
    "api:council-sheet": url("api:council-sheet", pk=_pk("meeting")),
    "api:council-silence": url("api:council-silence", pk=_pk("meeting")),
    "api:council-break-silence": url("api:council-break-silence", pk=_pk("agenda_item")),
    "api:council-agenda-candidates": url("api:council-agenda-candidates"),
    "api:notification-list": url("api:notification-list"),
    "api:notification-unread-count": url("api:notification-unread-count"),
    "api:notification-read-all": url("api:notification-read-all"),
    "api:notification-preferences": url("api:notification-preferences"),
    "api:delegation-list": url("api:delegation-list"),
    "api:delegation-end": url("api:delegation-end", pk=_pk("delegation")),
    "api:notification-read": url("api:notification-read", pk=_pk("notification")),
    "api-schema": url("api-schema"),
    "api-docs": url("api-docs"),
    "api-redoc": url("api-redoc"),
    "api-unknown": lambda world: "/api/v9/nothing-here/",
}

# The workflow actions of the API, each on the world's submitted request.
for _action in (
    "submit",
    "resubmit",
    "start-review",
    "return",
    "recommend",
    "not-recommend",
    "close-exempt",
    "send-to-council",
    "withdraw",
    "decision",
    "reschedule",
):
    URLS[f"api:request-{_action}"] = url(f"api:request-{_action}", pk=_pk("request"))

# The API's programme builder, partner records, reports, exports and calendar feed.
for _step in ("activities", "propose", "agree", "activate", "close", "amendments", "coverage", "timeline"):
    URLS[f"api:programme-{_step}"] = url(f"api:programme-{_step}", pk=_pk("programme"))
for _step in ("confirm", "hold", "cancel", "outcome"):
    URLS[f"api:activity-{_step}"] = url(f"api:activity-{_step}", pk=_pk("activity"))
for _name in (
    "history",
    "cooperation",
    "milestones",
    "dialogue-meetings",
    "liaison-arrangements",
    "contributions",
):
    URLS[f"api:partner-{_name}"] = url(f"api:partner-{_name}", iso_code=_iso)
for _name in ("milestones", "dialogue-meetings", "liaison-arrangements", "contributions"):
    URLS[f"api:partner-{_name}-detail"] = url(
        f"api:partner-{_name}-detail", iso_code=_iso, pk=_pk("milestone")
    )
URLS["api:catalogue-imports"] = url("api:catalogue-imports")
for _name in ("catalogue-import-detail", "catalogue-import-confirm", "catalogue-import-discard"):
    URLS[f"api:{_name}"] = url(f"api:{_name}", pk=_pk("catalogue_import"))
URLS["api:report-list"] = url("api:report-list")
URLS["api:report-rows"] = url("api:report-rows", slug=lambda w: "contributions")
URLS["api:report-export"] = url("api:report-export", slug=lambda w: "contributions")
URLS["api:export-list"] = url("api:export-list")
URLS["api:export-detail"] = url("api:export-detail", pk=_pk("export_job"))
URLS["api:export-download"] = url("api:export-download", pk=_pk("export_job"))
URLS["api:calendar-feed-url"] = url("api:calendar-feed-url")
URLS["api:calendar-feed-regenerate"] = url("api:calendar-feed-regenerate")

# Reports' PDF pages with the partner chosen, as their forms send it.
URLS["reports:partner-pdf"] = with_query(
    url("reports:partner-pdf"), lambda w: f"partner={w.partner.iso_code}"
)


# POST bodies that pass validation where an empty one would not, so that the permission check decides.
_REASON = {"reason": "Checked against the catalogue and the partner's programme."}
BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    **{
        f"api:request-{action}": (lambda w: _REASON)
        for action in ("return", "not-recommend", "close-exempt", "withdraw")
    },
    "api:request-decision": lambda w: {
        "outcome": "approved",
        "reference": "C-M(2027)0001",
        "meeting": w.meeting.pk,
    },
    "api:request-reschedule": lambda w: {"meeting": w.meeting.pk},
}
