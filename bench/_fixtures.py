"""Before bench/run.py measures: the scale database, and the bench users' sessions, tokens and targets."""

from __future__ import annotations

import secrets
import string
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench._config import DB_NAME, MIN_SUBMITTED, REPO, SESSIONS_PER_USER, USERS_PER_ROLE

if TYPE_CHECKING:
    from portal.accounts.models import User


def _database_ready() -> str | None:
    """Why the scale database must be (re)generated, or None if it is ready."""
    import psycopg2

    try:
        connection = psycopg2.connect(dbname=DB_NAME, host="127.0.0.1", port=5432, user="postgres")
    except psycopg2.OperationalError:
        return "it does not exist"
    with connection, connection.cursor() as cursor:
        try:
            cursor.execute("SELECT COUNT(*) FROM workprogrammes_programmeactivity")
            activities = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM workprogrammes_inclusionrequest WHERE status = 'submitted'")
            submitted = cursor.fetchone()[0]
        except psycopg2.Error:
            return "it has no portal tables"
    connection.close()
    if activities < 200_000:
        return f"it has {activities:,} activities"
    if submitted < MIN_SUBMITTED:
        return f"only {submitted:,} submitted requests are left for the workflow step"
    return None


def _unapplied_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_database(regenerate: bool) -> None:
    reason = "asked to" if regenerate else _database_ready()
    if reason is None:
        import django

        django.setup()
        if not _unapplied_migrations():
            print(f"Scale database {DB_NAME}: ready.", flush=True)
            return
        reason = "migrations were added since it was generated"
    print(f"Generating the scale database {DB_NAME} ({reason}) ...", flush=True)
    subprocess.run([str(REPO / "bench" / "generate"), "--database", DB_NAME], check=True)


@dataclass
class Fixtures:
    """Who asks, and for what: several users per role, each with sessions in English and in French."""

    viewer_cookies: list[str]
    reviewer_cookies: list[str]
    analyst_cookies: list[str]
    analyst_csrf_cookie: str
    csrf_token: str
    viewer_tokens: list[str]
    reviewer_tokens: list[str]
    partner_isos: list[str]
    regions: list[str]
    partner_names: list[str]
    request_references: list[str]
    request_ids: list[int]
    submitted_ids: list[int]
    # The ETag of each submitted request, for the If-Match its workflow step sends.
    submitted_etags: dict[int, str]
    search_words: list[str]
    activity_pages: list[str]
    request_pages: list[str]
    users: dict[str, list[str]]


def bench_users(role: str, count: int) -> list[User]:
    from portal.accounts.models import User

    # NATO UNCLASSIFIED clearance, like the floor's queries; a single role, so that the page is that role's.
    candidates = (
        User.objects.filter(is_active=True, clearance=10, groups__name=role)
        .exclude(username__startswith="bench")
        .order_by("pk")
    )
    found = [user for user in candidates[:200] if user.roles == frozenset({role})][:count]
    if len(found) < count:
        raise RuntimeError(f"Fewer than {count} single-role {role}s with NATO UNCLASSIFIED clearance.")
    return found


def csrf_secret() -> str:
    """A CSRF secret as Django makes them (32 letters and digits), sent as cookie (and header)."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def sessions(user: User, count: int, csrf: str = "") -> list[str]:
    """Sessions as a complete sign-in leaves them: user, backend, hash, second factor, sign-in time;
    every other one reads the portal in French."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.translation import trans_real
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.security.middleware import ACTIVE_AT, SIGNED_IN_AT
    from portal.security.selectors import two_factor_required

    device = None
    if two_factor_required(user=user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True, "key": secrets.token_hex(20)}
        )
    cookies = []
    now = int(time.time())
    language_cookie = trans_real.settings.LANGUAGE_COOKIE_NAME
    for number in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "portal.accounts.backends.PortalModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SIGNED_IN_AT] = now
        session[ACTIVE_AT] = now
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookie = f"sessionid={session.session_key}"
        if number % 2:
            cookie += f"; {language_cookie}=fr"
        # Like a browser that has been on the portal before, each session sends its CSRF cookie.
        cookies.append(f"{cookie}; csrftoken={csrf or csrf_secret()}")
    return cookies


def cursor_pages(path: str, token: str, count: int) -> list[str]:
    """The first `count` pages of a cursor-paginated API list, followed through its `next` links."""
    from rest_framework.test import APIClient

    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    pages = [path]
    while len(pages) < count:
        response = client.get(pages[-1])
        following = response.json().get("next")
        if response.status_code != 200 or not following:
            break
        parts = urllib.parse.urlsplit(following)
        pages.append(f"{parts.path}?{parts.query}")
    return pages


def prepare() -> Fixtures:
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from partners.models import Partner, Region
    from portal.api.etags import etag_for
    from portal.api.models import ApiToken
    from portal.api.services import api_token_create
    from workprogrammes.models import InclusionRequest

    viewers, reviewers = bench_users("viewer", USERS_PER_ROLE), bench_users("reviewer", USERS_PER_ROLE)
    analysts = bench_users("analyst", USERS_PER_ROLE)
    # One token each, as people have.
    ApiToken.objects.filter(user__in=[*viewers, *reviewers], name="bench").delete()
    SessionStore.clear_expired()  # the sessions of earlier runs
    csrf = csrf_secret()
    viewer_tokens = [api_token_create(user=u, name="bench", expires_in_days=1)[1] for u in viewers]
    reviewer_tokens = [
        api_token_create(user=u, name="bench", expires_in_days=1, second_factor=True)[1] for u in reviewers
    ]
    partners = list(Partner.objects.order_by("iso_code").values_list("iso_code", "name_en", "name_fr"))
    # Request pages of every length of timeline: the longest (returns, deferrals, comments, agenda items)
    # and others taken across the table.
    visible = InclusionRequest.objects.filter(marking__lte=10)
    longest = list(
        visible.annotate(changes=Count("status_changes"))
        .order_by("-changes", "pk")
        .values_list("pk", "reference")[:40]
    )
    spread = list(visible.order_by("pk").values_list("pk", "reference")[::250][:160])
    chosen = list(dict(longest + spread).items())
    submitted = list(
        InclusionRequest.objects.filter(status="submitted", marking__lte=10)
        .exclude(requested_by__in=reviewers)
        .exclude(submitted_by__in=reviewers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    analyst_cookies = [c for user in analysts for c in sessions(user, SESSIONS_PER_USER, csrf)]
    return Fixtures(
        viewer_cookies=[c for user in viewers for c in sessions(user, SESSIONS_PER_USER)],
        reviewer_cookies=[c for user in reviewers for c in sessions(user, SESSIONS_PER_USER)],
        analyst_cookies=analyst_cookies,
        analyst_csrf_cookie=analyst_cookies[0],
        csrf_token=csrf,
        viewer_tokens=viewer_tokens,
        reviewer_tokens=reviewer_tokens,
        partner_isos=[iso for iso, _en, _fr in partners],
        regions=list(Region.objects.order_by("pk").values_list("code", flat=True)),
        partner_names=[name for _iso, en, fr in partners[::5] for name in (en, fr)],
        request_references=[reference for _pk, reference in chosen],
        request_ids=[pk for pk, _reference in chosen],
        submitted_ids=submitted,
        submitted_etags={
            request.pk: etag_for(request)
            for request in InclusionRequest.objects.filter(pk__in=submitted).only(
                "pk", "updated_at", "revision"
            )
        },
        search_words=["maritime", "cyber", "logistique", "training", "défense", "border", "energy", "sahel"],
        activity_pages=cursor_pages("/api/v1/activities/", viewer_tokens[0], 8),
        request_pages=cursor_pages("/api/v1/requests/", viewer_tokens[0], 8),
        users={
            "viewer": [u.username for u in viewers],
            "reviewer": [u.username for u in reviewers],
            "analyst": [u.username for u in analysts],
        },
    )
