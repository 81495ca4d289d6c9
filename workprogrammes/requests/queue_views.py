"""The reviewers' queue: the requests waiting on reviewers and secretaries, its bulk actions, and
reassigning one request's review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import User
from portal.core.models import choice_labels
from portal.core.options import options_html
from portal.core.pagination import paginate

from ..workflow_steps import bulk_actions_for, inclusion_request_bulk_act
from . import selectors
from .forms import (
    BulkActionForm,
    ReassignForm,
    add_service_errors,
    reviewers,
)
from .models import InclusionRequest
from .models import InclusionRequestStatus as S
from .permissions import (
    can_use_review_queue,
    may_reassign_review,
)
from .reassign_services import inclusion_request_reassign
from .rows import desk_options, partner_options, request_row_values, request_rows, reviewer_options
from .views import PER_PAGE, _detail_url, _get_or_404, _int_or_none
from .workflow import (
    TransitionNotAllowed,
)

QUEUE_STATUSES = (
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.RECOMMENDED,
    S.NOT_RECOMMENDED,
    S.AWAITING_COUNCIL,
    S.DEFERRED,
)


def _queue_queryset(
    request: AuthenticatedHttpRequest, user: User
) -> tuple[QuerySet[InclusionRequest], dict[str, Any]]:
    status = request.GET.get("status", "")
    status = status if status in QUEUE_STATUSES else ""
    partner_id = _int_or_none(request.GET.get("partner"))
    desk_id = _int_or_none(request.GET.get("desk"))
    overdue = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    queryset = selectors.inclusion_request_queue(
        user=user,
        statuses=[status] if status else None,
        partner_id=partner_id,
        desk_id=desk_id,
        overdue=overdue,
        q=q,
    )
    return queryset, {"status": status, "partner": partner_id, "desk": desk_id, "overdue": overdue, "q": q}


@require_GET
def request_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reviewers' queue, with filters (status, partner, desk, overdue) and bulk actions."""
    user = request.user
    if not can_use_review_queue(user):
        raise PermissionDenied(_("The review queue is for reviewers and council secretaries."))
    queryset, filters = _queue_queryset(request, user)
    page = paginate(request, queryset, per_page=PER_PAGE)
    actions = bulk_actions_for(user)
    status_labels = choice_labels(InclusionRequest._meta.get_field("status"), get_language())
    context = {
        **page,
        # Rows are ticked only where there is something to do with them.
        "rows": request_rows(
            request_row_values(page["page_obj"].object_list), pick=bool(actions), overdue=True
        ),
        "filters": filters,
        "is_filtered": any(filters.values()),
        "status_options": options_html([(v, status_labels[v]) for v in QUEUE_STATUSES], filters["status"]),
        "partner_options": options_html(partner_options(), filters["partner"]),
        "desk_options": options_html(desk_options(), filters["desk"]),
        # The bulk form's actions (BulkActionForm's, which reads the posted form): none, no bulk form.
        "action_options": options_html(actions.items()),
        "may_reassign": "reassign" in actions,
        "reviewer_options": options_html(reviewer_options(reviewers())) if "reassign" in actions else "",
    }
    return render(request, "requests/queue.html", context)


@require_POST
def request_queue_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply one action to the ticked requests, each through its own service call; one line per request."""
    user = request.user
    if not can_use_review_queue(user):
        raise PermissionDenied(_("The review queue is for reviewers and council secretaries."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("requests:queue")
    form = BulkActionForm(
        request.POST,
        queryset=selectors.inclusion_request_visible_to(user=user),
        actions=bulk_actions_for(user),
    )
    results = None
    if form.is_valid():
        try:
            results = inclusion_request_bulk_act(
                actor=user,
                requests=form.cleaned_data["requests"],
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                reviewer=form.cleaned_data.get("reviewer"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if results is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(message) for message in errors))
        return HttpResponseRedirect(back)
    for result in results:
        line = f"{result.request.reference}: {result.message}"
        (messages.success if result.done else messages.error)(request, line)
    return HttpResponseRedirect(back)


REASSIGN_REFUSED = _lazy("Only the head of the request's desk or an administrator may reassign its review.")


@require_http_methods(["GET", "POST"])
def request_reassign(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Give a request's review to another reviewer (the desk's head or an administrator), with a reason."""
    user = request.user
    inclusion_request = _get_or_404(user, key)
    if not may_reassign_review(user, inclusion_request):
        raise PermissionDenied(
            _("Only the head of the request's desk or an administrator may reassign its review.")
        )
    form = ReassignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            inclusion_request_reassign(
                actor=user,
                request=inclusion_request,
                reviewer=form.cleaned_data["reviewer"],
                reason=form.cleaned_data["reason"],
            )
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect(_detail_url(inclusion_request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(reference)s: the review is now with %(name)s.")
                % {
                    "reference": inclusion_request.reference,
                    "name": form.cleaned_data["reviewer"].get_full_name()
                    or form.cleaned_data["reviewer"].username,
                },
            )
            return redirect(_detail_url(inclusion_request))
    return render(
        request,
        "requests/reassign.html",
        {
            "object": inclusion_request,
            "form": form,
            "page_marking": inclusion_request.marking,
            "page_releasability": inclusion_request.releasability,
        },
        status=400 if form.errors else 200,
    )
