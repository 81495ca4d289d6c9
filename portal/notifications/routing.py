"""Who is told about which event: ONE table, ROUTES, keyed by event kind."""

from __future__ import annotations

ROUTES: dict[str, object] = {
    kind: None
    for kind in (
        "request.submitted",
        "request.resubmitted",
        "request.review_started",
        "request.returned",
        "request.recommended",
        "request.not_recommended",
        "request.closed_exempt",
        "request.sent_to_council",
        "request.approved",
        "request.rejected",
        "request.deferred",
        "request.withdrawn",
        "request.commented",
        "request.silence_started",
        "request.silence_broken",
    )
}
