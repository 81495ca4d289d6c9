"""Reads of inclusion requests and the Council's records, limited to what the user may see.

The visibility rule is permissions.request_visibility_grants (roles, desks, clearance and active
delegations), here turned into a query.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import itertools
import operator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.planner import joins_in_written_order
from portal.core.search import search_query, text_vector

from .discussion_models import Attachment, Comment
from .discussion_permissions import attachment_filter, comment_filter
from .models import REQUEST_SEARCH_FIELDS, WAITING_FOR_REVIEW, InclusionRequest, RequestRevision, StatusChange
from .permissions import request_visibility_grants


def inclusion_request_visible_to(*, user: User) -> QuerySet[InclusionRequest]:
    """Every request the user may read (none for a user without a role)."""
    grants = request_visibility_grants(user)
    if not grants:
        return InclusionRequest.objects.none()
    return InclusionRequest.objects.filter(functools.reduce(operator.or_, (g.as_q() for g in grants)))


# What a page or the API shows of a person joined to a row: their name (UserRefSerializer, and
# `get_full_name|default:username` in templates). Loading no more makes the query cheaper to write and read.
PERSON_FIELDS = ("username", "first_name", "last_name")


def _fields(relation: str, *names: str) -> list[str]:
    return [f"{relation}__{name}" for name in names]


def _people(*relations: str) -> list[str]:
    return [field for relation in relations for field in _fields(relation, *PERSON_FIELDS)]


@functools.cache
def _own_fields(model: type[Any]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


SEARCH_MAX_LENGTH = 100


def inclusion_request_search(requests: QuerySet[InclusionRequest], q: str) -> QuerySet[InclusionRequest]:
    """The requests whose reference is the text, or whose title, justification, statement of mutual
    benefit or place has words starting with its words, in English or French (GIN-indexed)."""
    q = q.strip()[:SEARCH_MAX_LENGTH]
    if not q:
        return requests
    by_reference = Q(reference=q.upper())
    query = search_query(q)
    if query is None:
        return requests.filter(by_reference)
    # The matches are found through the GIN index first (a subquery), whatever order the list then
    # takes: otherwise PostgreSQL may walk the list's order index and compute every row's text vector.
    found = InclusionRequest.objects.alias(found=text_vector(*REQUEST_SEARCH_FIELDS)).filter(found=query)
    return requests.filter(Q(pk__in=found.values("pk")) | by_reference)


def _for_lists(requests: QuerySet[InclusionRequest]) -> QuerySet[InclusionRequest]:
    return requests.select_related(
        "partner", "desk", "requested_by", "reviewer", "catalogue_item", "programme_activity"
    )


def inclusion_request_list_mine(
    *, user: User, status: str = "", partner_id: int | None = None, q: str = ""
) -> QuerySet[InclusionRequest]:
    """ "My requests": those of the officer's desks and those they asked for, newest first; a delegate
    also sees those of the people they act for today."""
    people = [user, *user.acting_for_today]
    partner_ids = set().union(*(person.desk_partner_ids for person in people))
    requests = inclusion_request_visible_to(user=user).filter(
        Q(requested_by__in=people) | Q(partner_id__in=partner_ids)
    )
    requests = inclusion_request_search(requests, q)
    if status:
        requests = requests.filter(status=status)
    if partner_id:
        requests = requests.filter(partner_id=partner_id)
    return _for_lists(requests).order_by("-updated_at", "-pk")


def inclusion_request_queue(
    *,
    user: User,
    statuses: list[str] | None = None,
    partner_id: int | None = None,
    desk_id: int | None = None,
    overdue: bool = False,
    q: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[InclusionRequest]:
    """The review queue: requests waiting for reviewers (or the chosen statuses), oldest due first."""
    now = now or timezone.now()
    requests = inclusion_request_visible_to(user=user).filter(status__in=statuses or WAITING_FOR_REVIEW)
    requests = inclusion_request_search(requests, q)
    if partner_id:
        requests = requests.filter(partner_id=partner_id)
    if desk_id:
        requests = requests.filter(desk_id=desk_id)
    if overdue:
        requests = requests.filter(InclusionRequest.review_overdue_q(now=now))
    return _for_lists(requests).order_by("due_at", "submitted_at", "pk")


def review_due(request: InclusionRequest) -> datetime.datetime | None:
    """When the request's review is (or was) due: its due time; for one recorded before due times existed,
    REVIEW_SERVICE_LEVEL_DAYS after it was submitted (the model's review_overdue_q reads it the same way)."""
    if request.due_at is not None:
        return request.due_at
    if request.submitted_at is None:
        return None
    return request.submitted_at + datetime.timedelta(days=settings.REVIEW_SERVICE_LEVEL_DAYS)


def inclusion_requests_review_overdue(
    *, now: datetime.datetime, by_days: int = 0
) -> QuerySet[InclusionRequest]:
    """Every request whose review is overdue at `now` (plus `by_days`, for escalations), by id: the
    reminders' and escalations' reading of InclusionRequest.review_overdue_q, whoever may see them."""
    overdue = InclusionRequest.objects.filter(InclusionRequest.review_overdue_q(now=now, by_days=by_days))
    return overdue.select_related("desk", "requested_by", "reviewer").order_by("pk")


def inclusion_request_get(*, user: User, key: str) -> InclusionRequest | None:
    """One request by reference (IR-2026-0001) or id, if the user may see it."""
    requests = _for_lists(inclusion_request_visible_to(user=user)).select_related(
        "catalogue_item__area", "programme_activity__programme", "programme_activity__catalogue_item"
    )
    # References are written in capitals (IR-2026-0001): the unique index finds them, whatever the case typed.
    found = requests.filter(pk=int(key)) if key.isdigit() else requests.filter(reference=key.upper())
    # Ten tables: planning every order of their joins took 9 ms for 0.3 ms of execution (1.4 ms in the
    # written order; scale data, 7 December). The key is unique: no ORDER BY to write or run.
    with joins_in_written_order():
        return next(iter(found.order_by()[:1]), None)


# What the request page reads of the rows joined to a request (the request's own columns are all read).
_PAGE_PEOPLE = ("requested_by", "reviewer")
_PAGE_RELATED_FIELDS = (
    *_fields("partner", "iso_code", "name", "name_en", "name_fr"),
    *_fields("desk", "code", "name", "name_en", "name_fr", "head_id"),
    *_fields("programme_activity", "programme_id", "title", "title_en", "title_fr"),
    *_fields("programme_activity", "start_date", "end_date", "place"),
    *_fields("catalogue_item", "code", "title", "title_en", "title_fr"),
    *_people(*_PAGE_PEOPLE),
)


def inclusion_request_for_page(*, user: User, key: str) -> InclusionRequest | None:
    """inclusion_request_get for the request page: the request with the columns the page shows of its
    partner, desk, activity and people (six joins of a few columns instead of nine of every column; the
    query's construction was most of its cost)."""
    requests = (
        inclusion_request_visible_to(user=user)
        .select_related("partner", "desk", "programme_activity", "catalogue_item", *_PAGE_PEOPLE)
        .only(*_own_fields(InclusionRequest), *_PAGE_RELATED_FIELDS)
    )
    found = requests.filter(pk=int(key)) if key.isdigit() else requests.filter(reference=key.upper())
    with joins_in_written_order():
        return next(iter(found.order_by()[:1]), None)


def status_changes_of(*, request: InclusionRequest) -> QuerySet[StatusChange]:
    """The request's timeline, oldest first, with who acted and for whom."""
    people = ("actor", "acting_for", "reviewer_from", "reviewer_to")
    return (
        request.status_changes.select_related(*people)
        .only(*_own_fields(StatusChange), *_people(*people))
        .order_by("at", "pk")
    )


def drafted_for_requester_by(*, request: InclusionRequest) -> User | None:
    """The delegate who started the draft for its requester, read from the audit trail (the request's
    first history row names who wrote it); None when the requester started it themselves."""
    events = apps.get_model("workprogrammes", "InclusionRequestEvent").objects
    metadata = (
        events.filter(pgh_obj_id=request.pk, pgh_label="insert")
        .values_list("pgh_context__metadata", flat=True)
        .first()
    )
    author_id = (metadata or {}).get("user")
    if not author_id or author_id == request.requested_by_id:
        return None
    return User.objects.filter(pk=author_id).only(*PERSON_FIELDS).first()


def comments_visible_to(*, user: User, request: InclusionRequest) -> QuerySet[Comment]:
    """Comments the user may read (discussion_permissions.comment_filter): internal ones for staff
    only, shared ones also for the desk's officers, none above the clearance; a delegate also reads
    what their principal reads, on the delegation's days."""
    readable = comment_filter(user, request)
    if readable is None:
        return Comment.objects.none()
    return (
        request.comments.filter(readable)
        .select_related("author")
        .only(*_own_fields(Comment), *_people("author"))
        .order_by("created_at", "pk")
    )


def attachments_visible_to(*, user: User, request: InclusionRequest) -> QuerySet[Attachment]:
    """The request's files the user may download (the same rule as attachment_get)."""
    readable = attachment_filter(user)
    if readable is None:
        return Attachment.objects.none()
    return (
        request.attachments.filter(readable)
        .select_related("uploaded_by")
        .only(*_own_fields(Attachment), *_people("uploaded_by"))
    )


def attachment_get(*, user: User, pk: int) -> Attachment | None:
    """An attachment the user may download: a grant of theirs covers its request and its marking."""
    readable = attachment_filter(user)
    if readable is None:
        return None
    return Attachment.objects.filter(readable, pk=pk).select_related("request").first()


# --- Revisions and what changed between them -----------------------------------------------------

FIELD_LABELS: dict[str, Any] = {
    "partner": _("Partner"),
    "programme_activity": _("Programme activity"),
    "catalogue_item": _("Catalogue item"),
    "title": _("Title"),
    "start_date": _("Starts"),
    "end_date": _("Ends"),
    "place": _("Place"),
    "justification": _("Justification"),
    "mutual_benefit": _("Mutual benefit and reciprocity"),
    "marking": _("Marking"),
    "releasability": _("Releasability"),
}


@dataclass
class FieldDifference:
    field: str
    label: Any
    # (kind, text) pieces: kind is "same", "removed" or "added", for <del>/<ins> rendering.
    pieces: list[tuple[str, str]]


@dataclass
class RevisionDifference:
    before: RequestRevision
    after: RequestRevision
    fields: list[FieldDifference] = field(default_factory=list)


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = old.split(" "), new.split(" ")
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(("added", " ".join(new_words[b1:b2])))
    return pieces


def revision_differences(*, request: InclusionRequest) -> list[RevisionDifference]:
    """What changed from each submitted revision to the next (word by word, per field)."""
    # Each revision's number and snapshot are read, not who made it.
    revisions = list(request.revisions.order_by("number"))
    result: list[RevisionDifference] = []
    for before, after in itertools.pairwise(revisions):
        difference = RevisionDifference(before=before, after=after)
        for name, label in FIELD_LABELS.items():
            old, new = str(before.snapshot.get(name, "")), str(after.snapshot.get(name, ""))
            if old != new:
                difference.fields.append(
                    FieldDifference(field=name, label=label, pieces=_word_diff(old, new))
                )
        result.append(difference)
    return result


# --- The Council ---------------------------------------------------------------------------------


def inclusion_request_list(
    *,
    user: User,
    status: list[str] | None = None,
    partner: str = "",
    desk: str = "",
    mine: bool | None = None,
    overdue: bool | None = None,
    q: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[InclusionRequest]:
    """Requests the user may see, newest first (the API's list), filtered by status, partner ISO code,
    desk code, the user's own (asked for or of their desks), overdue review and a search (`q`)."""
    requests = inclusion_request_search(inclusion_request_visible_to(user=user), q)
    if status:
        requests = requests.filter(status__in=status)
    if partner:
        requests = requests.filter(partner__iso_code=partner.upper())
    if desk:
        requests = requests.filter(desk__code=desk)
    if mine:
        requests = requests.filter(Q(requested_by=user) | Q(partner_id__in=user.desk_partner_ids))
    if overdue:
        requests = requests.filter(InclusionRequest.review_overdue_q(now=now or timezone.now()))
    return _for_lists(requests).order_by("-created_at", "-pk")
