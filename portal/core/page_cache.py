"""Rendered pages kept in the cache until the data they show changes.

A page such as a partner's profile takes tens of milliseconds to build (the queries, then the template),
while the data behind it changes a few times a day. `cache_page_until_change` keeps the HTML a view
returns and serves it again to the same session for as long as nothing it could show has changed:

- The data's version is the latest history event of every tracked model (pghistory's triggers add an
  event for every insert, update and delete, whatever wrote it: a service, the admin, a bulk update), read
  in one query of index lookups. Any write anywhere makes a new version, so no page is ever served
  from before a change that was committed when the request started.
- A page is stored only when no other transaction was writing to the database as the version was read:
  one that took an event id below the latest could commit after the page was rendered without moving the
  version. Such a page is served but not stored. (The server's list of sessions is read a moment after
  the snapshot of the data: a writer that commits in that moment, under a later event id already
  committed, is missed. The page is then stale until the next write or PAGE_CACHE_SECONDS.)
- The key holds everything else a page may depend on: the session (and with it the user, their second
  factor and the CSRF secret that the page's forms carry), the user's roles, clearance and unread
  notifications (the header's bell), the language, the day, the full path and the htmx headers.
- Entries expire after PAGE_CACHE_SECONDS whatever happens: changes that are not recorded as history
  events (who is on which desk; a user's roles are part of the key) reach the pages within that time.
- A request with a message to show (after a form was sent) is neither served from nor stored in the
  cache, and only complete pages (200, HTML) are stored. A cache that fails is skipped.

PAGE_CACHE_SECONDS = 0 turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from psycopg2 import sql

from .prepared import fetch_prepared

logger = logging.getLogger(__name__)

# Response headers of the view that are kept with the page (the middleware sets the others again).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "X-Robots-Tag")
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER", "HTTP_HX_BOOSTED")


@functools.cache
def _version_tables() -> tuple[str, ...]:
    """The event tables of every tracked model, found once per process."""
    from pghistory.models import Event

    return tuple(
        sorted(
            model._meta.db_table
            for model in apps.get_models()
            if issubclass(model, Event) and not model._meta.abstract and not model._meta.proxy
        )
    )


# True when no other session of this database is in a transaction that has written (one with an id),
# read from the server's table of sessions while the version is read.
QUIET = sql.SQL(
    "NOT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database()"
    " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
)


@functools.cache
def _statement_name(tables: tuple[str, ...]) -> str:
    return "portal_data_version_" + hashlib.sha256(",".join(tables).encode()).hexdigest()[:16]


def data_version(tables: tuple[str, ...] | None = None) -> tuple[str, bool]:
    """The version of the tracked data (of the given event tables, else of all), and whether a page read
    now may be stored under it. One prepared statement (portal/core/prepared.py)."""
    tables = tables or _version_tables()
    name = _statement_name(tables)

    def statement(cursor: Any) -> str:
        latest = sql.SQL(", ").join(
            sql.SQL("(SELECT MAX(pgh_id) FROM {})").format(sql.Identifier(table)) for table in tables
        )
        return (
            sql.SQL("PREPARE {} AS SELECT {}, {}")
            .format(sql.Identifier(name), QUIET, latest)
            .as_string(cursor)
        )

    alias = router.db_for_read(apps.get_model("partners", "PartnerEvent"))
    quiet, *values = fetch_prepared(alias, name, statement)[0]
    return ".".join("-" if value is None else str(value) for value in values), bool(quiet)


def _unread(user: Any) -> int:
    from portal.notifications.selectors import notification_unread_count

    return notification_unread_count(user=user)


def user_key_parts(user: Any) -> list[str]:
    """What a kept page or list depends on about its reader: who, with which roles and clearance."""
    return [str(user.pk), ",".join(sorted(getattr(user, "roles", ()))), str(getattr(user, "clearance", ""))]


def hashed_key(prefix: str, parts: Iterable[str]) -> str:
    return f"{prefix}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def page_key(request: HttpRequest, version: str, unread: int) -> str:
    """Everything besides the data that the page's HTML may depend on, hashed."""
    session = getattr(request, "session", None)
    parts = [
        getattr(request.resolver_match, "view_name", "") or "",
        request.get_full_path(),
        version,
        getattr(session, "session_key", "") or "",
        request.META.get("CSRF_COOKIE", ""),
        *user_key_parts(request.user),
        str(unread),
        get_language() or "",
        timezone.localdate().isoformat(),
        *(request.META.get(header, "") for header in HTMX_HEADERS),
    ]
    return hashed_key("page", parts)


def _has_messages(request: HttpRequest) -> bool:
    # len() reads the stored messages without marking them shown.
    return bool(len(messages.get_messages(request)))


def cache_page_until_change(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the cache until the data changes (see the module's description)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        user = getattr(request, "user", None)
        if (
            not seconds
            or request.method != "GET"
            or user is None
            or not user.is_authenticated
            or _has_messages(request)
        ):
            return view(request, *args, **kwargs)
        try:
            version, storable = data_version()
            unread = _unread(user)
            key = page_key(request, version, unread)
            found = cache.get(key)
        except Exception:  # e.g. the cache's server is down: the page is built as if nothing were kept
            logger.warning("Page cache unavailable; the page is built afresh.", exc_info=True)
            return view(request, *args, **kwargs)
        if found is not None:
            headers, content = found
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if (
            storable
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # The CSRF secret may have been made while rendering (a first page): key the page under it.
            key = page_key(request, version, unread)
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            try:
                cache.set(key, (headers, response.content), seconds)
            except Exception:
                logger.warning("Page cache unavailable; the page is not kept.", exc_info=True)
        return response

    return wrapper
