"""Response headers: a Content Security Policy without inline code, frame denial, referrer policy, HSTS in
production; `check --deploy` passes with the production settings; no template carries inline code."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from portal.security.csp import inline_block_hashes

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_code(viewer_client: Client) -> None:
    response = viewer_client.get("/partners/")
    policy = _policy(response)

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_login_page_has_the_policy_too() -> None:
    response = Client().get("/accounts/login/")
    assert _policy(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_api_docs_allow_only_their_own_inline_blocks(viewer_client: Client) -> None:
    response = viewer_client.get("/api/docs/")
    assert response.status_code == 200
    hashes = inline_block_hashes(response.content.decode())
    policy = _policy(response)
    assert hashes["script-src"] or hashes["style-src"]
    for source in hashes["script-src"]:
        assert source in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]

    # Elsewhere the same hashes do not appear.
    assert not set(hashes["script-src"]) & set(_policy(viewer_client.get("/partners/"))["script-src"])


def test_inline_block_hashes_skip_external_scripts() -> None:
    hashes = inline_block_hashes('<script src="/a.js"></script><script>go()</script><style>p{}</style>')
    assert len(hashes["script-src"]) == 1
    assert len(hashes["style-src"]) == 1


# Pages the portal writes: no inline script, style block, style attribute or event handler attribute.
# E-mail templates are exempt (mail clients need inline styles; no browser policy applies to them).
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("portal/*/templates")]


def _page_templates() -> list[Path]:
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            # E-mails, and PDFs drawn by WeasyPrint on the server, are never pages a browser runs.
            if "email" in path.parts or "pdf" in path.parts:
                continue
            found.append(path)
    return sorted(found)


def test_no_page_template_carries_inline_code() -> None:
    templates = _page_templates()
    assert len(templates) > 20
    offenders = {
        str(path.relative_to(ROOT)): match.group(0)
        for path in templates
        for match in [INLINE_CODE.search(path.read_text())]
        if match and "inline_css" not in path.read_text()  # status tags: inline only in e-mails
    }
    assert offenders == {}


def test_production_settings_pass_the_deployment_checks() -> None:
    """`manage.py check --deploy --fail-level WARNING` with the production settings and required env.

    Django's deployment checks cover HSTS (W004/W005), secure cookies (W012/W016), the SSL redirect (W008)
    and the secret key (W009); the apps' own checks (django-axes, django-csp) run too."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never does.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccportal"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_language_cookie_is_secure_and_same_site() -> None:
    """The language switch's cookie, under the production settings: HTTPS only, SameSite=Lax, HttpOnly."""
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
    }
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "True"]
