"""One error body for every API failure: {"error": {"code", "message", "fields"}}.

Domain exceptions raised by services are translated here, so views never catch them one by one: a
Django ValidationError is a 400 with its field errors, an illegal or stale workflow transition a 409.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

NON_FIELD_ERRORS_KEY = "non_field_errors"


class Conflict(exceptions.APIException):
    """The action is not allowed in the object's current state (or the state changed meanwhile)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action is not allowed in the current state.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """The If-Match ETag no longer matches: someone changed the object since it was read."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The object has changed since you read it; fetch it again and retry.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    """A workflow action sent without If-Match and the strong ETag of the version the client has seen."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "This workflow action needs an If-Match header with the ETag of your last GET of the request."
    )
    default_code = "precondition_required"


# Domain exceptions that mean "not in this state": each maps to a 409. Apps add theirs with
# `register_conflict_exception` in their api package, so this module imports no app.
_CONFLICT_EXCEPTIONS: list[type[Exception]] = []


def register_conflict_exception(exc_class: type[Exception]) -> None:
    if exc_class not in _CONFLICT_EXCEPTIONS:
        _CONFLICT_EXCEPTIONS.append(exc_class)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as {"field" or "items.2.field": [messages]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            fields.update(_flatten(value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}"))
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            fields.setdefault(prefix or NON_FIELD_ERRORS_KEY, []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields.setdefault(prefix or NON_FIELD_ERRORS_KEY, []).append(str(detail))
    return fields


def _translate_domain_exception(exc: Exception) -> Exception:
    # Before ValidationError: a workflow's "not in this state" error may be a kind of ValidationError.
    if isinstance(exc, tuple(_CONFLICT_EXCEPTIONS)):
        return Conflict(str(exc) or None, code=getattr(exc, "code", None) or Conflict.default_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                (NON_FIELD_ERRORS_KEY if key == "__all__" else key): value
                for key, value in exc.message_dict.items()
            }
        else:
            detail = {NON_FIELD_ERRORS_KEY: exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (headers, rollback), then the portal's error body."""
    exc = _translate_domain_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django answer 500 and log it
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.get(NON_FIELD_ERRORS_KEY)
        message = non_field[0] if non_field else str(_("Some fields are invalid."))
        response.data = error_body("invalid", message, fields)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else str(exc.default_detail)
        response.data = error_body(str(code), message)
    if response.status_code == status.HTTP_403_FORBIDDEN:
        request = context.get("request")
        logger.info(
            "API access refused: %s %s user=%s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            getattr(getattr(request, "user", None), "pk", None),
        )
    return response
