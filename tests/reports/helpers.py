"""Helpers of the reports tests: reading the report table of a page, users with several roles."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from portal.accounts.models import User
from tests.factories import UserFactory


def user_with_roles(username: str, *roles: str, **fields: Any) -> User:
    return UserFactory(username=username, roles=list(roles), **fields)


class _TableParser(HTMLParser):
    """Reads the report table: the header texts and each cell's data-value."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = False
        self._in_header = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and "data-report" in attributes:
            self._in_table = True
        elif self._in_table and tag == "th" and attributes.get("scope") == "col":
            self._in_header, self._text = True, []
        elif self._in_table and tag == "tr":
            self._row: list[str] = []
        elif self._in_table and tag == "td":
            self._row.append(attributes.get("data-value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif self._in_header and tag == "th":
            self._in_header = False
            self.headers.append(self._text[0].strip() if self._text else "")
        elif self._in_table and tag == "tr" and getattr(self, "_row", None):
            self.rows.append(self._row)
            self._row = []

    def handle_data(self, data: str) -> None:
        if self._in_header and data.strip():
            self._text.append(data)


def page_table(html: str) -> tuple[list[str], list[list[str]]]:
    """The report table of a page: column headings (their visible label) and each row's data-values."""
    parser = _TableParser()
    parser.feed(html)
    return parser.headers, parser.rows


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
