"""Cross-cutting API views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


@extend_schema(exclude=True)
class UnknownEndpointView(APIView):
    """Any other path under /api/: the API's own 404 body (JSON), after the usual authentication."""

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound()

    get = post = put = patch = delete = _not_found


def _list_routes() -> dict[str, str]:
    """Each resource of version 1 that has a list: its name and URL name (the routers' "<name>-list")."""
    from django.urls import get_resolver

    resolver = get_resolver()
    names: dict[str, str] = {}
    api = resolver.namespace_dict.get("api")
    if api is None:
        return names
    _prefix, api_resolver = api
    for key in api_resolver.reverse_dict:
        if isinstance(key, str) and key.endswith("-list"):
            # Only routes without arguments (nested lists need a parent's id).
            possibilities = api_resolver.reverse_dict.getlist(key)
            if any(not params for _bits, _pattern, params, _converters in possibilities):
                names[key.removesuffix("-list")] = f"api:{key}"
    return dict(sorted(names.items()))


@extend_schema(exclude=True)
class ApiRootView(APIView):
    """/api/v1/: the API's root, with a link to each resource, to the schema and to the documentation."""

    def get(self, request: Request) -> Response:
        from rest_framework.reverse import reverse

        resources = {name: reverse(url_name, request=request) for name, url_name in _list_routes().items()}
        return Response(
            {
                "resources": resources,
                "schema": reverse("api-schema", request=request),
                "docs": reverse("api-docs", request=request),
                "redoc": reverse("api-redoc", request=request),
            }
        )
