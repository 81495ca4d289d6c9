"""The API's JSON parser: DRF's, with a limit on nesting.

No API input nests deeper than a few levels; a deeply nested body (thousands of brackets) made the
standard library's parser raise RecursionError, which DRF does not expect, and the API answered 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Deeper than any input serializer of the portal (the decision sheet's {"exceptions": {"3": ...}} is 2).
MAX_JSON_DEPTH = 20


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        stack.extend((child, depth) for child in children)
    return deepest


class PortalJSONParser(JSONParser):
    """JSON bodies nested deeper than MAX_JSON_DEPTH are refused with 400 and a reason."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = ParseError(
            _("The JSON body nests objects or arrays more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data
