"""Query parameters validated by django-filter FilterSets and handed to the apps' selectors.

A list view names a FilterSet (which documents its parameters in the schema and turns a bad value into
a 400) and passes the cleaned values to the same selector as its page, so the query shape exists once.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents and validates the view's FilterSet; the selector, not the backend, filters."""

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        return queryset


def _cleaned_by_fields(filterset_class: Any, data: Any) -> dict[str, Any] | None:
    """The parameters present in `data`, cleaned by the form fields of the class's filters, as the filter
    set's form cleans them; None when one is invalid (the form then says why).

    The form is a deep copy of every filter and field, built for each request; each class filter's own
    field (built once, and stateless when reading and cleaning a value) gives the same values.
    """
    cleaned: dict[str, Any] = {}
    for name, declared in filterset_class.base_filters.items():
        if name not in data:
            continue
        field = declared.field
        try:
            cleaned[name] = field.clean(field.widget.value_from_datadict(data, {}, name))
        except DjangoValidationError:
            return None
    return cleaned


def filter_params(view: Any) -> dict[str, Any]:
    """The view's query parameters, cleaned by its FilterSet; a 400 with field errors when invalid."""
    filterset_class = view.filterset_class
    data = view.request.query_params
    if not any(name in data for name in filterset_class.base_filters):
        return {}  # nothing to validate (building the filter set's form costs more than the query)
    if filterset_class._meta.form is forms.Form:
        cleaned = _cleaned_by_fields(filterset_class, data)
        if cleaned is not None:
            return {name: value for name, value in cleaned.items() if value not in (None, "", [])}
    filterset = filterset_class(
        data=view.request.query_params,
        queryset=filterset_class._meta.model._default_manager.none(),
        request=view.request,
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "", [])}
