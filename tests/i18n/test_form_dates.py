"""One date input everywhere: day, month and year in three labelled boxes, the same in both languages.

A browser's own picker (`<input type="date">`) wrote dates in the browser's locale (03/01/2027 in an
American Chromium) beside pages saying "1 mars 2027"; the portal's forms use `DayMonthYearField`.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from portal.accounts.models import Delegation, User
from portal.core.dates import DayMonthYearField, DayMonthYearWidget
from tests.factories import UserFactory
from tests.i18n.test_bilingual import _project_form_classes


class StartForm(forms.Form):
    start_date = DayMonthYearField(label="Start date")


def _date_fields() -> list[tuple[str, forms.Field]]:
    found = []
    for form_class in _project_form_classes():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if (
                isinstance(field, forms.DateField | DayMonthYearField)
                or getattr(widget, "input_type", None) == "date"
                or widget.attrs.get("type") == "date"
            ):
                found.append((f"{form_class.__name__}.{name}", field))
    return found


def test_there_are_date_fields_to_check() -> None:
    assert len(_date_fields()) >= 10


@pytest.mark.parametrize(
    ("name", "field"), _date_fields(), ids=lambda value: value if isinstance(value, str) else ""
)
def test_every_form_date_is_a_day_month_year_field(name: str, field: forms.Field) -> None:
    assert isinstance(field, DayMonthYearField), f"{name} is a {type(field).__name__}"
    assert isinstance(field.widget, DayMonthYearWidget), name


@pytest.mark.parametrize(
    ("language", "labels", "example"),
    [
        ("en", ["Day", "Month", "Year"], "For example, 27\u00a03\u00a02027"),
        ("fr", ["Jour", "Mois", "Année"], "Par exemple, 27\u00a03\u00a02027"),
    ],
)
def test_the_input_is_three_labelled_boxes_in_each_language(
    language: str, labels: list[str], example: str
) -> None:
    with translation.override(language):
        html = str(StartForm(initial={"start_date": datetime.date(2027, 3, 1)})["start_date"])

    assert "usa-memorable-date" in html and 'type="date"' not in html
    for index, (label, part, value) in enumerate(
        zip(labels, ("day", "month", "year"), ("1", "3", "2027"), strict=True)
    ):
        assert f'<label class="usa-label" for="id_start_date_{index}">{label}</label>' in html
        box = re.search(rf'<input[^>]*id="id_start_date_{index}"[^>]*>', html)
        assert box is not None
        assert f'name="start_date_{part}"' in box.group() and f'value="{value}"' in box.group()
        assert 'inputmode="numeric"' in box.group()
    assert str(StartForm.base_fields["start_date"].help_text) == "For example, 27\u00a03\u00a02027"
    with translation.override(language):
        assert str(StartForm()["start_date"].help_text) == example


def test_the_example_follows_the_forms_own_hint() -> None:
    field = DayMonthYearField(label="From", help_text=gettext_lazy("No later than a year from today."))
    with translation.override("fr"):
        assert str(field.help_text) == "Au plus tard dans un an. Par exemple, 27\u00a03\u00a02027"
    field.help_text = "A new hint."
    assert str(field.help_text) == "A new hint. For example, 27\u00a03\u00a02027"


def test_a_good_date_is_read_from_its_three_parts() -> None:
    form = StartForm(data={"start_date_day": "27", "start_date_month": "3", "start_date_year": "2027"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == datetime.date(2027, 3, 27)


def test_an_iso_date_posted_whole_is_read_too() -> None:
    form = StartForm(data={"start_date": "2027-03-27"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == datetime.date(2027, 3, 27)


@pytest.mark.parametrize(
    ("parts", "english", "french"),
    [
        (
            ("", "", ""),
            "Enter “Start date” as day, month and year",
            "Saisissez «\u00a0Start date\u00a0» en jour, mois et année",
        ),
        (
            ("27", "", "2027"),
            "Enter “Start date” as day, month and year",
            "Saisissez «\u00a0Start date\u00a0» en jour, mois et année",
        ),
        (
            ("27", "mars", "2027"),
            "Enter “Start date” as day, month and year",
            "Saisissez «\u00a0Start date\u00a0» en jour, mois et année",
        ),
        (
            ("27", "3", "27"),
            "Enter “Start date” as day, month and year",
            "Saisissez «\u00a0Start date\u00a0» en jour, mois et année",
        ),
        (
            ("31", "2", "2027"),
            "“Start date” must be a real date",
            "«\u00a0Start date\u00a0» doit être une date qui existe",
        ),
    ],
)
def test_a_bad_date_gets_an_error_naming_the_field_and_keeps_what_was_typed(
    parts: tuple[str, str, str], english: str, french: str
) -> None:
    data = dict(zip(("start_date_day", "start_date_month", "start_date_year"), parts, strict=True))
    for language, message in (("en", english), ("fr", french)):
        with translation.override(language):
            form = StartForm(data=data)
            assert not form.is_valid()
            (error,) = form.errors["start_date"]
            html = str(form["start_date"])

        assert error.startswith(message), error
        assert "27\u00a03\u00a02027" in error, "the error shows what to type"
        for index, value in enumerate(parts):
            assert (
                re.search(rf'<input[^>]*value="{re.escape(value)}"[^>]*id="id_start_date_{index}"', html)
                or not value
            )


# --- Through a page ---------------------------------------------------------------------------------


@pytest.fixture
def colleague(db: None) -> User:
    return UserFactory(username="colleague", first_name="Carla", last_name="Colleague")


def _client(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_french_delegation_page_asks_for_day_month_and_year(viewer: User) -> None:
    html = _client(viewer, "fr").get(reverse("notifications:delegation")).content.decode()

    assert 'type="date"' not in html
    assert html.count('class="usa-memorable-date"') == 2
    for index, label in enumerate(("Jour", "Mois", "Année")):
        assert f'<label class="usa-label" for="id_start_date_{index}">{label}</label>' in html
        assert f'<label class="usa-label" for="id_end_date_{index}">{label}</label>' in html
    assert "Par exemple, 27\u00a03\u00a02027" in html
    # The field's name heads its three boxes: a fieldset's legend.
    assert re.search(r'<fieldset[^>]*id="id_start_date"[^>]*>\s*<legend class="usa-legend">Du</legend>', html)


def test_a_good_date_typed_in_three_boxes_saves_the_delegation(viewer: User, colleague: User) -> None:
    start = timezone.localdate() + datetime.timedelta(days=2)
    end = start + datetime.timedelta(days=5)

    response = _client(viewer, "fr").post(
        reverse("notifications:delegation"),
        {
            "delegate": colleague.pk,
            "start_date_day": str(start.day),
            "start_date_month": str(start.month),
            "start_date_year": str(start.year),
            "end_date_day": str(end.day),
            "end_date_month": str(end.month),
            "end_date_year": str(end.year),
        },
    )

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.start_date, delegation.end_date) == (start, end)


def test_a_bad_date_on_the_french_page_is_named_and_kept(viewer: User, colleague: User) -> None:
    year = timezone.localdate().year + 1
    response = _client(viewer, "fr").post(
        reverse("notifications:delegation"),
        {
            "delegate": colleague.pk,
            "start_date_day": "31",
            "start_date_month": "2",
            "start_date_year": str(year),
            "end_date_day": "3",
            "end_date_month": "3",
            "end_date_year": str(year),
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "doit être une date qui existe, par exemple 27\u00a03\u00a02027." in html
    assert re.search(r'name="start_date_day" value="31"', html)
    assert re.search(r'name="start_date_month" value="2"', html)
    assert not Delegation.objects.exists()
