"""`<option>` lists of the filter forms above the list pages, written in one pass.

A template loop writes three variables per option (value, comparison, label); the review queue's
partner, desk and reviewer lists have a few hundred options, which cost more than its table rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def options_html(options: Iterable[tuple[Any, Any]], selected: Any = None) -> SafeString:
    """`<option value="…">label</option>` for each (value, label), ` selected` on the one equal to
    `selected` (compared as the template compared them: values of the same type)."""
    out = []
    for value, label in options:
        mark = " selected" if selected is not None and value == selected else ""
        out.append(f'<option value="{conditional_escape(value)}"{mark}>{conditional_escape(label)}</option>')
    return SafeString("".join(out))
