"""French copy reads as an editor wrote it: typography, contractions, NATO's capitals, specific errors.

Two sources are read: the compiled French catalogues (every string the interface can show) and the pages
themselves, rendered in French from the demo data, where strings meet the names put into them
("Contributions du Japon", never "de Japon"). Text an element marks as English (`lang="en"`, the "(EN)"
fallback) and code samples are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from operations.models import Operation
from partners.models import Partner
from portal.accounts.models import User
from portal.core.i18n import english_of, french_of
from portal.demo.loader import demo_load
from workprogrammes.council.models import CouncilMeeting
from workprogrammes.programmes.models import WorkProgramme
from workprogrammes.requests.models import InclusionRequest

BASE = Path(settings.BASE_DIR)
NBSP = "\u00a0\u202f"
# French sets a (narrow) non-breaking space before these marks, and inside « guillemets ».
SPACE_BEFORE = re.compile(rf"(?<=[^{NBSP}\s\d])[:;?!»]|(?<=[ \t])[:;?!»]")
SPACE_AFTER_GUILLEMET = re.compile(rf"«(?=[^{NBSP}])")
# What a string may contain that is not French prose: placeholders, tags, code, addresses, entities.
NOT_PROSE = re.compile(
    r"%\([a-z_]+\)[sd]|%[sd]|\{[^}]*\}|<code>.*?</code>|`[^`]*`|<[^>]+>|https?://\S+|&[a-z]+;|\d+:\d+"
)


def _compiled_catalogues() -> list[Path]:
    return sorted(
        p
        for p in BASE.rglob("locale/fr/LC_MESSAGES/*.mo")
        if not any(part in {".venv", "var", "node_modules"} for part in p.parts)
    )


def _translations() -> Iterator[tuple[str, str]]:
    for path in _compiled_catalogues():
        for entry in polib.mofile(str(path)):
            for text in (entry.msgstr, *entry.msgstr_plural.values()):
                if text:
                    yield entry.msgid, text


def typography_problems(text: str) -> list[str]:
    """Places in French text where a mark lacks its non-breaking space."""
    prose = NOT_PROSE.sub("X", text)
    found = [m.group(0) for m in SPACE_BEFORE.finditer(prose)]
    found += ["«" for _ in SPACE_AFTER_GUILLEMET.finditer(prose)]
    return found


def test_the_typography_check_finds_a_colon_without_a_non_breaking_space() -> None:
    assert typography_problems("Statut : brouillon") == [":"]
    assert typography_problems("Statut: brouillon") == [":"]
    assert typography_problems("Réessayez ; puis « Envoyer»") == [";", "»", "«"]
    assert typography_problems("Statut\u00a0: brouillon, à 15:24, «\u00a0Envoyer\u00a0»") == []


def test_french_catalogues_are_compiled() -> None:
    assert any(p.parent.parent.parent.parent == BASE for p in _compiled_catalogues())


def test_french_translations_put_a_non_breaking_space_before_double_marks() -> None:
    problems = [
        f"{msgid!r} -> {text!r}: {marks}"
        for msgid, text in _translations()
        if (marks := typography_problems(text))
    ]
    assert not problems, f"{len(problems)} translations lack a non-breaking space:\n" + "\n".join(problems)


def test_the_north_atlantic_council_is_the_conseil_with_a_capital() -> None:
    problems = [
        f"{msgid!r} -> {text!r}"
        for msgid, text in _translations()
        if "Council" in msgid and re.search(r"\bconseil\b", text)
    ]
    assert not problems, "\n".join(problems)


def test_no_translation_puts_de_before_a_country_name() -> None:
    """A partner's name after "de" needs its article ("du Japon"): such strings use `of_name` instead."""
    problems = [
        f"{msgid!r} -> {text!r}"
        for msgid, text in _translations()
        if re.search(r"\b(de|à) %\((partner|country)\)s", text)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "french"),
    [
        ("Japon", "du Japon"),
        ("Chili", "du Chili"),
        ("Australie", "de l'Australie"),
        ("Iraq", "de l'Iraq"),
        ("République de Corée", "de la République de Corée"),
        ("Nouvelle-Zélande", "de la Nouvelle-Zélande"),
        ("Mexique", "du Mexique"),
        ("Singapour", "de Singapour"),
        ("Israël", "d'Israël"),
        ("États-Unis", "des États-Unis"),
    ],
)
def test_french_of_contracts_de_with_the_article(name: str, french: str) -> None:
    assert french_of(name) == french


def test_english_of_takes_the_for_republics() -> None:
    assert english_of("Republic of Korea") == "of the Republic of Korea"
    assert english_of("Japan") == "of Japan"


# --- The pages, rendered in French from the demo data ------------------------------------------------


class _FrenchText(HTMLParser):
    """The visible French text of a page: no script, style, code, or element marked as another language."""

    SKIP = {"script", "style", "code", "pre", "template", "textarea"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        lang = attributes.get("lang")
        # translate="no": text a user typed in one language (a meeting's notes), not the interface's.
        skipped = (
            tag in self.SKIP
            or (lang is not None and not lang.startswith("fr"))
            or attributes.get("translate") == "no"
        )
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    def text(self) -> str:
        # The "(EN)" tag follows English fallback text; the tag itself is not French prose either.
        return re.sub(r"\((EN|FR)\)", "", "\n".join(self.parts))


def french_text(html: str) -> str:
    parser = _FrenchText()
    parser.feed(html)
    return parser.text()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


def _client(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def _pages() -> list[tuple[str, str]]:
    programme = WorkProgramme.objects.filter(partner__iso_code="JP").order_by("-year").first()
    operation = Operation.objects.order_by("code").first()
    meeting = CouncilMeeting.objects.order_by("-date").first()
    requests = InclusionRequest.objects.order_by("pk")[:6]
    assert programme and operation and meeting
    pages = [
        ("admin", "/"),
        ("admin", "/partners/"),
        ("admin", "/operations/"),
        ("admin", f"/operations/{operation.code}/"),
        ("admin", "/programmes/"),
        ("admin", f"/programmes/{programme.pk}/"),
        ("admin", "/requests/"),
        ("admin", "/requests/queue/"),
        ("admin", "/council/"),
        ("admin", f"/council/meetings/{meeting.pk}/"),
        ("admin", f"/council/meetings/{meeting.pk}/agenda/"),
        ("admin", f"/council/meetings/{meeting.pk}/sheet/"),
        ("admin", "/reports/"),
        ("admin", "/reports/calendar/"),
        ("admin", "/notifications/"),
        ("admin", "/notifications/preferences/"),
        ("admin", "/account/tokens/"),
        ("officer", "/"),
        ("officer", "/requests/new/"),
        ("officer", "/partners/JP/milestone/new/"),
        ("officer", "/partners/JP/contribution/new/"),
        ("viewer", "/"),
        ("analyst", "/"),
        ("reviewer", "/"),
        ("secretary", "/"),
    ]
    pages += [("admin", f"/partners/{p.iso_code}/") for p in Partner.objects.all()]
    pages += [("admin", f"/requests/{r.reference}/") for r in requests]
    pages += [("analyst", f"/reports/{slug}/") for slug in ("contributions", "activities", "pipeline")]
    return pages


def _problems(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        if marks := typography_problems(line):
            found.append(f"{line.strip()!r}: {marks}")
    partners = set(Partner.objects.values_list("name_fr", flat=True))
    for name in partners:
        correct = french_of(name)
        for wrong in (f"de {name}", f"à {name}"):
            for match in re.finditer(rf"\b{re.escape(wrong)}\b", text):
                if correct != wrong and not text[: match.start()].endswith(("République ", "Corée ")):
                    found.append(f"{wrong!r} where French says {correct!r}")
    found += [
        f"{m.group(0)!r}: the Council is the Conseil" for m in re.finditer(r"\b(du|le|au) conseil\b", text)
    ]
    # "Ajouter : jalon": a title is a sentence with its article ("Ajouter un jalon"), not a label.
    found += [f"{m.group(0)!r}: write the sentence" for m in re.finditer(r"\b(Ajouter|Modifier)\s?:", text)]
    return found


pytestmark = pytest.mark.django_db


def test_french_pages_of_the_demo_data_are_well_written(demo: None) -> None:
    clients: dict[str, Client] = {}
    problems: list[str] = []
    for username, path in _pages():
        client = clients.setdefault(username, _client(username))
        response = client.get(path)
        assert response.status_code == 200, f"{username} {path}: {response.status_code}"
        assert response.headers["Content-Language"] == "fr", path
        problems += [f"{username} {path}: {p}" for p in _problems(french_text(response.content.decode()))]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.parametrize(
    ("path", "field"),
    [("/partners/JP/milestone/new/", "title_en"), ("/requests/new/", "partner")],
)
def test_a_required_field_left_empty_is_named_in_its_error(demo: None, path: str, field: str) -> None:
    response = _client("officer").post(path, {})
    text = french_text(response.content.decode())
    assert response.status_code in (200, 400)  # the form again, with its errors
    assert "Ce champ est obligatoire" not in text
    form = response.context["form"]
    message = form.errors[field][0]
    label = str(form.fields[field].label)
    assert label in message, message


def test_required_errors_name_the_field_in_english_too(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    response = client.post("/partners/JP/milestone/new/", {}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "This field is required." not in content
    assert response.context["form"].errors["title_en"] == ["Fill in “Title (English)”."]
