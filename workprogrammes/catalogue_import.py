"""Importing the activity catalogue from a CSV or XLSX file: parse, preview, then apply all or nothing.

The upload is parsed and compared with the catalogue; the preview (new items, changed items with the
old and new value of each field, invalid rows with their line and reason, and, when the file is the
whole catalogue, the items it no longer lists) is kept in a CatalogueImport row with the file's SHA-256.
Confirming writes exactly those rows, in one transaction: a file with an invalid row is not applied at
all, and neither is a preview the catalogue has moved on from since. Items used by activities or
requests are deactivated, never deleted; unused ones that the whole-catalogue file drops are retired.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import CooperationArea
from portal.accounts.models import User
from portal.core.models import Marking

from .models import (
    CATALOGUE_DESCRIPTION_MAX_LENGTH,
    CatalogueImport,
    CatalogueImportStatus,
    CatalogueItem,
    CatalogueItemDelivery,
    CatalogueItemKind,
    InclusionRequest,
    ProgrammeActivity,
)
from .programme_permissions import can_import_catalogue

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# The columns a file may have; `code`, `title_en`, `kind`, `area` and `needs_council_decision` are required.
COLUMNS = (
    "code",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "kind",
    "area",
    "needs_council_decision",
    "exemption_reason_en",
    "exemption_reason_fr",
    "external_reference",
    "institution",
    "discipline",
    "level",
    "delivery",
    "duration_days",
    "languages",
    "active_from",
    "deactivated_on",
    "marking",
    "audience",
    "fee_eur",
)
REQUIRED_COLUMNS = ("code", "title_en", "kind", "area", "needs_council_decision")
# Other names people give the same columns (lower case, spaces as underscores).
COLUMN_ALIASES = {
    "title": "title_en",
    "eprime": "external_reference",
    "eprime_reference": "external_reference",
    "eprime_ref": "external_reference",
    "reference": "external_reference",
    "needs_nac_decision": "needs_council_decision",
    "nac_decision": "needs_council_decision",
    "council_decision": "needs_council_decision",
    "fee": "fee_eur",
    "duration": "duration_days",
    "security_marking": "marking",
    "delivery_method": "delivery",
}
TRUE_WORDS = {"yes", "y", "true", "1", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"no", "n", "false", "0", "non", "faux", ""}
MARKING_WORDS = {
    "pu": Marking.PUBLIC,
    "public": Marking.PUBLIC,
    "public release": Marking.PUBLIC,
    "nu": Marking.NATO_UNCLASSIFIED,
    "nato unclassified": Marking.NATO_UNCLASSIFIED,
    "nr": Marking.NATO_RESTRICTED,
    "nato restricted": Marking.NATO_RESTRICTED,
    "nc": Marking.NATO_CONFIDENTIAL,
    "nato confidential": Marking.NATO_CONFIDENTIAL,
    "ns": Marking.NATO_SECRET,
    "nato secret": Marking.NATO_SECRET,
}
# The fields an import compares and writes, in the order the preview lists them.
COMPARED_FIELDS = (*(c for c in COLUMNS if c != "code"), "retired")


class CatalogueFileError(ValidationError):
    """The file as a whole cannot be read (wrong type, no header, too big); nothing is previewed."""


# --- Reading the file ---------------------------------------------------------------------------


def _column_name(header: Any) -> str:
    name = str(header or "").strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(name, name)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    for row in reader:
        yield reader.line_num, row


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise CatalogueFileError(_("The file is not a readable XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def catalogue_file_rows(*, name: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of a CSV or XLSX file as (line number, {column: raw value}); the first row names
    the columns. Raises CatalogueFileError for a file that cannot be read as a catalogue."""
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueFileError(_("The file is larger than 5 MB."))
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif lowered.endswith(".csv") or lowered.endswith(".txt"):
        raw = _csv_rows(data)
    else:
        raise CatalogueFileError(_("Upload a .csv or .xlsx file."))
    try:
        _number, header = next(raw)
    except StopIteration:
        raise CatalogueFileError(_("The file is empty.")) from None
    columns = [_column_name(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CatalogueFileError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for number, values in raw:
        if not any(str(v).strip() for v in values if v is not None):
            continue  # blank line
        cells = {column: values[i] if i < len(values) else None for i, column in enumerate(columns)}
        rows.append((number, {c: v for c, v in cells.items() if c in COLUMNS}))
        if len(rows) > MAX_ROWS:
            raise CatalogueFileError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    return rows


# --- Checking one row ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any, label: str, errors: list[str]) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    errors.append(
        _("%(column)s: “%(value)s” is not a date (use YYYY-MM-DD).") % {"column": label, "value": text}
    )
    return None


def _choice(value: Any, choices: Any, label: str, errors: list[str], *, blank_ok: bool = False) -> str:
    text = _text(value)
    if not text and blank_ok:
        return ""
    by_word = {str(v).lower(): str(v) for v in choices.values}
    by_word.update({str(lbl).lower(): str(v) for v, lbl in choices.choices})
    found = by_word.get(text.lower())
    if found is None:
        errors.append(
            _("%(column)s: “%(value)s” is not one of %(choices)s.")
            % {"column": label, "value": text, "choices": ", ".join(choices.values)}
        )
        return ""
    return found


def check_row(raw: dict[str, Any], *, areas: dict[str, int]) -> tuple[dict[str, Any], list[str]]:
    """One row normalised to the values the catalogue stores (JSON-ready), and the reasons it is invalid."""
    errors: list[str] = []
    row: dict[str, Any] = {"code": _text(raw.get("code"))}
    if not row["code"]:
        errors.append(_("code: required."))
    elif len(row["code"]) > 40:
        errors.append(_("code: at most 40 characters."))
    for name, limit in (
        ("title_en", 250),
        ("title_fr", 250),
        ("external_reference", 40),
        ("institution", 200),
        ("discipline", 120),
        ("level", 60),
        ("audience", 250),
        ("description_en", CATALOGUE_DESCRIPTION_MAX_LENGTH),
        ("description_fr", CATALOGUE_DESCRIPTION_MAX_LENGTH),
    ):
        row[name] = _text(raw.get(name))
        if len(row[name]) > limit:
            errors.append(_("%(column)s: at most %(limit)s characters.") % {"column": name, "limit": limit})
    for name in ("exemption_reason_en", "exemption_reason_fr"):
        row[name] = _text(raw.get(name))
    if not row["title_en"]:
        errors.append(_("title_en: required (the English title)."))
    row["kind"] = _choice(raw.get("kind"), CatalogueItemKind, "kind", errors)
    row["delivery"] = _choice(raw.get("delivery"), CatalogueItemDelivery, "delivery", errors, blank_ok=True)
    area = _text(raw.get("area"))
    row["area"] = area
    if area not in areas:
        errors.append(_("area: “%(value)s” is not the code of an area of cooperation.") % {"value": area})
    council = _text(raw.get("needs_council_decision")).lower()
    if council in TRUE_WORDS:
        row["needs_council_decision"] = True
    elif council in FALSE_WORDS:
        row["needs_council_decision"] = False
    else:
        errors.append(_("needs_council_decision: answer yes or no."))
        row["needs_council_decision"] = True
    duration = _text(raw.get("duration_days"))
    row["duration_days"] = None
    if duration:
        if duration.isdigit() and int(duration) >= 1:
            row["duration_days"] = int(duration)
        else:
            errors.append(_("duration_days: a whole number of days, at least 1."))
    languages = _text(raw.get("languages")).replace(";", ",").replace("/", ",")
    row["languages"] = [code.strip().lower() for code in languages.split(",") if code.strip()]
    if any(len(code) > 5 for code in row["languages"]):
        errors.append(_("languages: language codes such as en, fr."))
    row["active_from"] = _date(raw.get("active_from"), "active_from", errors)
    row["deactivated_on"] = _date(raw.get("deactivated_on"), "deactivated_on", errors)
    if row["active_from"] and row["deactivated_on"] and row["deactivated_on"] < row["active_from"]:
        errors.append(_("deactivated_on: before active_from."))
    marking = _text(raw.get("marking")).lower()
    if not marking:
        row["marking"] = int(Marking.NATO_UNCLASSIFIED)
    elif marking in MARKING_WORDS:
        row["marking"] = int(MARKING_WORDS[marking])
    elif marking.isdigit() and int(marking) in Marking.values:
        row["marking"] = int(marking)
    else:
        row["marking"] = int(Marking.NATO_UNCLASSIFIED)
        errors.append(_("marking: “%(value)s” is not a marking (NU, NR, NC, NS).") % {"value": marking})
    fee = _text(raw.get("fee_eur")).replace("€", "").replace(" ", "").replace(",", ".")
    row["fee_eur"] = None
    if fee:
        try:
            amount = Decimal(fee)
        except InvalidOperation:
            errors.append(_("fee_eur: “%(value)s” is not an amount.") % {"value": fee})
        else:
            if amount < 0 or amount >= Decimal("100000000"):
                errors.append(_("fee_eur: between 0 and 99,999,999.99."))
            else:
                row["fee_eur"] = str(amount.quantize(Decimal("0.01")))
    row["retired"] = False
    return row, errors


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
    """Every catalogue item (retired ones too), with whether activities or requests name it."""
    return CatalogueItem.objects.annotate(
        in_activities=Exists(ProgrammeActivity.objects.filter(catalogue_item=OuterRef("pk"))),
        in_requests=Exists(InclusionRequest.objects.filter(catalogue_item=OuterRef("pk"))),
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
            if item.in_activities or item.in_requests:
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
