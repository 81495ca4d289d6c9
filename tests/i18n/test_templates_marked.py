"""Every piece of text a user reads in a template is marked for translation.

Each template (templates/ and the apps' templates/ folders) is read as source: comments, translated
strings ({% translate %}, {% blocktranslate %}...{% endblocktranslate %}), other template tags and
variables are removed, and the HTML that is left is parsed. Any text node outside <script> and <style>,
and any user-visible attribute (aria-label, title, placeholder, alt, ...), that still holds a letter is
a string nobody marked, and the test names it with its file and line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
TEMPLATE_ROOTS = [BASE / "templates", *sorted(p for p in BASE.glob("*/templates") if p.is_dir())]
TEMPLATE_ROOTS += sorted(p for p in BASE.glob("portal/*/templates") if p.is_dir())

# Text shown as it is in every language: each language's own name in the language switch, and symbols.
ALLOWED_TEXT = frozenset({"English", "Français"})
VISIBLE_ATTRIBUTES = frozenset(
    {"aria-label", "aria-description", "aria-roledescription", "title", "placeholder", "alt", "data-label"}
)

# A marker left where a template variable or tag was, so that "{{ n }} items" still shows "items".
HOLE = "\x00"
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

_COMMENT_BLOCK = re.compile(r"{%-?\s*comment\b.*?%}.*?{%-?\s*endcomment\s*-?%}", re.DOTALL)
_COMMENT_LINE = re.compile(r"{#.*?#}", re.DOTALL)
_BLOCKTRANSLATE = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b.*?%}.*?{%\s*(?:endblocktranslate|endblocktrans)\s*%}", re.DOTALL
)
_TAG = re.compile(r"{%.*?%}", re.DOTALL)
_VARIABLE = re.compile(r"{{.*?}}", re.DOTALL)
_VERBATIM = re.compile(r"{%\s*verbatim\s*%}.*?{%\s*endverbatim\s*%}", re.DOTALL)


def _template_files() -> list[Path]:
    files: list[Path] = []
    for root in TEMPLATE_ROOTS:
        files.extend(p for p in root.rglob("*") if p.suffix in (".html", ".txt") and p.is_file())
    return sorted(files)


def _blank(match: re.Match[str], replacement: str = "") -> str:
    """Keep the line count (so line numbers stay right) while removing the matched source."""
    return replacement + "\n" * match.group(0).count("\n")


def strip_template_syntax(source: str) -> str:
    """The template's source with comments, translated strings, tags and variables taken out."""
    source = _VERBATIM.sub(_blank, source)
    source = _COMMENT_BLOCK.sub(_blank, source)
    source = _COMMENT_LINE.sub(_blank, source)
    source = _BLOCKTRANSLATE.sub(lambda m: _blank(m, HOLE), source)
    # Tags leave nothing (one may sit inside an HTML tag, e.g. <td{% if n %} class="num"{% endif %}>);
    # variables leave a hole, so that "{{ n }} items" still shows "items".
    source = _TAG.sub(_blank, source)
    return _VARIABLE.sub(lambda m: _blank(m, HOLE), source)


def _has_words(text: str) -> bool:
    cleaned = text.replace(HOLE, " ").strip()
    if not cleaned or cleaned in ALLOWED_TEXT:
        return False
    # HTML entities such as &nbsp; or &ndash; are symbols, not words.
    cleaned = re.sub(r"&#?\w+;", " ", cleaned)
    return bool(LETTER.search(cleaned))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip_depth += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES and _has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))
        # The text of a submit or button input is its value.
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            value = attributes.get("value") or ""
            if _has_words(value):
                self.found.append((self.getpos()[0], f'value="{value.strip()}"'))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and _has_words(data):
            self.found.append((self.getpos()[0], data.strip().replace(HOLE, "…")))


def unmarked_strings(source: str, *, plain_text: bool = False) -> list[tuple[int, str]]:
    """(line, text) of every user-visible string in a template's source that is not translated."""
    stripped = strip_template_syntax(source)
    if plain_text:
        return [
            (number, line.strip().replace(HOLE, "…"))
            for number, line in enumerate(stripped.splitlines(), start=1)
            if _has_words(line)
        ]
    collector = _TextCollector()
    collector.feed(stripped)
    collector.close()
    return collector.found


def test_the_checker_finds_unmarked_text_and_accepts_marked_text() -> None:
    source = """{% load i18n %}
<h1>{% translate "Partners" %}</h1>
<p>Welcome back</p>
<p>{% blocktranslate with n=count %}{{ n }} partners{% endblocktranslate %}</p>
<a href="#x" aria-label="Close menu">{{ partner.name }}</a>
<img src="a.png" alt="{% translate 'Logo' %}">
{% comment %}Not shown{% endcomment %}{# nor this #}
<!-- nor an HTML comment -->
<script>var s = "code";</script><style>p::after { content: "x"; }</style>
<td>{{ total }} EUR</td>
<p>{{ a }} – {{ b }} · (&nbsp;)</p>
<input type="submit" value="Send">
"""
    found = unmarked_strings(source)

    texts = [text for _line, text in found]
    assert texts == ["Welcome back", 'aria-label="Close menu"', "… EUR", 'value="Send"']
    assert [line for line, _text in found] == [3, 5, 10, 12]


def test_the_checker_reads_plain_text_e_mails() -> None:
    source = '{% load i18n %}{% translate "Hello" %}\nSee {{ url }}\n{{ url }}\n'

    assert unmarked_strings(source, plain_text=True) == [(2, "See …")]


def test_there_are_templates_to_check() -> None:
    names = {p.relative_to(BASE).as_posix() for p in _template_files()}
    assert {"templates/base.html", "templates/partners/profile.html"} <= names


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: p.relative_to(BASE).as_posix())
def test_template_has_no_unmarked_user_visible_string(path: Path) -> None:
    found = unmarked_strings(path.read_text(), plain_text=path.suffix == ".txt")

    assert not found, "\n".join(f"{path.relative_to(BASE)}:{line}: {text}" for line, text in found)


# Letters of Django's date format for abbreviated month and day names, written English-style ("Nov",
# "Déc" on a French page): such dates use the language's formats instead (27 Nov 2026, 27 novembre 2026).
_NAMED_DATE_PARTS = re.compile(r"[MNDb]")
_DATE_FILTER = re.compile(r"""\|date:(["'])([^"']*)\1""")


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: p.relative_to(BASE).as_posix())
def test_template_dates_follow_the_page_language(path: Path) -> None:
    """Dates with abbreviated names use the language's formats (DATE_FORMAT...), not a fixed pattern."""
    fixed = [
        pattern
        for _quote, pattern in _DATE_FILTER.findall(path.read_text())
        if not pattern.endswith("_FORMAT") and _NAMED_DATE_PARTS.search(pattern)
    ]

    assert not fixed, f"{path.relative_to(BASE)}: fixed date patterns {fixed}; use DATE_FORMAT and the like"
