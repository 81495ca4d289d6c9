"""Reassigning a request's review: the head of its desk (the reviewers' lead) or an administrator gives it
to another reviewer. The status stays; the timeline names both reviewers."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record

from . import permissions
from .models import WAITING_FOR_REVIEW, InclusionRequest, StatusChange
from .models import InclusionRequestStatus as S
from .services import request_event_data
from .workflow import TransitionNotAllowed
from .workflow_services import review_period


def _reassign_errors(*, locked: InclusionRequest, reviewer: User | None, reason: str) -> None:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for reassigning the review.")
    if reviewer is None:
        errors["reviewer"] = _("Choose the reviewer to give the reviews to.")
    else:
        refusal = permissions.reviewer_refusal(reviewer, locked)
        if refusal is not None:
            errors["reviewer"] = refusal
        elif reviewer.pk == locked.reviewer_id:
            errors["reviewer"] = _("%(name)s already reviews this request.") % {
                "name": reviewer.get_full_name() or reviewer.get_username()
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inclusion_request_reassign(
    *,
    actor: User,
    request: InclusionRequest,
    reviewer: User | None,
    reason: str,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Give a request's review to another reviewer, with a reason; the new reviewer has a fresh review
    period and is told. `expected_version` (the API's If-Match) is checked under the request's lock."""
    now = now or timezone.now()
    locked = InclusionRequest.objects.select_for_update().select_related("desk").get(pk=request.pk)
    with version_guard(expected_version, locked):
        if not permissions.may_reassign_review(actor, locked):
            raise PermissionDenied(
                _("Only the head of the request's desk or an administrator may reassign its review.")
            )
        if locked.status not in WAITING_FOR_REVIEW:
            raise TransitionNotAllowed(
                _("This request is %(status)s; only a review waiting or under way can be reassigned.")
                % {"status": S(locked.status).label.lower()},
                code="not_under_review",
            )
        _reassign_errors(locked=locked, reviewer=reviewer, reason=reason)
        assert reviewer is not None  # _reassign_errors
        previous = locked.reviewer
        locked.reviewer = reviewer
        locked.due_at = now + review_period()
        locked.save(update_fields=["reviewer", "due_at", "updated_at"])
        change = StatusChange.objects.create(
            request=locked,
            from_status=locked.status,
            to_status=locked.status,
            actor=actor,
            at=now,
            reason=reason.strip(),
            revision=locked.revision,
            reviewer_from=previous,
            reviewer_to=reviewer,
        )
        event_record(
            kind="request.reassigned",
            target=locked,
            actor=actor,
            data=request_event_data(
                request=locked,
                change=change,
                action="reassign",
                reviewer_id=reviewer.pk,
                reviewer_name=reviewer.get_full_name() or reviewer.get_username(),
                previous_reviewer_id=previous.pk if previous is not None else None,
            ),
        )
    return locked
