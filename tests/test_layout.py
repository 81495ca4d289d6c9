"""The shared layout: header, navigation, user and roles, language switch, banners, messages, assets."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from portal.core.models import Marking
from portal.core.status import STATUS_STYLES
from tests.factories import UserFactory
from workprogrammes import models as workprogramme_models

REQUEST_STATUSES = (
    "draft",
    "submitted",
    "under_review",
    "returned",
    "recommended",
    "not_recommended",
    "awaiting_council",
    "approved",
    "approved_exempt",
    "rejected",
    "deferred",
    "withdrawn",
    "silence",
)
STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def page(viewer_client: Client) -> str:
    response = viewer_client.get(reverse("partners:directory"))
    assert response.status_code == 200
    return response.content.decode()


def test_header_has_the_portal_name_landmarks_and_skip_link(page: str) -> None:
    assert '<a class="usa-skipnav" href="#main-content">Skip to main content</a>' in page
    assert 'id="main-content"' in page
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in page
    assert "Contact Country Cooperation Portal" in page
    assert 'id="notification-bell"' in page


def test_navigation_links_the_sections_that_exist_and_marks_the_current_one(page: str) -> None:
    nav = page[
        page.index('<ul class="usa-nav__primary') : page.index("</ul>", page.index("usa-nav__primary"))
    ]
    assert (
        '<a href="/partners/" class="usa-nav-link usa-current" aria-current="page"><span>Partners</span>'
        in nav
    )
    assert 'href="/operations/"' in nav
    assert 'href="/programmes/"' in nav


def test_header_shows_the_signed_in_user_and_roles_and_a_sign_out_form(page: str) -> None:
    assert "Staff (viewer)" in page
    assert re.search(r'<form class="[^"]*portal-logout" action="/accounts/logout/" method="post">', page)


def test_language_switch_posts_to_set_language_and_changes_the_language(
    viewer_client: Client, page: str
) -> None:
    assert '<form class="portal-utility__item portal-language" action="/i18n/setlang/" method="post">' in page
    assert 'name="language" value="fr" lang="fr"' in page

    response = viewer_client.post("/i18n/setlang/", {"language": "fr", "next": "/partners/"})
    assert response.status_code == 302

    french = viewer_client.get("/partners/").content.decode()
    assert '<html lang="fr">' in french
    french_button = re.search(r'<button type="submit" name="language" value="fr"[^>]*>', french).group(0)
    assert 'aria-current="true"' in french_button


def test_every_page_has_a_classification_banner_at_top_and_bottom(page: str) -> None:
    banners = re.findall(r'<div class="portal-marking portal-marking--(\w+)"', page)
    assert banners == ["unclassified", "unclassified"]
    assert page.count("NATO UNCLASSIFIED") == 2


@pytest.mark.parametrize(
    ("marking", "css"),
    [
        (Marking.NATO_UNCLASSIFIED, "unclassified"),
        (Marking.NATO_RESTRICTED, "restricted"),
        (Marking.NATO_CONFIDENTIAL, "confidential"),
        (Marking.NATO_SECRET, "secret"),
    ],
)
def test_marking_banner_include_renders_each_marking(marking: Marking, css: str) -> None:
    html = render_to_string("includes/marking_banner.html", {"marking": marking})

    assert f"portal-marking--{css}" in html
    assert str(marking.label) in html


def test_banner_colours_follow_convention() -> None:
    css = (STATIC / "css" / "portal.css").read_text() + (STATIC / "css" / "marking.css").read_text()

    def colour(modifier: str) -> str:
        return re.search(
            rf"\.portal-marking--{modifier}[^{{]*\{{\s*background-color: (#[0-9a-f]+)", css
        ).group(1)

    assert colour("unclassified") == "#00703c"  # green
    assert colour("restricted") == "#0050a0"  # blue
    assert re.search(
        r"\.portal-marking--confidential,\s*\.portal-marking--secret \{\s*background-color: #b50909", css
    )


def test_messages_render_as_uswds_alerts(viewer) -> None:
    request = RequestFactory().get("/partners/")
    request.user = viewer
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.SUCCESS, "Programme saved.")
    request._messages.add(constants.ERROR, "Could not save.")

    html = render_to_string("base.html", request=request)

    assert re.search(r'usa-alert--success" role="status">\s*<div class="usa-alert__body">', html)
    assert '<p class="usa-alert__text">Programme saved.</p>' in html
    assert re.search(r'usa-alert--error" role="alert">', html)


def test_statuses_have_one_style_each_and_the_style_sheet_matches() -> None:
    model_statuses = {
        value
        for name, choices in vars(workprogramme_models).items()
        if name.endswith("Status") and hasattr(choices, "values")
        for value in choices.values
    }
    needed = model_statuses | set(REQUEST_STATUSES)
    assert needed <= STATUS_STYLES.keys(), needed - STATUS_STYLES.keys()

    css = (STATIC / "css" / "portal.css").read_text()
    for value, style in STATUS_STYLES.items():
        rule = (
            f".portal-status--{value} {{ background-color: {style.background}; color: {style.text}; "
            f"border-color: {style.border}; }}"
        )
        assert rule in css, value


def test_status_tag_renders_a_class_per_value_and_inline_colours_for_email() -> None:
    def render(template: str) -> str:
        return engines["django"].from_string("{% load portal_tags %}" + template).render({}).strip()

    assert render("{% status_tag 'under_review' 'Under review' %}") == (
        '<span class="usa-tag portal-status portal-status--under_review" data-status="under_review">'
        "Under review</span>"
    )
    assert "portal-status--awaiting_council" in render("{% status_tag 'awaiting_council' %}")
    email = render("{% status_tag 'under_review' 'Under review' email=True %}")
    assert f"background-color:{STATUS_STYLES['under_review'].background}" in email
    assert "class=" not in email


def test_pages_have_no_inline_scripts(page: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', page)


LAYOUT_TEMPLATES = [
    "base.html",
    "403.html",
    "404.html",
    *(f"includes/{p.name}" for p in (STATIC.parent / "templates" / "includes").glob("*.html")),
    "registration/login.html",
    "partners/directory.html",
    "partners/profile.html",
    "operations/list.html",
    "operations/detail.html",
    "workprogrammes/programme_list.html",
    "workprogrammes/programme_detail.html",
]


@pytest.mark.parametrize("name", LAYOUT_TEMPLATES)
def test_layout_templates_have_no_inline_styles_or_scripts(name: str) -> None:
    """The Content Security Policy will forbid inline styles and scripts; styles live in portal.css."""
    source = (STATIC.parent / "templates" / name).read_text()
    assert " style=" not in source
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source)


def test_login_page_is_styled_and_offers_the_language_switch(db) -> None:
    response = Client().get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in html
    assert 'autocomplete="current-password"' in html
    assert 'action="/i18n/setlang/"' in html
    assert "portal-logout" not in html


def test_failed_sign_in_shows_an_error_summary_and_keeps_the_username(db) -> None:
    response = Client().post(reverse("login"), {"username": "someone", "password": "wrong"})

    html = response.content.decode()
    assert "There is a problem" in html
    assert "The username or password is wrong. Check both and try again; capital letters count." in html
    assert "Please enter a correct" not in html  # Django's own sentence
    assert 'value="someone"' in html


def test_failed_sign_in_is_explained_in_french(db) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.post(reverse("login"), {"username": "someone", "password": "wrong"}).content.decode()
    assert "Vérifiez-les et réessayez\u00a0; les majuscules comptent." in html


def test_user_without_a_role_is_told_to_ask_for_one(db) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("partners:directory"))

    assert response.status_code == 403
    assert "Your account has no role in the portal yet." in response.content.decode()


def test_static_files_collect_with_the_manifest_storage(tmp_path: Path) -> None:
    """The vendored CSS references only files that are shipped (production's storage fails otherwise)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)

    for name in (
        "vendor/uswds/css/uswds.min.css",
        "vendor/uswds/js/uswds.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/chartjs/chart.umd.min.js",
        "css/portal.css",
        "js/portal.js",
    ):
        assert (tmp_path / name).exists(), name


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("value", sorted(STATUS_STYLES))
def test_status_tag_text_meets_wcag_aa_contrast(value: str) -> None:
    style = STATUS_STYLES[value]
    lighter, darker = sorted((_luminance(style.background), _luminance(style.text)), reverse=True)

    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


@pytest.mark.parametrize(("language", "empty"), [("en", "- Select -"), ("fr", "- Choisir -")])
def test_a_lists_empty_choice_is_worded_not_dashes(officer, partner, language: str, empty: str) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(officer)
    url = reverse("partners:record_create", args=[partner.iso_code, "milestone"])
    html = client.get(url).content.decode()
    assert "---------" not in html
    assert re.search(rf'<option value=""[^>]*>{re.escape(empty)}</option>', html)
