"""OpenAPI generation: every operation documents the portal's error body for each error it can answer.

Views declare their success responses and the errors particular to them (409, 412) with
`extend_schema`; the errors every operation can give (400 bad query or body, 401, 403, 404, 429, 503,
415 for bodies, and 422 for a POST's reused Idempotency-Key) are added here once, so the schema never
omits one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class PortalTokenScheme(KnoxTokenScheme):
    """The API token's security scheme, as knox's (the portal's authentication class is a subclass)."""

    target_class = "portal.api.authentication.PortalTokenAuthentication"


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Machine-readable error code, e.g. invalid, not_found, conflict.")
    )
    message = serializers.CharField(help_text=_("Human-readable message in the request's language."))
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            'Field errors: {"field" or "items.2.field": [messages]}; empty unless the code is invalid.'
        ),
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS: dict[int, Any] = {
    400: _("Invalid input: a field, a query parameter or the body is wrong (see error.fields)."),
    401: _("Not authenticated: send a session cookie or an `Authorization: Token <token>` header."),
    403: _("Authenticated, but not allowed to do this."),
    404: _("Not found, or not visible to you (also an unknown page or cursor)."),
    409: _("Not allowed in the object's current state (an illegal or stale workflow transition)."),
    412: _("If-Match does not match the current ETag: the object changed since you read it."),
    413: _("The uploaded file is too large."),
    428: _("A workflow action sent without If-Match and the strong ETag of your last GET of the object."),
    415: _("Unsupported media type for the request body."),
    422: _("The Idempotency-Key was already used for another request (method, address or body)."),
    429: _("Too many requests: wait for the number of seconds in Retry-After."),
    503: _(
        "The database cannot be reached for the moment: retry after the number of seconds in "
        "Retry-After (with the same Idempotency-Key for a POST)."
    ),
}


def error_response(code: int) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=str(ERROR_DESCRIPTIONS[code]))


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses to list in a view's `extend_schema(responses=...)`."""
    return {code: error_response(code) for code in codes}


ACCEPT_LANGUAGE = OpenApiParameter(
    name="Accept-Language",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    enum=["en", "fr"],
    description=str(
        _("Language of messages and of bilingual fields such as `name` (English if absent or unknown).")
    ),
)

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=str(
        _("Optional: the ETag from a GET of this object; if it changed since, the answer is 412.")
    ),
)

IF_MATCH_REQUIRED = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description=str(
        _(
            "Required: the strong ETag from your last GET of this object. Without it (or with * or a "
            "weak tag) the answer is 428; if the object changed since, 412. Nothing changes in either case."
        )
    ),
)


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=str(
        _(
            "Optional, up to 255 visible ASCII characters (e.g. a new UUID for each operation). The first "
            "successful answer is kept for IDEMPOTENCY_KEY_HOURS (24 by default) in the same transaction "
            "as the write: a retry with the same key gets that answer again, with the header "
            "`Idempotent-Replayed: true`, and writes nothing. The same key with another method, address "
            "or body is refused with 422. An error answer keeps nothing."
        )
    ),
)


ETAG_HEADER = {
    "schema": {"type": "string"},
    "required": True,
    "description": str(_("The version of the representation; send it back in If-Match to update safely.")),
}


class PortalAutoSchema(AutoSchema):
    """AutoSchema that adds the errors every operation can answer, the Accept-Language header, and the
    ETag header of the methods a view lists in `etag_methods` (those answering with detail_response)."""

    def get_override_parameters(self) -> list[Any]:
        extra = [IDEMPOTENCY_KEY] if self.method == "POST" else []
        return [*super().get_override_parameters(), ACCEPT_LANGUAGE, *extra]

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        codes = [400, 401, 403, 404, 429, 503]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append(415)
        if self.method == "POST":
            codes.append(422)
        responses = operation["responses"]
        if self.method in getattr(self.view, "etag_methods", ()):
            for success in ("200", "201"):
                if success in responses:
                    responses[success]["headers"] = {"ETag": ETAG_HEADER}
        for code in codes:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code))
        return operation
