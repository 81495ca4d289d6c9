"""Template helpers of the work programmes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..programmes.rows import activity_table as write_activity_table

register = template.Library()


@register.simple_tag
def activity_table(activities: Any, link_activities: bool = False) -> SafeString:
    """`{% activity_table activities %}`: a programme's activities, by start date; `link_activities` links
    each row to the activity's page."""
    return write_activity_table(activities, link_activities=link_activities)
