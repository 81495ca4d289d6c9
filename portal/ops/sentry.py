"""Error reporting to Sentry, switched on by SENTRY_DSN (nothing is sent anywhere without it)."""

from __future__ import annotations

from typing import Any


def _tag_request_id(event: Any, hint: Any) -> Any:
    """Each event carries the request id, to find the request's log lines (web and tasks) from it."""
    from django_guid import get_guid

    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the Sentry SDK for Django and Celery if a DSN is given; True if started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        # Users' names, addresses and request bodies stay in the portal.
        send_default_pii=False,
        before_send=_tag_request_id,
    )
    return True
