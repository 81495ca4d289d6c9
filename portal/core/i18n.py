"""Reading bilingual (English/French) columns in the language of the page."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from django.db.models import CharField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils.dateformat import format as format_date
from django.utils.formats import localize, number_format
from django.utils.html import conditional_escape, escape
from django.utils.translation import get_language


def active_language() -> str:
    """'fr' or 'en': the language whose columns the page shows."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def localized_text(field_name: str) -> Combinable:
    """A bilingual column (e.g. "name" or "region__name") in the active language, for sorting in SQL.

    Falls back to the other language where a translation was left empty, as reading the field does.
    """
    first, second = ("fr", "en") if active_language() == "fr" else ("en", "fr")
    return Coalesce(
        NullIf(F(f"{field_name}_{first}"), Value("")), F(f"{field_name}_{second}"), output_field=CharField()
    )


def format_number(value: int | float | Decimal, decimal_pos: int | None = None) -> str:
    """A number as the reader's language writes it: "1,550.5" in English, "1\u00a0550,5" in French.

    The one way the portal writes numbers outside Django's templates (report cells, chart axes in PDFs):
    grouped thousands always, the active language's separators (Django's format modules).
    """
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


# French country names that end in "e" yet are masculine (le Mexique), and names that take no article
# (Singapour, Israël, Cuba...). Everything else follows the rule: ending in "e" is feminine.
_FRENCH_MASCULINE_IN_E = frozenset(
    {"Belize", "Cambodge", "Mexique", "Mozambique", "Zimbabwe", "Suriname", "Monténégro"}
)
_FRENCH_NO_ARTICLE = frozenset(
    {"Singapour", "Israël", "Cuba", "Malte", "Chypre", "Bahreïn", "Oman", "Madagascar", "Maurice", "Monaco"}
)
_FRENCH_PLURAL_STARTS = ("États-", "Émirats", "Pays-Bas", "Philippines", "Seychelles", "Comores", "Maldives")
_VOWELS = "AEIOUYÂÉÈÊÎÏÔÖÛÜaeiouyh"
_ENGLISH_WITH_THE = ("Republic", "Kingdom", "United", "Federation", "Netherlands", "Philippines", "Holy See")


def french_of(name: str) -> str:
    """A country's French name after "de": "du Japon", "de la Nouvelle-Zélande", "de l'Australie".

    French contracts "de" with the country's article ("de le Japon" is wrong); a name with no article
    (Singapour) keeps "de", or "d'" before a vowel (d'Israël).
    """
    name = name.strip()
    if not name:
        return name
    head = name.split(" ")[0].split("-")[0]
    if name in _FRENCH_NO_ARTICLE:
        return f"d'{name}" if name[0] in _VOWELS else f"de {name}"
    if name.startswith(_FRENCH_PLURAL_STARTS):
        return f"des {name}"
    if name[0] in _VOWELS:
        return f"de l'{name}"
    if head.endswith("e") and head not in _FRENCH_MASCULINE_IN_E and name not in _FRENCH_MASCULINE_IN_E:
        return f"de la {name}"
    return f"du {name}"


def english_of(name: str) -> str:
    """A country's English name after "of": "of Japan", "of the Republic of Korea"."""
    name = name.strip()
    return f"of the {name}" if name.startswith(_ENGLISH_WITH_THE) else f"of {name}"


def name_of(name: str) -> str:
    """ "of Japan" / "du Japon": a country's name after "of" in the active language."""
    return french_of(name) if active_language() == "fr" else english_of(name)


# Pure functions of (language, value), kept for the process: the tables of a page write the same few days
# and numbers again and again. `language` is the active one (active_language()): part of the key, since the
# month names and the digit grouping are that language's.


@functools.lru_cache(maxsize=4096)
def time_html(language: str, day: datetime.date, day_format: str) -> str:
    """A day as a `<time>` element, its text written in `day_format` (e.g. the language's DATE_FORMAT)."""
    return f'<time datetime="{day.isoformat()}">{escape(format_date(day, day_format))}</time>'


@functools.lru_cache(maxsize=1024)
def shown_integer(language: str, value: int) -> str:
    """An integer as the language writes it (localize), escaped."""
    return str(conditional_escape(localize(value)))
