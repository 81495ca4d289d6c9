"""Content Security Policy helpers for pages the portal does not write itself (admin, API documentation).

The global policy (settings.CONTENT_SECURITY_POLICY) forbids inline scripts and styles. A vendor page
with a fixed inline block is allowed exactly that block, by its SHA-256 hash, on that response only;
the rest of the portal never relaxes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.S | re.I)

View = Callable[..., HttpResponseBase]


def _hash(body: str) -> str:
    digest = hashlib.sha256(body.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_block_hashes(html: str) -> dict[str, list[str]]:
    """The CSP sources that allow exactly the inline <script> and <style> blocks of this HTML."""
    scripts = [
        _hash(m["body"])
        for m in _SCRIPT.finditer(html)
        if "src=" not in m["attrs"].lower() and m["body"].strip()
    ]
    styles = [_hash(m["body"]) for m in _STYLE.finditer(html) if m["body"].strip()]
    return {"script-src": sorted(set(scripts)), "style-src": sorted(set(styles))}


def csp_allow_own_inline_blocks(*, scripts: bool = True, styles: bool = True) -> Callable[[View], View]:
    """Decorate a vendor view so that its response's own inline blocks (and only those) may run."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if not response.get("Content-Type", "").startswith("text/html"):
                return response
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()
            if not isinstance(response, HttpResponse):  # streamed or a file: no inline blocks to allow
                return response
            hashes = inline_block_hashes(response.content.decode(response.charset or "utf-8", "replace"))
            update: dict[str, list[str]] = dict(getattr(response, "_csp_update", None) or {})
            for directive, sources in hashes.items():
                if sources and (
                    (directive == "script-src" and scripts) or (directive == "style-src" and styles)
                ):
                    update[directive] = [*update.get(directive, []), *sources]
            if update:
                response._csp_update = update  # type: ignore[attr-defined]
            return response

        return wrapped

    return decorator


def decorate_urlpatterns(
    patterns: list[URLPattern | URLResolver], decorator: Callable[[View], View]
) -> list[URLPattern | URLResolver]:
    """Apply a view decorator to every view of an included URLconf (e.g. the admin site's)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            decorate_urlpatterns(entry.url_patterns, decorator)
        else:
            entry.callback = decorator(entry.callback)
    return patterns
