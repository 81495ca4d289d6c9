"""What every form of the portal shares: error messages that name the field and say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext

from .dates import EXAMPLE_DATE, DayMonthYearField


def required_message(name: str, field: forms.Field) -> str:
    """The error for a required field left empty: names the field and says what to do, in the page's language.

    "This field is required." alone leaves a reader of the error summary guessing which field it means.
    """
    label = str(field.label) if field.label else capfirst(name.replace("_", " "))
    if isinstance(field, forms.BooleanField):
        return gettext("Tick “%(label)s” to continue.") % {"label": label}
    if isinstance(field, forms.FileField):
        return gettext("Choose a file for “%(label)s”.") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return gettext("Select an option for “%(label)s”.") % {"label": label}
    if isinstance(field, DayMonthYearField):
        return gettext("Enter “%(label)s” as day, month and year, for example %(example)s.") % {
            "label": label,
            "example": EXAMPLE_DATE,
        }
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return gettext("Enter a date for “%(label)s”.") % {"label": label}
    return gettext("Fill in “%(label)s”.") % {"label": label}


class RequiredMessagesMixin:
    """Gives each required field of the form its own "fill in …" message (see required_message)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # A message the form set itself (e.g. "Give a reason.") is already specific: keep it.
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages = {**field.error_messages, "required": required_message(name, field)}


def add_service_errors(form: forms.BaseForm, error: ValidationError, *, keep: bool = False) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, else on top.
    `keep`: leave a field that is already in error with its own message."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        if keep and field in form.errors:
            continue
        form.add_error(field if field in form.fields else None, messages)
