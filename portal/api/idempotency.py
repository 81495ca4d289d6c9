"""API writes: each in one transaction with its answer, and safe to retry with an `Idempotency-Key`.

Every POST, PUT, PATCH and DELETE under /api/ runs in one database transaction that also builds the
answer: a write whose answer fails (the database lost in between, a bug) is rolled back, so an error
answer (4xx, 5xx) always means that nothing was saved.

A POST (a create or a workflow action) may carry `Idempotency-Key: <up to 255 visible ASCII characters>`,
e.g. a UUID the client makes for each operation. The first successful (2xx) answer is stored with the
key, for the user who sent it, in the same transaction as the write (portal.api.models.IdempotencyKey).
A retry with the same key within IDEMPOTENCY_KEY_HOURS gets that answer again, with the header
`Idempotent-Replayed: true`, and writes nothing; the same key with another request (method, path or
body) is refused with 422. An error answer stores nothing, so the key can be used again. Two requests
with one key at the same moment: the second waits for the first, and is then answered as a retry.
Expired keys are deleted by a periodic task (idempotency_keys_expire).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Headers of the first answer given again with it.
KEPT_HEADERS = ("Content-Type", "Content-Language", "ETag", "Location")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        # An upload is not read into memory here: it is compared by its length.
        digest.update(str(request.META.get("CONTENT_LENGTH", "")).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user_id=user_id, key=key, created_at__gte=_cutoff()).first()


def _replay(stored: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if stored.fingerprint != fingerprint:
        return _error(
            422,
            "idempotency_key_reused",
            _(
                "This Idempotency-Key was already used for another request (a different method, address "
                "or body). Use a new key for each operation."
            ),
        )
    response = HttpResponse(stored.body, status=stored.status_code)
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _user_id(request: HttpRequest) -> int | None:
    # DRF sets the user it authenticated (token or session) on the request once the view has run.
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class ApiWriteMiddleware:
    """Runs each API write and its answer in one transaction; Idempotency-Key on POST (see above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = request.headers.get(HEADER) if request.method == "POST" else None
        if key is None:
            return self._atomic(request)
        if not KEY_PATTERN.fullmatch(key):
            return _error(
                400,
                "invalid_idempotency_key",
                _("Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID."),
            )
        fingerprint = _fingerprint(request)  # read before the view consumes the body
        try:
            return self._atomic(request, key=key, fingerprint=fingerprint)
        except IntegrityError:
            # Another request with this key committed first (the unique key waited for it): its answer.
            user_id = _user_id(request)
            stored = _stored(user_id, key) if user_id is not None else None
            if stored is None:
                raise
            return _replay(stored, fingerprint)

    def _atomic(self, request: HttpRequest, *, key: str | None = None, fingerprint: str = "") -> HttpResponse:
        with transaction.atomic():
            response = self.get_response(request)
            user_id = _user_id(request) if key is not None else None
            if user_id is not None and key is not None:
                stored = _stored(user_id, key)
                if stored is not None:  # a retry: what this run did is undone, the first answer given
                    transaction.set_rollback(True)
                    return _replay(stored, fingerprint)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # an error answer means that nothing was saved
                return response
            if user_id is not None and key is not None and 200 <= response.status_code < 300:
                if response.streaming:  # a file: sent as it is made, not kept
                    return response
                # Only an expired key makes way: one that another request with this key committed since
                # the check above stays, and this insert then fails on it (that request's answer is given).
                IdempotencyKey.objects.filter(user_id=user_id, key=key, created_at__lt=_cutoff()).delete()
                IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    method=request.method or "POST",
                    path=request.get_full_path()[:2000],
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
                    body=response.content.decode(response.charset or "utf-8"),
                )
        return response
