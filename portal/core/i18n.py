"""Reading bilingual (English/French) columns in the language of the page."""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
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
