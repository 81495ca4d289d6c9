"""Query parameters validated by django-filter FilterSets and handed to the apps' selectors.

A list view names a FilterSet (which documents its parameters in the schema and turns a bad value into
a 400) and passes the cleaned values to the same selector as its page, so the query shape exists once.
"""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents and validates the view's FilterSet; the selector, not the backend, filters."""

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        return queryset


def filter_params(view: Any) -> dict[str, Any]:
    """The view's query parameters, cleaned by its FilterSet; a 400 with field errors when invalid."""
    filterset_class = view.filterset_class
    if not any(name in view.request.query_params for name in filterset_class.base_filters):
        return {}  # nothing to validate (building the filter set's form costs more than the query)
    filterset = filterset_class(
        data=view.request.query_params,
        queryset=filterset_class._meta.model._default_manager.none(),
        request=view.request,
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return {name: value for name, value in filterset.form.cleaned_data.items() if value not in (None, "", [])}
