"""Pieces of markup that the tables written in one pass share (operations/rows.py, programmes/rows.py)."""

from __future__ import annotations

from django.utils.html import escape


def column_headings(*columns: tuple[str, str]) -> str:
    """The `<th scope="col">` cells of a table's head, one per (label, class) pair, the labels escaped.

    Callers pass `gettext("...")` calls as the labels, outside any f-string: makemessages does not read
    inside f-strings, so a label written there would drop out of the French catalogue."""
    cells = []
    for label, css_class in columns:
        attributes = f' class="{css_class}"' if css_class else ""
        cells.append(f'      <th scope="col"{attributes}>{escape(label)}</th>\n')
    return "".join(cells)
