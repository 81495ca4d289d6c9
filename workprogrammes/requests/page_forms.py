"""The markup of the request page's comment and attachment forms' fields, written once per distinct form.

Django writes each widget through templates of its own (a select: one per option and per attribute
list), which made the two forms a large part of building the request page. An unbound form's fields
come out the same for every page in one language with the same choices, initial values and hints:
their markup is kept, per language and per such description of the form (never per user or session;
what a user may choose was decided when the form was built, and is part of the description). A bound
form (what was typed, its errors) is written afresh every time.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

FIELD_TEMPLATE = "requests/includes/field.html"
# Between two fields, what the page's template wrote between two includes.
SEPARATOR = "\n    "
# Languages x forms x choices seen: a few dozen at most; past this the kept markup is dropped.
KEPT_AT_MOST = 256

_kept: dict[tuple[Any, ...], SafeString] = {}


def fields_html(form: forms.Form, names: tuple[str, ...]) -> SafeString:
    """The named fields of the form, each in requests/includes/field.html."""
    if form.is_bound:
        return _written(form, names)
    key = _description(form, names)
    markup = _kept.get(key)
    if markup is None:
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        markup = _kept[key] = _written(form, names)
    return markup


def _written(form: forms.Form, names: tuple[str, ...]) -> SafeString:
    pieces = [render_to_string(FIELD_TEMPLATE, {"field": form[name]}) for name in names]
    # Each piece is the template's (escaped) output.
    return SafeString(SEPARATOR.join(pieces))


def _description(form: forms.Form, names: tuple[str, ...]) -> tuple[Any, ...]:
    """Everything an unbound form's fields' markup is written from."""
    fields = []
    for name in names:
        field: Any = form.fields[name]
        fields.append(
            (
                name,
                type(field),
                type(field.widget),
                str(field.label),
                str(field.help_text),
                field.required,
                field.disabled,
                field.show_hidden_initial,
                field.localize,
                getattr(field, "max_length", None),
                repr(form.get_initial_for_field(field, name)),
                tuple((str(value), str(label)) for value, label in getattr(field, "choices", ())),
                tuple(sorted((key, str(value)) for key, value in field.widget.attrs.items())),
            )
        )
    return (
        get_language(),
        type(form),
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        tuple(fields),
    )
