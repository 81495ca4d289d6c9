"""ETags on detail responses and optimistic locking with If-Match: optional on updates, required on
workflow actions (a transition never acts on a version its client has not seen). Either way a tag sent
in If-Match is compared strongly: a weak tag (W/...) is refused with the reason, never taken as a match.

The tag is derived from the row's identity and its version (`revision` where the model has one, and
`updated_at`), so any saved change gives a new tag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.request import Request

from .exceptions import PreconditionFailed, PreconditionRequired


def etag_for(obj: models.Model) -> str:
    """The strong ETag (quoted) of the object's current version."""
    updated_at = getattr(obj, "updated_at", None)
    parts = [
        obj._meta.label_lower,
        str(obj.pk),
        updated_at.isoformat() if updated_at else "",
        str(getattr(obj, "revision", "")),
    ]
    return '"' + hashlib.sha256(":".join(parts).encode()).hexdigest()[:32] + '"'


WEAK_TAG_REFUSED = gettext_lazy(
    "A weak ETag (W/...) is not accepted in If-Match: send the strong ETag of your last GET."
)


def _listed_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def check_if_match(request: Request, obj: models.Model) -> None:
    """If-Match is optional on updates; when sent, it must name the current version, or the answer is 412."""
    check_if_match_etag(request, etag_for(obj))


def check_if_match_etag(request: Request, current: str) -> None:
    """As check_if_match, against a tag computed by the caller (e.g. a record and its parts together).

    If-Match compares tags strongly (RFC 9110): a weak tag never names a version, so a header with only
    weak tags is refused with 428 and the reason rather than taken as a match. `*` matches any version.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return
    tags = _listed_tags(header)
    if "*" in tags:
        return
    strong = {tag for tag in tags if not tag.startswith("W/")}
    if not strong:
        raise PreconditionRequired(WEAK_TAG_REFUSED)
    if current not in strong:
        raise PreconditionFailed()


@contextmanager
def if_match_required(
    request: Request, obj: models.Model | None = None, *, version: str | None = None
) -> Iterator[None]:
    """Around a workflow action, inside its transaction: If-Match must name the object's version as it
    was before the action (`obj`'s, or `version` for a record whose tag covers its parts), by its
    strong tag. The action's own refusals (403, 409, 400) answer first;
    then 428 when If-Match is missing, `*` or only weak tags, 412 when it names another version, and
    the action is rolled back with the transaction."""
    current = version if version is not None else etag_for(obj)  # type: ignore[arg-type]
    yield
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    tags = _listed_tags(header)
    if "*" in tags:
        raise PreconditionRequired(
            _("If-Match: * is not accepted on a workflow action: send the ETag of your last GET.")
        )
    strong = {tag for tag in tags if not tag.startswith("W/")}
    if not strong:
        raise PreconditionRequired(WEAK_TAG_REFUSED)
    if current not in strong:
        raise PreconditionFailed()


@dataclass(frozen=True)
class IfMatch:
    """The request's If-Match, handed to a workflow step's service as the version the client expects
    (portal/core/state_machine.py `VersionCheck`): the service checks it under its own lock.

    Required (`if_match_required`) on workflow steps; optional (`check_if_match_etag`, before the step)
    where `required=False`. `version` gives the record's tag (a programme's covers its activities).
    """

    request: Request
    version: Callable[[Any], str] = etag_for
    required: bool = True

    def guard(self, record: Any) -> AbstractContextManager[None]:
        current = self.version(record)
        if self.required:
            return if_match_required(self.request, version=current)
        check_if_match_etag(self.request, current)
        return nullcontext()
