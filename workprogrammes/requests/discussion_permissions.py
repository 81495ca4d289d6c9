"""Who reads and writes the discussion around a request: its comments (shared with the desk, or internal
to the staff) and its attached files. The same standings as the request's (permissions.py): a user's own
rights first, then, on the days of a delegation, each principal's, never above either one's clearance."""

from __future__ import annotations

import functools
import operator

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from portal.accounts.models import Role, User

from .discussion_models import Attachment, Comment
from .models import CommentVisibility, InclusionRequest
from .permissions import (
    STAFF_ROLES,
    Standing,
    authenticated,
    handles_partner,
    is_submitter,
    request_standings,
    request_visibility_grants,
    visibility_grants,
)


def _comment_visibilities(person: User, request: InclusionRequest) -> tuple[str, ...]:
    """Internal comments: reviewers, secretaries and administrators; shared: also the desk's officers."""
    if person.has_role(*STAFF_ROLES):
        return tuple(CommentVisibility.values)
    if handles_partner(person, request.partner_id):
        return (CommentVisibility.SHARED,)
    return ()


def _standing_comment_visibilities(
    user: User, standing: Standing, request: InclusionRequest
) -> tuple[str, ...]:
    """What a standing reads. Separation of duties binds a delegate too: whoever asked for or submitted
    the request does not read the reviewers' internal comments on it through a reviewer's delegation."""
    visibilities = _comment_visibilities(standing.person, request)
    if standing.acting_for is not None and is_submitter(user, request):
        return tuple(v for v in visibilities if v != CommentVisibility.INTERNAL)
    return visibilities


def comment_standing(
    user: User, request: InclusionRequest, *, visibility: str, marking: int = 0
) -> Standing | None:
    """The standing (own first, then a principal's) with which the user reads or writes a comment of this
    visibility and marking on the request; None if none allows it."""
    for standing in request_standings(user, request):
        if marking <= standing.clearance and visibility in _standing_comment_visibilities(
            user, standing, request
        ):
            return standing
    return None


def may_read_comment_visibility(user: User, request: InclusionRequest, visibility: str) -> bool:
    """Whether the user reads (and writes) comments of this visibility on the request, by their own
    roles or, on the days of a delegation, by a principal's."""
    return comment_standing(user, request, visibility=visibility) is not None


def comment_filter(user: User, request: InclusionRequest) -> Q | None:
    """The comments of the request the user may read, as a condition (None: none of them): for each
    standing, the visibilities its person reads up to its clearance."""
    conditions = [
        Q(marking__lte=standing.clearance, visibility__in=visibilities)
        for standing in request_standings(user, request)
        if (visibilities := _standing_comment_visibilities(user, standing, request))
    ]
    return functools.reduce(operator.or_, conditions) if conditions else None


@rules.predicate
def can_read_comment(user: User | AnonymousUser, comment: Comment | None) -> bool:
    return (
        comment is not None
        and authenticated(user)
        and comment_standing(user, comment.request, visibility=comment.visibility, marking=comment.marking)
        is not None
    )


def comment_visibilities_for(user: User, request: InclusionRequest) -> list[str]:
    """Which comment visibilities the user may write on this request (empty: may not comment)."""
    return [v for v in CommentVisibility.values if may_read_comment_visibility(user, request, v)]


@rules.predicate
def can_comment(user: User | AnonymousUser, request: InclusionRequest | None) -> bool:
    return request is not None and authenticated(user) and bool(comment_visibilities_for(user, request))


def attachment_standing(user: User, request: InclusionRequest, *, marking: int = 0) -> Standing | None:
    """The standing with which the user attaches a file of this marking: the desk's officers and the
    staff handling the request (own roles first, then a principal's), until the request is closed."""
    from .workflow import TERMINAL

    if request.status in TERMINAL:
        return None
    for standing in request_standings(user, request):
        person = standing.person
        handles = person.has_role(Role.REVIEWER, Role.COUNCIL_SECRETARY) or handles_partner(
            person, request.partner_id
        )
        if handles and marking <= standing.clearance:
            return standing
    return None


@rules.predicate
def can_attach(user: User | AnonymousUser, request: InclusionRequest | None) -> bool:
    """The desk's officers and the staff handling it, until the request is closed."""
    return request is not None and authenticated(user) and attachment_standing(user, request) is not None


def attachment_filter(user: User) -> Q | None:
    """The attachments the user may download, as a condition on Attachment (None: none): of a request a
    grant covers, up to that grant's clearance."""
    conditions = [
        grant.as_q("request__") & Q(marking__lte=grant.clearance) for grant in request_visibility_grants(user)
    ]
    return functools.reduce(operator.or_, conditions) if conditions else None


@rules.predicate
def can_download_attachment(user: User | AnonymousUser, attachment: Attachment | None) -> bool:
    if attachment is None or not authenticated(user):
        return False
    return any(
        grant.covers(attachment.request) and attachment.marking <= grant.clearance
        for grant in visibility_grants(user)
    )


rules.add_perm("workprogrammes.comment_request", can_comment)
rules.add_perm("workprogrammes.attach_request", can_attach)
rules.add_perm("workprogrammes.read_comment", can_read_comment)
rules.add_perm("workprogrammes.download_attachment", can_download_attachment)
