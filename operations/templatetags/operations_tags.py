"""Template helpers of the operations app."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..rows import contribution_table as write_contribution_table

register = template.Library()


@register.simple_tag
def contribution_table(series: Any, edit_iso_code: str = "") -> SafeString:
    """`{% contribution_table series %}`: one contribution series, period by period (operations/rows.py);
    `edit_iso_code` (the partner's code) adds a link to change each contribution."""
    return write_contribution_table(series, edit_iso_code=edit_iso_code)
