"""Writes of inclusion requests: drafting and changing a draft (its content rules in validation.py), the
revision snapshot and the data of the workflow's events, comments and attached files.

The workflow's steps are applied by workflow_services.request_transition, reassigning a review by
reassign_services.py. A role, desk or delegation problem raises PermissionDenied; a frozen request
workflow.TransitionNotAllowed; bad input ValidationError (with field names where there are fields).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from portal.accounts.models import Desk, User
from portal.core.models import Marking
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record

from ..attachments import attachment_check
from ..catalogue.models import CatalogueItem
from ..programmes.models import ProgrammeActivity
from . import discussion_permissions, permissions
from .discussion_models import Attachment, Comment
from .models import CommentVisibility, InclusionRequest, InclusionRequestStatus, StatusChange
from .validation import validate_content
from .workflow import (
    TransitionNotAllowed,
)

S = InclusionRequestStatus

# The fields an officer writes; a revision snapshot keeps them as people read them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "partner",
    "programme_activity",
    "catalogue_item",
    "title",
    "start_date",
    "end_date",
    "place",
    "justification",
    "mutual_benefit",
    "marking",
    "releasability",
)


# --- Drafting -----------------------------------------------------------------------------------


def _next_reference(*, on: datetime.date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('workprogrammes_inclusion_request_number')")
        (number,) = cursor.fetchone()
    return f"IR-{on.year}-{number:04d}"


def _desk_for(*, officer: User, partner: Partner) -> Desk:
    desk = Desk.objects.filter(members=officer, partners=partner).order_by("name", "pk").first()
    if desk is None:
        raise PermissionDenied(_("%(partner)s is not on any of your desks.") % {"partner": partner})
    return desk


@transaction.atomic
def inclusion_request_create(
    *,
    actor: User,
    partner: Partner,
    justification: str,
    mutual_benefit: str,
    programme_activity: ProgrammeActivity | None = None,
    catalogue_item: CatalogueItem | None = None,
    title: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    place: str = "",
    marking: int = Marking.NATO_UNCLASSIFIED,
    releasability: str = "",
    acting_for: User | None = None,
) -> InclusionRequest:
    """Start a draft request for a partner on one of the officer's desks (nobody is notified yet)."""
    principal = permissions.principal_for(actor=actor, acting_for=acting_for)
    if not permissions.can_create_request(principal) or not permissions.handles_partner(
        principal, partner.pk
    ):
        raise PermissionDenied(_("Only officers of the partner's desk may ask for its inclusion."))
    validate_content(
        principal=principal,
        partner=partner,
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        start_date=start_date,
        end_date=end_date,
        justification=justification,
        mutual_benefit=mutual_benefit,
        marking=marking,
    )
    on_programme = programme_activity is not None
    request = InclusionRequest.objects.create(
        reference=_next_reference(on=timezone.localdate()),
        partner=partner,
        desk=_desk_for(officer=principal, partner=partner),
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        title="" if on_programme else title.strip(),
        start_date=None if on_programme else start_date,
        end_date=None if on_programme else end_date,
        place="" if on_programme else place.strip(),
        justification=justification.strip(),
        mutual_benefit=mutual_benefit.strip(),
        marking=marking,
        releasability=releasability.strip(),
        requested_by=principal,
    )
    request.watchers.add(*{principal, actor})
    return request


@transaction.atomic
def inclusion_request_update(
    *,
    actor: User,
    request: InclusionRequest,
    acting_for: User | None = None,
    expected_version: VersionCheck | None = None,
    **changes: Any,
) -> InclusionRequest:
    """Change a draft or returned request; other statuses are frozen (TransitionNotAllowed).

    `expected_version` (the API's If-Match) is checked under the request's lock."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
    with version_guard(expected_version, locked):
        principal = permissions.principal_for(actor=actor, acting_for=acting_for)
        return _update(principal=principal, locked=locked, changes=changes)


def _update(*, principal: User, locked: InclusionRequest, changes: dict[str, Any]) -> InclusionRequest:
    if not permissions.request_is_visible(principal, locked) or not permissions.handles_partner(
        principal, locked.partner_id
    ):
        raise PermissionDenied(_("Only officers of the partner's desk may change this request."))
    if locked.status not in permissions.REQUEST_EDITABLE_STATUSES:
        raise TransitionNotAllowed(
            _("This request is %(status)s; only drafts and returned requests can be changed.")
            % {"status": S(locked.status).label.lower()},
            code="not_editable",
        )
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    if not permissions.handles_partner(principal, locked.partner_id):
        raise PermissionDenied(_("%(partner)s is not on any of your desks.") % {"partner": locked.partner})
    validate_content(
        principal=principal,
        partner=locked.partner,
        programme_activity=locked.programme_activity,
        catalogue_item=locked.catalogue_item,
        start_date=locked.start_date,
        end_date=locked.end_date,
        justification=locked.justification,
        mutual_benefit=locked.mutual_benefit,
        marking=locked.marking,
    )
    if locked.programme_activity_id is not None:
        locked.title, locked.start_date, locked.end_date, locked.place = "", None, None, ""
    update_fields = [*changes, "title", "start_date", "end_date", "place", "updated_at"]
    if "partner" in changes:
        locked.desk = _desk_for(officer=principal, partner=locked.partner)
        update_fields.append("desk")
    locked.save(update_fields=sorted(set(update_fields)))
    return locked


def revision_snapshot(request: InclusionRequest) -> dict[str, str]:
    """The editable fields as people read them, for the revision history and its differences."""
    return {
        "partner": str(request.partner),
        "programme_activity": str(request.programme_activity or ""),
        "catalogue_item": str(request.catalogue_item or ""),
        "title": request.title,
        "start_date": request.start_date.isoformat() if request.start_date else "",
        "end_date": request.end_date.isoformat() if request.end_date else "",
        "place": request.place,
        "justification": request.justification,
        "mutual_benefit": request.mutual_benefit,
        "marking": str(Marking(request.marking).label),
        "releasability": request.releasability,
    }


# --- What the workflow's events say (requests/workflow_services.py, council/) -------------------


def request_event_data(
    *, request: InclusionRequest, change: StatusChange | None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": request.reference,
        "partner_id": request.partner_id,
        "desk_id": request.desk_id,
        "status": request.status,
        "revision": request.revision,
    }
    if change is not None:
        data.update(
            from_status=change.from_status,
            to_status=change.to_status,
            reason=change.reason,
            acting_for_id=change.acting_for_id,
            status_change_id=change.pk,
        )
    data.update(extra)
    return data


# --- Comments and attachments -------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    actor: User,
    request: InclusionRequest,
    body: str,
    visibility: str = CommentVisibility.SHARED,
    marking: int = Marking.NATO_UNCLASSIFIED,
) -> Comment:
    """Add a comment; officers of the desk write shared comments only, staff may keep them internal.

    A delegate writes what their principal may (on the delegation's days): the audit and the
    notification then name both."""
    allowed = discussion_permissions.comment_visibilities_for(actor, request)
    if not allowed:
        raise PermissionDenied(_("You cannot comment on this request."))
    errors: dict[str, str] = {}
    if not body.strip():
        errors["body"] = _("Write a comment.")
    if visibility not in allowed:
        errors["visibility"] = _("You cannot write comments with this visibility.")
    standing = discussion_permissions.comment_standing(actor, request, visibility=visibility, marking=marking)
    if visibility in allowed and standing is None:
        errors["marking"] = _("You cannot mark a comment above your own clearance.")
    if errors:
        raise ValidationError(errors)
    assert standing is not None
    acting_for = standing.acting_for
    if acting_for is not None:
        permissions.principal_for(actor=actor, acting_for=acting_for)
    comment = Comment.objects.create(
        request=request, author=actor, body=body.strip(), visibility=visibility, marking=marking
    )
    event_record(
        kind="request.commented",
        target=request,
        actor=actor,
        data=request_event_data(
            request=request,
            change=None,
            comment_id=comment.pk,
            visibility=visibility,
            acting_for_id=acting_for.pk if acting_for is not None else None,
        ),
    )
    return comment


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    request: InclusionRequest,
    upload: UploadedFile,
    marking: int = Marking.NATO_UNCLASSIFIED,
) -> Attachment:
    """Attach a file after checking its size and its real type (magic bytes); stored outside static files.

    A delegate attaches where their principal may (on the delegation's days); the audit names both."""
    if not discussion_permissions.can_attach(actor, request):
        raise PermissionDenied(_("You cannot attach files to this request."))
    standing = discussion_permissions.attachment_standing(actor, request, marking=marking)
    if standing is None:
        raise ValidationError({"marking": _("You cannot mark a file above your own clearance.")})
    if standing.acting_for is not None:
        permissions.principal_for(actor=actor, acting_for=standing.acting_for)
    try:
        checked = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    original_name = (upload.name or "attachment").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return Attachment.objects.create(
        request=request,
        file=upload,
        original_name=original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        marking=marking,
        uploaded_by=actor,
    )
