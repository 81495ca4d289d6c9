"""Detail responses with an ETag header."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from rest_framework import renderers
from rest_framework.response import Response

from .etags import etag_for


def content_etag(data: Any) -> str:
    """An ETag from the representation itself, for read-only resources whose sections change apart."""
    raw = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False).encode()
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def detail_response(data: Any, *, obj: models.Model | None = None, status: int = 200) -> Response:
    """The representation with its ETag: the object's version if given (for If-Match), else the content's."""
    response = Response(data, status=status)
    response["ETag"] = etag_for(obj) if obj is not None else content_etag(data)
    return response


class DownloadRenderer(renderers.BaseRenderer):
    """Lets a download view accept `Accept: application/octet-stream` (an error body is then JSON text)."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, cls=DjangoJSONEncoder).encode()
