"""Template helpers of the work programmes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..programmes.rows import activity_table as write_activity_table
from ..programmes.rows import programme_list as write_programme_list

register = template.Library()


@register.simple_tag
def activity_table(activities: Any, link_activities: bool = False) -> SafeString:
    """`{% activity_table activities %}`: a programme's activities, by start date; `link_activities` links
    each row to the activity's page."""
    return write_activity_table(activities, link_activities=link_activities)


@register.simple_tag
def programme_list(programmes: Any, latest_activities: Any) -> SafeString:
    """`{% programme_list programmes latest_activities %}`: a partner's programmes as its profile shows
    them, the first open with its first activities (workprogrammes/programmes/rows.py)."""
    return write_programme_list(programmes, list(latest_activities))
