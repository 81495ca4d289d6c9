"""filter_params cleans the parameters present with each filter's own field: the values its FilterSet's
form gives, for every FilterSet of the API; an invalid value still gets the form's errors (400)."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from portal.api.filters import filter_params


def _filtersets() -> list[type[django_filters.FilterSet]]:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module, so every FilterSet)
    found: list[type[django_filters.FilterSet]] = []
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if kind.__module__.split(".")[0] in {
            "operations",
            "partners",
            "portal",
            "profiles",
            "workprogrammes",
        }:
            found.append(kind)
    return found


def _values(declared: Any) -> list[str]:
    if isinstance(declared, django_filters.BooleanFilter):
        return ["true", "false", "1", "0", "unknown"]
    if isinstance(declared, (django_filters.ChoiceFilter, django_filters.MultipleChoiceFilter)):
        return [str(value) for value, _label in declared.extra["choices"]][:2]
    if isinstance(declared, django_filters.NumberFilter):
        return ["2024", " 2025 "]
    if isinstance(declared, django_filters.DateFilter):
        return ["2026-01-31"]
    return ["JP", " JP ", ""]


class _View:
    def __init__(self, filterset_class: Any, query: str) -> None:
        self.filterset_class = filterset_class
        self.request = Request(APIRequestFactory().get("/api/v1/x/?" + query))


def _by_form(filterset_class: Any, query: str) -> dict[str, Any]:
    filterset = filterset_class(
        data=QueryDict(query), queryset=filterset_class._meta.model._default_manager.none()
    )
    assert filterset.is_valid(), filterset.errors
    return {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "", [])}


@pytest.mark.django_db
def test_the_parameters_present_are_cleaned_as_the_filter_sets_form_cleans_them() -> None:
    filtersets = _filtersets()
    assert len(filtersets) >= 5
    for filterset_class in filtersets:
        for name, declared in filterset_class.base_filters.items():
            for value in _values(declared):
                query = QueryDict(mutable=True)
                query.setlist(name, [value])
                text = query.urlencode()
                assert filter_params(_View(filterset_class, text)) == _by_form(filterset_class, text), (
                    filterset_class,
                    name,
                    value,
                )
        everything = QueryDict(mutable=True)
        for name, declared in filterset_class.base_filters.items():
            everything.setlist(name, _values(declared)[:1])
        text = everything.urlencode()
        assert filter_params(_View(filterset_class, text)) == _by_form(filterset_class, text)


@pytest.mark.django_db
def test_an_invalid_parameter_gets_the_forms_errors() -> None:
    from workprogrammes.programmes.api.views import ActivityFilter

    with pytest.raises(ValidationError) as raised:
        filter_params(_View(ActivityFilter, "partner=JP&year=nineteen&status=lost"))
    assert set(raised.value.detail) == {"year", "status"}  # type: ignore[arg-type]
