"""Date fields keep their value on French pages.

An <input type="date"> only accepts an ISO date (2027-03-27); Django would otherwise write the value in
the page language's first input format (27/03/2027 in French), which the browser drops, so an officer
editing a draft in French would lose its dates.
"""

import datetime

import pytest
from django import forms
from django.utils import translation

from tests.i18n.test_bilingual import _project_form_classes

HTML_DATE_TYPES = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M"}


def _date_widgets() -> list[tuple[str, forms.Widget]]:
    found = []
    for form_class in _project_form_classes():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if (
                getattr(widget, "input_type", None) in HTML_DATE_TYPES
                or widget.attrs.get("type") in HTML_DATE_TYPES
            ):
                found.append((f"{form_class.__name__}.{name}", widget))
    return found


def test_there_are_date_fields_to_check() -> None:
    assert len(_date_widgets()) >= 5


@pytest.mark.parametrize(
    ("name", "widget"), _date_widgets(), ids=lambda value: value if isinstance(value, str) else ""
)
def test_html_date_inputs_render_iso_dates_on_french_pages(name: str, widget: forms.Widget) -> None:
    value = datetime.datetime(2027, 3, 27, 10, 30)
    html_type = widget.attrs.get("type") or widget.input_type
    if html_type == "date":
        value = value.date()
    with translation.override("fr"):
        html = widget.render("d", value)

    assert f'value="{value.strftime(HTML_DATE_TYPES[html_type])}"' in html, f"{name}: {html}"
