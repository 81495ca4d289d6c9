"""The portal's one date input: day, month and year in three boxes (the GOV.UK "date input" pattern,
USWDS's `usa-memorable-date`), labelled in the page's language.

A browser's own date picker (`<input type="date">`) writes dates in the browser's locale (03/01/2027 in
an American Chromium) whatever the page's language, beside pages that say "1 March 2027" or
"1 mars 2027". Three numbered boxes read the same way in both languages: day, month, year.

`DayMonthYearField` is the field; `DayMonthYearWidget` its widget. The parts are posted as
`<name>_day`, `<name>_month` and `<name>_year` (their ids end in _0, _1, _2); a single ISO date posted
as `<name>` (2027-03-27) is read too, for clients that send one. What was typed stays in the boxes when
the form shows an error.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")
# The example date, in the order the boxes come, never broken across lines (non-breaking spaces).
EXAMPLE_DATE = "27\u00a03\u00a02027"
EXAMPLE = format_lazy(_("For example, {date}"), date=EXAMPLE_DATE)


def _part(label: Any, css: str, maxlength: int) -> forms.TextInput:
    # Text with a numeric keypad rather than type="number" (GOV.UK's advice: no spinner, no rounding).
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "maxlength": str(maxlength),
            "autocomplete": "off",
            "data-part-label": label,
            "data-part-class": css,
        }
    )


class DayMonthYearWidget(forms.MultiWidget):
    """Three text boxes for a date's day, month and year, each with its own label."""

    template_name = "portal/widgets/day_month_year.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": _part(pgettext_lazy("date part", "Day"), "usa-form-group--day", 2),
            "month": _part(pgettext_lazy("date part", "Month"), "usa-form-group--month", 2),
            "year": _part(pgettext_lazy("date part", "Year"), "usa-form-group--year", 4),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            return self._from_iso(value)
        return ["", "", ""]

    @staticmethod
    def _from_iso(value: str) -> list[str]:
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            # Not a date: keep what was sent, so that the form says it is not one.
            return [value, "", ""]
        return [str(day.day), str(day.month), str(day.year)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        parts = [data.get(f"{name}_{part}") for part in PARTS]
        if all(part is None for part in parts) and data.get(name):
            return self._from_iso(str(data.get(name)))
        return [("" if part is None else str(part)) for part in parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_: str) -> str:
        # The legend names the three boxes; a link to the field goes to the day.
        return f"{id_}_0" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        classes = set((attrs.get("class") or "").split()) | {"usa-input"}
        attrs["class"] = " ".join(sorted(classes))
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            sub_attrs = subwidget["attrs"]
            subwidget["label"] = sub_attrs.pop("data-part-label")
            subwidget["group_class"] = sub_attrs.pop("data-part-class")
        return context


class DayMonthYearField(forms.MultiValueField):
    """A date typed as day, month and year; errors name the field and say what to type.

    Its hint always ends with the example ("For example, 27 3 2027"), after the form's own hint if it
    has one, so that the hint comes before an error and both before the boxes.
    """

    widget = DayMonthYearWidget
    _own_help_text: Any = ""

    @property
    def help_text(self) -> Any:
        if self._own_help_text:
            return format_lazy("{} {}", self._own_help_text, EXAMPLE)
        return EXAMPLE

    @help_text.setter
    def help_text(self, value: Any) -> None:
        self._own_help_text = value or ""

    def __init__(self, **kwargs: Any) -> None:
        # Model fields hand their own form arguments; those of a single-value field do not apply.
        for unused in ("max_length", "empty_value", "input_formats"):
            kwargs.pop(unused, None)
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return str(self.label) if self.label else gettext("the date")

    def _enter(self) -> forms.ValidationError:
        return forms.ValidationError(
            gettext("Enter “%(label)s” as day, month and year, for example %(example)s.")
            % {"label": capfirst(self._name()), "example": EXAMPLE_DATE},
            code="invalid",
        )

    def clean(self, value: Any) -> datetime.date | None:
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            if self.required:
                message = self.error_messages.get("required")
                if not message or message == forms.Field.default_error_messages["required"]:
                    message = self._enter().message
                raise forms.ValidationError(message, code="required")
            return None
        day, month, year = parts[:3]
        if not all(part.isdigit() for part in (day, month, year)) or len(year) != 4:
            raise self._enter()
        try:
            result = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                gettext("“%(label)s” must be a real date, for example %(example)s.")
                % {"label": capfirst(self._name()), "example": EXAMPLE_DATE},
                code="invalid_date",
            ) from None
        self.run_validators(result)
        return result

    def compress(self, data_list: list[Any]) -> datetime.date | None:  # pragma: no cover - clean() decides
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != (initial.date() if isinstance(initial, datetime.datetime) else initial)
        except forms.ValidationError:
            return True
