"""Who may see and act on inclusion requests: one place for pages, services and the API.

Visibility (ONE rule, `request_visibility_grants`, read by `request_is_visible` for one request and by
selectors.inclusion_request_visible_to as a query): reviewers, council secretaries,
administrators, viewers and analysts read every request; officers read the requests of the partners on
their desks; a delegate also reads what their principal reads, on the days of an active delegation;
nobody reads a record marked above their own clearance (nor, through a delegation, above the
principal's). Only officers, reviewers and council secretaries act, as the workflow table says
(requests/workflow.py), and nobody reviews, recommends or decides a request they requested or
submitted, nor records the Council's decision on a request they reviewed or recommended, whatever roles
they hold (a superuser holds every role, and these rules bind them like anyone else).

Delegation: a delegate may act for a principal while a delegation is active; the principal's roles,
desks and clearance then decide, and separation of duties applies to both people. What the delegate
reads and does on a request beside the workflow (its comments, internal ones included when the principal
reads them; its files; drafting and changing it for the principal's desk) follows the same standings
(`request_standings`): their own rights first, then each principal's, never above either one's clearance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

import pghistory
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.accounts.selectors import NO_DELEGATION_MESSAGE, delegation_is_active

from .models import InclusionRequest, StatusChange
from .workflow import REQUEST_MACHINE, TRANSITIONS, Transition

READ_ALL_ROLES = (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR, Role.VIEWER, Role.ANALYST)
# The people who read internal comments and handle the request after it leaves the desk.
STAFF_ROLES = (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR)
# Requests their desk's officers may still change: drafts, and requests returned for changes.
REQUEST_EDITABLE_STATUSES = (InclusionRequest.Status.DRAFT, InclusionRequest.Status.RETURNED)


def authenticated(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """A signed-in, active user (the rules' predicates may be asked about an anonymous one)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def handles_partner(user: User, partner_id: int) -> bool:
    """The user is an officer with this partner on one of their desks."""
    return user.has_role(Role.OFFICER) and partner_id in user.desk_partner_ids


@dataclass(frozen=True)
class VisibilityGrant:
    """Requests one may read: up to a marking, of some partners (None: of every partner)."""

    clearance: int
    partner_ids: frozenset[int] | None

    def covers(self, request: InclusionRequest) -> bool:
        return request.marking <= self.clearance and (
            self.partner_ids is None or request.partner_id in self.partner_ids
        )

    def as_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}marking__lte": self.clearance})
        if self.partner_ids is not None:
            q &= Q(**{f"{prefix}partner_id__in": self.partner_ids})
        return q


def _own_grant(person: User, clearance: int) -> VisibilityGrant | None:
    if person.has_role(*READ_ALL_ROLES):
        return VisibilityGrant(clearance, None)
    if person.has_role(Role.OFFICER):
        return VisibilityGrant(clearance, person.desk_partner_ids)
    return None


def visibility_grants(user: User) -> Iterator[VisibilityGrant]:
    own = _own_grant(user, user.clearance)
    if own is not None:
        yield own
    # Read only when the user's own roles do not already answer (request_is_visible stops early).
    for principal in user.acting_for_today:
        grant = _own_grant(principal, min(user.clearance, principal.clearance))
        if grant is not None:
            yield grant


def request_visibility_grants(user: User | AnonymousUser) -> list[VisibilityGrant]:
    """THE request-visibility rule: what the user reads by their own roles, then, for each principal
    they are the delegate of today, what that principal reads (never above either one's clearance)."""
    return list(visibility_grants(user)) if authenticated(user) else []


def request_is_visible(user: User | AnonymousUser, request: InclusionRequest) -> bool:
    """Whether the user may read this request (the rule above, for one object)."""
    return authenticated(user) and any(grant.covers(request) for grant in visibility_grants(user))


@dataclass(frozen=True)
class Standing:
    """Whose rights a user reads or acts on a request with: their own (`acting_for` None), or those of a
    principal they are the delegate of today, up to `clearance` (never above either one's)."""

    person: User
    clearance: int
    acting_for: User | None


def request_standings(user: User | AnonymousUser, request: InclusionRequest) -> Iterator[Standing]:
    """The user's own standing if their roles cover the request, then each principal's whose roles do.

    A generator: the delegations are read only when a caller looks past the user's own standing."""
    if not authenticated(user):
        return
    own = _own_grant(user, user.clearance)
    if own is not None and own.covers(request):
        yield Standing(user, user.clearance, None)
    for principal in user.acting_for_today:
        clearance = min(user.clearance, principal.clearance)
        grant = _own_grant(principal, clearance)
        if grant is not None and grant.covers(request):
            yield Standing(principal, clearance, principal)


def request_visible_by_own_roles(user: User | AnonymousUser, request: InclusionRequest) -> bool:
    """The rule without delegations: what the user's own roles let them act on."""
    if not authenticated(user):
        return False
    grant = _own_grant(user, user.clearance)
    return grant is not None and grant.covers(request)


def is_submitter(user: User, request: InclusionRequest) -> bool:
    """The user asked for the request or submitted it (they may not review or decide it)."""
    return user.pk in (request.requested_by_id, request.submitted_by_id)


# The steps of the review: whoever took one of them reviewed the request.
REVIEW_TARGETS = (
    InclusionRequest.Status.UNDER_REVIEW,
    InclusionRequest.Status.RETURNED,
    InclusionRequest.Status.RECOMMENDED,
    InclusionRequest.Status.NOT_RECOMMENDED,
)


def took_part_in_review(user: User, request: InclusionRequest) -> bool:
    """The user reviewed the request (its reviewer, or who started, returned or (not) recommended it, or
    the principal a delegate did so for): they may not record the Council's decision on it."""
    if user.pk is None:
        return False
    if request.reviewer_id == user.pk:
        return True
    # Asked once per request object and user (the request page asks for every action it might offer).
    cache: dict[int, bool] = request.__dict__.setdefault("_reviewed_by", {})
    if user.pk not in cache:
        cache[user.pk] = (
            StatusChange.objects.filter(request_id=request.pk, to_status__in=REVIEW_TARGETS)
            .filter(Q(actor_id=user.pk) | Q(acting_for_id=user.pk))
            .exists()
        )
    return cache[user.pk]


def principal_for(*, actor: User, acting_for: User | None) -> User:
    """The user whose rights apply: the actor, or the principal a delegate acts for (checked here)."""
    if acting_for is None or acting_for.pk == actor.pk:
        return actor
    if not delegation_is_active(delegate=actor, principal=acting_for):
        raise PermissionDenied(NO_DELEGATION_MESSAGE)
    # The audit rows written in this transaction name the principal beside the delegate (the user).
    pghistory.context(acting_for=acting_for.pk, acting_for_username=acting_for.get_username())
    return acting_for


def refusal_reason(user: User, request: InclusionRequest, transition: Transition) -> str | None:
    """Why this user may not take this action on this request (status aside), or None if they may.

    Their own roles decide: a delegate acts on the principal's behalf through `acting_for`."""
    if not request_visible_by_own_roles(user, request):
        return _("You cannot see this request.")
    if not user.has_role(*transition.roles):
        return _("Your role does not allow this action.")
    if transition.desk_scoped and not handles_partner(user, request.partner_id):
        return _("Only officers of the partner's desk may do this.")
    if transition.not_submitter and is_submitter(user, request):
        return _("You requested or submitted this request, so you cannot review or decide it.")
    if transition.not_reviewer and took_part_in_review(user, request):
        return _(
            "You reviewed or recommended this request, so you cannot record the Council's decision on it. "
            "Another council secretary records it."
        )
    return None


def transition_permission_check(
    *, actor: User, acting_for: User | None, request: InclusionRequest, transition: Transition
) -> None:
    """Raise PermissionDenied unless the actor (or their principal) may take this action."""
    principal = principal_for(actor=actor, acting_for=acting_for)
    for person in {actor, principal}:
        # Separation of duties binds the delegate too: a submitter cannot decide through a colleague.
        if (transition.not_submitter and is_submitter(person, request)) or (
            transition.not_reviewer and took_part_in_review(person, request)
        ):
            raise PermissionDenied(refusal_reason(person, request, transition))
    reason = refusal_reason(principal, request, transition)
    if reason is not None:
        raise PermissionDenied(reason)


def available_transitions(user: User | AnonymousUser, request: InclusionRequest) -> list[Transition]:
    """The actions this user may take on this request now: its status, the table and the rules above."""
    if not authenticated(user):
        return []
    return [
        t
        for t in REQUEST_MACHINE.allowed(request.status)
        if refusal_reason(user, request, t) is None
        and not (t.exempt_only and request.needs_council_decision is not False)
    ]


# --- django-rules predicates: pages and the API ask user.has_perm("workprogrammes.<name>", obj) ---


@rules.predicate
def can_view_request(user: User | AnonymousUser, request: InclusionRequest | None) -> bool:
    return request is not None and request_is_visible(user, request)


@rules.predicate
def can_create_request(user: User | AnonymousUser) -> bool:
    return authenticated(user) and user.has_role(Role.OFFICER) and bool(user.desk_partner_ids)


def may_draft_requests(user: User | AnonymousUser) -> bool:
    """Whether to offer "new request": the user is an officer with a desk, or stands in today for one."""
    if not authenticated(user):
        return False
    return can_create_request(user) or any(can_create_request(p) for p in user.acting_for_today)


def partners_drafted_for(user: User | AnonymousUser) -> dict[int, User | None]:
    """The partners the user may draft requests for: partner id -> the principal they draft it for
    (None: their own desk's partner, which comes first when a principal's desk has it too)."""
    if not authenticated(user):
        return {}
    partners: dict[int, User | None] = {}
    for principal in user.acting_for_today:
        if can_create_request(principal):
            partners.update(dict.fromkeys(principal.desk_partner_ids, principal))
    if can_create_request(user):
        partners.update(dict.fromkeys(user.desk_partner_ids, None))
    return partners


def desk_standing(user: User | AnonymousUser, request: InclusionRequest) -> Standing | None:
    """The standing with which the user handles the request as an officer of its partner's desk: their
    own, else a principal's they stand in for today; None if neither."""
    for standing in request_standings(user, request):
        if handles_partner(standing.person, request.partner_id):
            return standing
    return None


@rules.predicate
def can_edit_request(user: User | AnonymousUser, request: InclusionRequest | None) -> bool:
    return (
        request is not None
        and request.status in REQUEST_EDITABLE_STATUSES
        and desk_standing(user, request) is not None
    )


def heads_a_desk(user: User | AnonymousUser) -> bool:
    """The user leads a desk (its head): they may reassign the reviews of its requests.

    Read with the user (User.remember_request_context), else once per user object."""
    return authenticated(user) and user.heads_a_desk


@rules.predicate
def can_use_review_queue(user: User | AnonymousUser) -> bool:
    """Reviewers, secretaries and administrators; desk heads too, to reassign overdue reviews."""
    if not authenticated(user):
        return False
    return user.has_role(Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR) or heads_a_desk(user)


def may_reassign_review(user: User | AnonymousUser, request: InclusionRequest) -> bool:
    """A reviewer's lead (the head of the request's desk) or an administrator, who sees the request."""
    if not authenticated(user) or not request_visible_by_own_roles(user, request):
        return False
    return user.has_role(Role.ADMINISTRATOR) or request.desk.head_id == user.pk


def reviewer_refusal(candidate: User, request: InclusionRequest) -> str | None:
    """Why `candidate` may not be given this request's review, or None if they may."""
    if not candidate.is_active or not candidate.has_role(Role.REVIEWER):
        return _("%(name)s is not an active reviewer.") % {"name": candidate.get_full_name() or candidate}
    if not request_visible_by_own_roles(candidate, request):
        return _("%(name)s may not see this request (clearance).") % {
            "name": candidate.get_full_name() or candidate
        }
    if is_submitter(candidate, request):
        return _("%(name)s requested or submitted this request, so cannot review it.") % {
            "name": candidate.get_full_name() or candidate
        }
    return None


def _action_predicate(transition: Transition) -> Any:
    @rules.predicate(name=f"may_{transition.action}")
    def check(user: User | AnonymousUser, request: InclusionRequest | None) -> bool:
        return (
            request is not None and authenticated(user) and refusal_reason(user, request, transition) is None
        )

    return check


# Named after the request, not the model, so that they never mix with Django's model permissions
# (which every role holds for "view" and administrators hold for everything).
rules.add_perm("workprogrammes.view_request", can_view_request)
rules.add_perm("workprogrammes.create_request", can_create_request)
rules.add_perm("workprogrammes.edit_request", can_edit_request)
rules.add_perm("workprogrammes.use_review_queue", can_use_review_queue)
rules.add_perm(
    "workprogrammes.reassign_review",
    rules.predicate(lambda user, request: request is not None and may_reassign_review(user, request)),
)
# One permission per workflow action, e.g. "workprogrammes.recommend_request" (role, desk, separation of
# duties; the status is the workflow's to check).
for _transition in TRANSITIONS:
    rules.add_perm(f"workprogrammes.{_transition.action}_request", _action_predicate(_transition))
