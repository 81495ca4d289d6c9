"""Writing API list rows from `values()` rows: the cells the output serializers write, from plain columns.

A long list's rows read as model instances (each with its related records, every one passing through
modeltranslation's hooks) cost more than the rest of the request. The lists that read `values()` rows
write each cell with these helpers, which give what the serializers' fields give for the same record
(`tests/perf/test_fast_representation.py` compares the two, language by language).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from modeltranslation.fields import NONE as _MT_NONE

from .serializers import _languages

Row = Mapping[str, Any]


def plain_values(queryset: QuerySet[Any], *columns: str) -> QuerySet[Any]:
    """`queryset.values(*columns)` without modeltranslation's rewriting, for columns named in full
    (`title_en`, `partner__name_fr`: no translated field's bare name).

    modeltranslation's values() looks each name up for a translated field to rewrite and then copies every
    row into a new dictionary, to the same result for such columns. Filters and orderings applied before
    were rewritten already; those added after (a cursor's) must name no translated field either.
    """
    rewrite = getattr(queryset, "rewrite", None)
    if rewrite is not None:
        queryset = rewrite(False)
    return queryset.values(*columns)


def row_languages() -> tuple[str, ...]:
    """The languages a translated field is read in, in order (the active one, then the fallbacks)."""
    return _languages()


class Translated:
    """A modeltranslation field read from its columns (`<name>_en`, `<name>_fr`) as its descriptor reads
    it: the first language, in `languages`' order, with a meaningful value; else the field's default."""

    __slots__ = ("columns", "default", "undefined")

    def __init__(self, model: type[models.Model], name: str, prefix: str = "") -> None:
        descriptor = model.__dict__[name]
        field = descriptor.field
        undefined = descriptor.fallback_undefined
        self.default = field.get_default()
        self.undefined = self.default if undefined is _MT_NONE else undefined
        self.columns = {language: f"{prefix}{name}_{language}" for language in ("en", "fr")}
        if descriptor.fallback_value is not _MT_NONE:  # pragma: no cover - no field of the portal has one
            raise ValueError(f"{model.__name__}.{name} has a fallback value: read it from an instance.")

    def __call__(self, row: Row, languages: tuple[str, ...]) -> Any:
        for language in languages:
            value = row[self.columns[language.replace("-", "_")]]
            if value is not None and value != self.undefined:
                return value
        return self.default


def datetime_writer() -> Callable[[datetime.datetime | None], str | None]:
    """DRF's DateTimeField output (ISO 8601 in the current time zone, `Z` for UTC), the zone read once."""
    zone = timezone.get_current_timezone()

    def write(value: datetime.datetime | None) -> str | None:
        if not value:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def iso_date(value: datetime.date | None) -> str | None:
    """DRF's DateField output."""
    return value.isoformat() if value else None


def user_ref(username: str | None, first_name: str, last_name: str) -> dict[str, str] | None:
    """UserRefSerializer's output (`username`, `name`: the full name, else the username), or None."""
    if username is None:
        return None
    return {"username": username, "name": f"{first_name} {last_name}".strip() or username}
