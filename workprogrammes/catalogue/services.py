"""Importing the activity catalogue from a CSV or XLSX file: parse, preview, then apply all or nothing.

The upload is parsed and compared with the catalogue; the preview (new items, changed items with the
old and new value of each field, invalid rows with their line and reason, and, when the file is the
whole catalogue, the items it no longer lists) is kept in a CatalogueImport row with the file's SHA-256.
Confirming writes exactly those rows, in one transaction: a file with an invalid row is not applied at
all, and neither is a preview the catalogue has moved on from since. Items used by activities or
requests are deactivated, never deleted; unused ones that the whole-catalogue file drops are retired.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import operator
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import PROTECT, BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import CooperationArea
from portal.accounts.models import User
from portal.core.records import record_create, record_update

from .files import COLUMNS, MAX_FILE_BYTES, CatalogueFileError, catalogue_file_rows, check_row
from .models import (
    CatalogueImport,
    CatalogueImportStatus,
    CatalogueItem,
)
from .permissions import can_import_catalogue

# The fields an import compares and writes, in the order the preview lists them.
COMPARED_FIELDS = (*(c for c in COLUMNS if c != "code"), "retired")


# --- Comparing with the catalogue ---------------------------------------------------------------


def item_values(item: CatalogueItem) -> dict[str, Any]:
    """An item's stored values in the same form as a checked row."""
    values: dict[str, Any] = {"code": item.code}
    for name in (
        "title_en",
        "title_fr",
        "description_en",
        "description_fr",
        "exemption_reason_en",
        "exemption_reason_fr",
    ):
        values[name] = str(getattr(item, name, "") or "")
    for name in ("kind", "external_reference", "institution", "discipline", "level", "delivery", "audience"):
        values[name] = str(getattr(item, name) or "")
    values["area"] = item.area.code
    values["needs_council_decision"] = bool(item.needs_council_decision)
    values["duration_days"] = item.duration_days
    values["languages"] = list(item.languages or [])
    values["active_from"] = item.active_from.isoformat() if item.active_from else None
    values["deactivated_on"] = item.deactivated_on.isoformat() if item.deactivated_on else None
    values["marking"] = int(item.marking)
    values["fee_eur"] = str(item.fee_eur.quantize(Decimal("0.01"))) if item.fee_eur is not None else None
    values["retired"] = item.deleted_at is not None
    return values


def _label(name: str) -> str:
    if name == "retired":
        return _("retired")
    field = CatalogueItem._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).replace("[en]", "(EN)").replace("[fr]", "(FR)")


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"field": name, "label": _label(name), "old": _shown(old.get(name)), "new": _shown(new.get(name))}
        for name in COMPARED_FIELDS
        if old.get(name) != new.get(name)
    ]


def _items_with_use() -> Any:
    """Every catalogue item (retired ones too), with whether a record names it (`in_use`).

    The records that name an item (programme activities, inclusion requests) protect it from deletion by
    their foreign keys, so the catalogue asks those keys rather than knowing the parts that stand on it.
    """
    in_use = [
        Q(Exists(relation.related_model._default_manager.filter(**{relation.field.name: OuterRef("pk")})))
        for relation in CatalogueItem._meta.related_objects
        if relation.on_delete is PROTECT
    ]
    return CatalogueItem.objects.annotate(
        in_use=ExpressionWrapper(functools.reduce(operator.or_, in_use), output_field=BooleanField())
    )


def _compare(
    rows: list[tuple[int, dict[str, Any]]], *, deactivate_missing: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    areas = dict(CooperationArea.objects.values_list("code", "pk"))
    existing = {item.code: item for item in _items_with_use().select_related("area")}
    seen: dict[str, int] = {}
    to_write: list[dict[str, Any]] = []
    summary: dict[str, Any] = {"new": [], "changed": [], "unchanged": 0, "invalid": [], "missing": []}
    for line, raw in rows:
        checked, errors = check_row(raw, areas=areas)
        code = checked["code"]
        if code in seen:
            errors.append(
                _("code: “%(code)s” is already on line %(line)s.") % {"code": code, "line": seen[code]}
            )
        elif code:
            seen[code] = line
        item = existing.get(code)
        old = item_values(item) if item is not None else None
        # Columns the file does not have leave an item's values as they are (a new item takes the defaults).
        row = (
            checked
            if old is None
            else {**old, **{k: v for k, v in checked.items() if k in raw}, "retired": False}
        )
        if not row["needs_council_decision"] and not (
            row["exemption_reason_en"] or row["exemption_reason_fr"]
        ):
            errors.append(_("exemption_reason_en: required when no council decision is needed (say why)."))
        if errors:
            summary["invalid"].append({"line": line, "code": code, "reasons": errors})
            continue
        if old is None:
            summary["new"].append({"line": line, "code": code, "title": row["title_en"]})
            to_write.append({"line": line, "action": "create", "values": row, "expected": None})
            continue
        differences = _differences(old, row)
        if not differences:
            summary["unchanged"] += 1
            continue
        summary["changed"].append(
            {"line": line, "code": code, "title": row["title_en"], "fields": differences}
        )
        to_write.append({"line": line, "action": "update", "values": row, "expected": old})
    if deactivate_missing:
        today = timezone.localdate().isoformat()
        for code, item in sorted(existing.items()):
            if code in seen or item.deleted_at is not None:
                continue
            old = item_values(item)
            if item.in_use:
                if item.deactivated_on is not None:
                    continue
                action, new = "deactivate", {**old, "deactivated_on": today}
            else:
                action, new = "retire", {**old, "retired": True}
            summary["missing"].append({"code": code, "title": old["title_en"], "action": action})
            to_write.append({"line": None, "action": action, "values": new, "expected": old})
    summary["counts"] = {
        "new": len(summary["new"]),
        "changed": len(summary["changed"]),
        "unchanged": summary["unchanged"],
        "invalid": len(summary["invalid"]),
        "deactivated": sum(1 for m in summary["missing"] if m["action"] == "deactivate"),
        "retired": sum(1 for m in summary["missing"] if m["action"] == "retire"),
    }
    return to_write, summary


# --- The services -------------------------------------------------------------------------------


def _check_administrator(actor: User) -> None:
    if not can_import_catalogue(actor):
        raise PermissionDenied(_("Only administrators import the catalogue."))


@transaction.atomic
def catalogue_import_preview(
    *, actor: User, uploaded_file: UploadedFile, deactivate_missing: bool = False
) -> CatalogueImport:
    """Read an uploaded catalogue file and keep what importing it would do; the catalogue is not changed."""
    _check_administrator(actor)
    if uploaded_file.size is not None and uploaded_file.size > MAX_FILE_BYTES:
        raise CatalogueFileError(_("The file is larger than 5 MB."))
    data = uploaded_file.read()
    name = str(uploaded_file.name or "catalogue")
    rows = catalogue_file_rows(name=name, data=data)
    to_write, summary = _compare(rows, deactivate_missing=deactivate_missing)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = (
        CatalogueImport.objects.filter(sha256=sha256, status=CatalogueImportStatus.APPLIED)
        .order_by("-applied_at")
        .first()
    )
    if earlier is not None and earlier.applied_at is not None:
        summary["already_applied_at"] = earlier.applied_at.isoformat()
    return CatalogueImport.objects.create(
        file_name=name[:200],
        sha256=sha256,
        uploaded_by=actor,
        deactivate_missing=deactivate_missing,
        rows=to_write,
        summary=summary,
    )


def _item_fields(values: dict[str, Any], areas: dict[str, int]) -> dict[str, Any]:
    fields = {name: values[name] for name in COLUMNS if name not in ("code", "area")}
    fields["area_id"] = areas[values["area"]]
    for name in ("active_from", "deactivated_on"):
        fields[name] = datetime.date.fromisoformat(fields[name]) if fields[name] else None
    fields["fee_eur"] = Decimal(fields["fee_eur"]) if fields["fee_eur"] is not None else None
    return fields


@transaction.atomic
def catalogue_import_apply(*, actor: User, catalogue_import: CatalogueImport) -> CatalogueImport:
    """Write a previewed import: all its rows or none. Refused if the file had an invalid row, or if an item
    it changes is no longer as the preview saw it."""
    _check_administrator(actor)
    locked = CatalogueImport.objects.select_for_update().get(pk=catalogue_import.pk)
    if locked.status != CatalogueImportStatus.PREVIEWED:
        raise ValidationError(
            _("This import is %(status)s already.")
            % {"status": CatalogueImportStatus(locked.status).label.lower()},
            code="import_not_pending",
        )
    if locked.summary.get("invalid"):
        raise ValidationError(
            _("The file has invalid rows: correct them and upload it again; nothing was imported."),
            code="import_has_invalid_rows",
        )
    areas = dict(CooperationArea.objects.values_list("code", "pk"))
    codes = [row["values"]["code"] for row in locked.rows]
    current = {
        item.code: item
        for item in CatalogueItem.objects.select_for_update(of=("self",))
        .select_related("area")
        .filter(code__in=codes)
    }
    today = timezone.localdate()
    with pghistory.context(user=actor.pk, catalogue_import=locked.pk):
        for row in locked.rows:
            values = row["values"]
            item = current.get(values["code"])
            stale = (item is None) != (row["expected"] is None) or (
                item is not None and item_values(item) != row["expected"]
            )
            if stale or values["area"] not in areas:
                raise ValidationError(
                    _("The catalogue changed since this preview (item %(code)s): upload the file again.")
                    % {"code": values["code"]},
                    code="import_stale",
                )
            if row["action"] == "retire":
                assert item is not None
                item.retire()
                continue
            if row["action"] == "deactivate":
                assert item is not None
                item.deactivated_on = today
                item.full_clean()
                item.save(update_fields=["deactivated_on", "updated_at"])
                continue
            fields = _item_fields(values, areas)
            if item is None:
                item = CatalogueItem(code=values["code"], **fields)
                item.full_clean()
                item.save()
                continue
            for name, value in fields.items():
                setattr(item, name, value)
            item.deleted_at = None  # listed again: back in the catalogue
            item.full_clean()
            item.save(update_fields=[*fields, "deleted_at", "updated_at"])
        locked.status = CatalogueImportStatus.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
    return locked


@transaction.atomic
def catalogue_import_discard(*, actor: User, catalogue_import: CatalogueImport) -> CatalogueImport:
    """Drop a preview without writing anything."""
    _check_administrator(actor)
    locked = CatalogueImport.objects.select_for_update().get(pk=catalogue_import.pk)
    if locked.status == CatalogueImportStatus.PREVIEWED:
        locked.status = CatalogueImportStatus.DISCARDED
        locked.save(update_fields=["status"])
    return locked


# The fields an administrator sets on one item: the same as a catalogue file's columns.
CATALOGUE_ITEM_FIELDS = COLUMNS


def catalogue_item_create(*, actor: User, **fields: Any) -> CatalogueItem:
    """Add one item to the activity catalogue (administrators); many at once: catalogue_import."""
    return record_create(actor=actor, model=CatalogueItem, allowed=CATALOGUE_ITEM_FIELDS, fields=fields)


def catalogue_item_update(*, actor: User, item: CatalogueItem, **changes: Any) -> CatalogueItem:
    """Change one catalogue item (administrators)."""
    return record_update(actor=actor, record=item, allowed=CATALOGUE_ITEM_FIELDS, changes=changes)
