"""Reads of a partner's record history: who changed what and when, across the partner and its records.

History comes from django-pghistory's event tables (database triggers, so every write is there, whoever
made it); each event carries the context of the write: the user and, for pages, the URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pghistory.models
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from operations.models import Contribution, Operation
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnerAreaChange,
)
from portal.accounts.models import User
from portal.core.i18n import active_language
from portal.core.planner import joins_in_written_order

# The records that make up a partner's record, in the order the profile shows them.
PARTNER_RECORD_MODELS: tuple[type[models.Model], ...] = (
    Partner,
    PartnerAreaChange,
    Milestone,
    DialogueMeeting,
    LiaisonArrangement,
    Contribution,
)
# Bookkeeping columns that say nothing a reader of the history needs.
SILENT_COLUMNS = frozenset(
    {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "partner_id", "actor_id", "at"}
)
# modeltranslation keeps a column for the original field too; the _en/_fr columns say the same.
ORIGINAL_OF_TRANSLATED = {"title", "description", "summary", "notes", "name"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    record_kind: str
    record_title: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    url: str = ""


def _event_models() -> list[type[models.Model]]:
    return [
        apps.get_model(model._meta.app_label, f"{model.__name__}Event") for model in PARTNER_RECORD_MODELS
    ]


def partner_history_events(*, partner: Partner) -> Any:
    """The history events of the partner and its records, newest first (an unevaluated query)."""
    return (
        pghistory.models.MiddlewareEvents.objects.references(partner)
        .across(*_event_models())
        .order_by("-pgh_created_at", "-pgh_id")
    )


def _text(data: dict[str, Any], name: str) -> str:
    first, second = ("fr", "en") if active_language() == "fr" else ("en", "fr")
    return str(data.get(f"{name}_{first}") or data.get(f"{name}_{second}") or data.get(name) or "")


class _Lookups:
    """The names of the records events point to, fetched once per page."""

    def __init__(self, events: list[Any]) -> None:
        area_ids: set[int] = set()
        operation_ids: set[int] = set()
        user_ids: set[int] = set()
        for event in events:
            data, diff = event.pgh_data or {}, event.pgh_diff or {}
            for key, ids in (("area_id", area_ids), ("operation_id", operation_ids)):
                ids.update(v for v in (data.get(key), *(diff.get(key) or ())) if isinstance(v, int))
            if event.user_id is not None:
                user_ids.add(int(event.user_id))
        # `or [0]`: an empty list would skip the query, and pages keep a constant query count.
        self.areas = CooperationArea.objects.in_bulk(list(area_ids) or [0])
        self.operations = Operation.objects.in_bulk(list(operation_ids) or [0])
        # The names a history shows (get_full_name, get_username), not the whole account.
        self.users = User.objects.only("username", "first_name", "last_name").in_bulk(list(user_ids) or [0])


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _display(model: type[models.Model], column: str, value: Any, lookups: _Lookups) -> str:
    if value is None or value == "":
        return "–"
    name = column.removesuffix("_id")
    model_field = _field(model, name)
    if model_field is None:  # a column the model no longer has
        return str(value)
    if model_field.is_relation:
        names: dict[str, dict[Any, Any]] = {"operation": lookups.operations, "area": lookups.areas}
        found = names.get(name, {}).get(value)
        return str(found) if found is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _label(model: type[models.Model], column: str) -> str:
    model_field = _field(model, column.removesuffix("_id"))
    text = str(model_field.verbose_name if model_field is not None else column)
    for code, language in (("[en]", _("English")), ("[fr]", _("French"))):
        text = text.replace(code, f"({language})")
    return str(capfirst(text))


def _record_title(model: type[models.Model], data: dict[str, Any], lookups: _Lookups) -> str:
    if model is Partner:
        return _text(data, "name")
    if model is PartnerAreaChange:
        return _display(model, "area_id", data.get("area_id"), lookups)
    if model is LiaisonArrangement:
        return _display(model, "post", data.get("post"), lookups)
    if model is Contribution:
        operation = _display(model, "operation_id", data.get("operation_id"), lookups)
        return f"{operation} ({_display(model, 'kind', data.get('kind'), lookups)})"
    return _text(data, "title")


def _action(model: type[models.Model], label: str, data: dict[str, Any]) -> str:
    if model is PartnerAreaChange:
        return str(_("area chosen") if data.get("chosen") else _("area dropped"))
    return str({"insert": _("added"), "update": _("changed"), "delete": _("deleted")}.get(label, label))


def _changes(model: type[models.Model], event: Any, lookups: _Lookups) -> list[FieldChange]:
    diff = event.pgh_diff or {}
    changes = []
    for column, (old, new) in sorted(diff.items()):
        if column in SILENT_COLUMNS or column in ORIGINAL_OF_TRANSLATED:
            continue
        changes.append(
            FieldChange(
                label=_label(model, column),
                old=_display(model, column, old, lookups),
                new=_display(model, column, new, lookups),
            )
        )
    return changes


def history_entries(events: list[Any]) -> list[HistoryEntry]:
    """Events made readable: the record, the action, the field changes with their labels and values."""
    lookups = _Lookups(events)
    entries = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        data = event.pgh_data or {}
        changes = _changes(model, event, lookups) if event.pgh_label == "update" else []
        if event.pgh_label == "update" and not changes:
            continue  # only bookkeeping columns changed (e.g. the partner touched by a change of areas)
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                user=lookups.users.get(int(event.user_id)) if event.user_id is not None else None,
                record_kind=str(capfirst(model._meta.verbose_name)),
                record_title=_record_title(model, data, lookups),
                action=_action(model, event.pgh_label, data),
                changes=changes,
                url=str((event.pgh_context or {}).get("url") or ""),
            )
        )
    return entries


def partner_history(*, partner: Partner, limit: int | None = None) -> list[HistoryEntry]:
    """The latest changes to the partner's record (the partner, chosen areas, milestones, dialogue, liaison,
    contributions), newest first, with who made them; a fixed number of queries."""
    events = partner_history_events(partner=partner)
    if not limit:
        return history_entries(list(events))
    # The latest few by their slugs alone, then those events in full: the whole query builds every event's
    # data and its difference with the one before, which for a partner with years of contributions took
    # most of the profile page's database time to keep ten of them.
    # The events of six tables, each joined to its context: planning every order of the joins took 4.2 ms
    # of the full events' query, 2.5 ms in the written order (scale data, 7 December).
    with joins_in_written_order():
        slugs = list(events.values_list("pgh_slug", flat=True)[:limit])
        ids = {int(slug.rsplit(":", 1)[1]) for slug in slugs} or {0}
        found = {
            event.pgh_slug: event for event in partner_history_events(partner=partner).filter(pgh_id__in=ids)
        }
    return history_entries([found[slug] for slug in slugs if slug in found])
