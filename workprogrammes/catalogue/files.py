"""Reading a catalogue file (CSV or XLSX) and checking each of its rows; catalogue/services.py previews
and applies what they give."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.core.models import Marking

from .models import (
    CATALOGUE_DESCRIPTION_MAX_LENGTH,
    CatalogueItemDelivery,
    CatalogueItemKind,
)

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


class CatalogueFileError(ValidationError):
    """The file as a whole cannot be read (wrong type, no header, too big); nothing is previewed."""


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
