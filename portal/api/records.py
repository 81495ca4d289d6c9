"""Create and change records through the API with the admin's rules: one helper per verb.

The permission (Django's model permission, as in the admin) is checked before the input is read, so
a user who may not change a kind of record learns nothing from validation errors; the write itself is
the app's service (portal/core/records.py does the checking, validation and audit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from rest_framework import serializers, status
from rest_framework.response import Response

from portal.accounts.http import AuthenticatedRequest
from portal.core.records import record_permission_check

from .responses import detail_response


def record_create_response(
    request: AuthenticatedRequest,
    *,
    serializer_class: type[serializers.ModelSerializer],
    create: Callable[..., models.Model],
) -> Response:
    """Validate the body with `serializer_class`, create through `create`, answer 201 with the record."""
    model = serializer_class.Meta.model
    record_permission_check(actor=request.user, model=model, action="add")
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    record = create(actor=request.user, **serializer.validated_data)
    return Response(
        serializer_class(record, context={"request": request}).data, status=status.HTTP_201_CREATED
    )


def record_update_response(
    request: AuthenticatedRequest,
    record: models.Model,
    *,
    serializer_class: type[serializers.ModelSerializer],
    update: Callable[..., models.Model],
    record_argument: str,
) -> Response:
    """Validate the fields sent (partial), change them through `update`, answer with the record."""
    record_permission_check(actor=request.user, model=type(record), action="change")
    serializer = serializer_class(record, data=request.data, partial=True, context={"request": request})
    serializer.is_valid(raise_exception=True)
    kwargs: dict[str, Any] = {"actor": request.user, record_argument: record, **serializer.validated_data}
    updated = update(**kwargs)
    return detail_response(serializer_class(updated, context={"request": request}).data)
