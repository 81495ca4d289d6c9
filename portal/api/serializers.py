"""Serializer helpers shared by the apps' API packages."""

from __future__ import annotations


def translated(*names: str) -> list[str]:
    """Field names for bilingual fields: `name` in the active language, plus `name_en` and `name_fr`."""
    return [field for name in names for field in (name, f"{name}_en", f"{name}_fr")]
