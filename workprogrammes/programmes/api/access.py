"""What the programme API views read and change, with the pages' visibility and permission, and how they
answer with it: a programme or activity above the user's clearance is not found (404), one the user may
not change is forbidden (403); a programme's ETag covers its activities.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import IfMatch, etag_for

from .. import builder_selectors
from ..models import ProgrammeActivity, WorkProgramme
from ..selectors import ProgrammeDetail, activity_list, programme_detail
from .serializers import ActivitySerializer, ProgrammeDetailSerializer

NOT_YOURS = _("Only officers of the partner's desk and administrators may change its programme.")


def visible_programme(request: AuthenticatedRequest, pk: int) -> WorkProgramme:
    """The programme if the user's clearance covers it, else 404 (the page's programme_for_user)."""
    try:
        return builder_selectors.programme_for_user(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist as exc:
        raise NotFound() from exc


def managed_programme(request: AuthenticatedRequest, pk: int) -> WorkProgramme:
    """The programme, if visible (else 404) and the user may change it (else 403)."""
    programme = visible_programme(request, pk)
    if not request.user.has_perm("workprogrammes.manage_programme", programme):
        raise PermissionDenied(NOT_YOURS)
    return programme


def visible_activity(request: AuthenticatedRequest, pk: int) -> ProgrammeActivity:
    """The activity if the clearance covers it and its programme, else 404."""
    try:
        return activity_list(user=request.user).get(pk=pk, programme__partner__deleted_at__isnull=True)
    except ProgrammeActivity.DoesNotExist as exc:
        raise NotFound() from exc


def managed_activity(request: AuthenticatedRequest, pk: int) -> ProgrammeActivity:
    activity = visible_activity(request, pk)
    if not request.user.has_perm("workprogrammes.manage_programme", activity.programme):
        raise PermissionDenied(NOT_YOURS)
    return activity


def programme_version(detail: ProgrammeDetail) -> str:
    """The programme's ETag: its own version and each visible activity's, so any change gives a new tag."""
    parts = [etag_for(detail.programme), *(etag_for(activity) for activity in detail.activities)]
    return '"' + hashlib.sha256(",".join(parts).encode()).hexdigest()[:32] + '"'


def programme_response(request: AuthenticatedRequest, pk: int, *, code: int = 200) -> Response:
    """The programme as GET /programmes/{id}/ shows it, with its ETag."""
    try:
        detail = programme_detail(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist as exc:
        raise NotFound() from exc
    context = {"request": request, "detail": detail}
    response = Response(ProgrammeDetailSerializer(detail.programme, context=context).data, status=code)
    response["ETag"] = programme_version(detail)
    return response


def activity_response(request: AuthenticatedRequest, pk: int, *, code: int = 200) -> Response:
    activity = visible_activity(request, pk)
    response = Response(ActivitySerializer(activity, context={"request": request}).data, status=code)
    response["ETag"] = etag_for(activity)
    return response


def programme_if_match(request: AuthenticatedRequest, *, required: bool = True) -> IfMatch:
    """If-Match against the programme's tag as this user sees it (its own version and its activities'):
    required on its lifecycle's steps, optional on edits."""
    return IfMatch(
        request,
        version=lambda locked: programme_version(programme_detail(pk=locked.pk, user=request.user)),
        required=required,
    )
