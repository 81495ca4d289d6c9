"""Pages of inclusion requests: my requests, the form, the request page with its actions, the review queue.

Each view checks permission (a request the user may not see is a 404), validates a form, calls a
service and answers; an illegal or stale step comes back as a message on the request page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.models import Partner
from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import User
from portal.core.i18n import localized_text
from portal.core.pagination import paginate

from ..attachments import max_bytes
from ..council import selectors as council_selectors
from ..council.forms import DecisionForm, RescheduleForm
from ..workflow_steps import RequestStep, request_step
from . import selectors, services
from .discussion_permissions import can_attach, comment_visibilities_for
from .forms import (
    AttachmentForm,
    CommentForm,
    InclusionRequestForm,
    ReasonForm,
    add_service_errors,
)
from .models import WAITING_FOR_REVIEW, InclusionRequest, InclusionRequestStatus
from .page_forms import fields_html
from .permissions import (
    available_transitions,
    can_edit_request,
    desk_standing,
    may_draft_requests,
    may_reassign_review,
)
from .rows import request_row_values, request_rows
from .workflow import (
    AT_OR_AFTER_COUNCIL,
    MAIN_PATH,
    REQUEST_MACHINE,
    TERMINAL,
    Transition,
    TransitionNotAllowed,
    done_message,
    step_index,
)

PER_PAGE = 25
S = InclusionRequestStatus


def _get_or_404(user: User, key: str) -> InclusionRequest:
    inclusion_request = selectors.inclusion_request_get(user=user, key=key)
    if inclusion_request is None:
        raise Http404(_("No such request, or you may not see it."))
    return inclusion_request


def _detail_url(inclusion_request: InclusionRequest) -> str:
    return reverse("requests:detail", args=[inclusion_request.reference])


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- My requests, the form --------------------------------------------------------------------------


@require_GET
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "My requests": the requests of the officer's desks, with filters by status and partner."""
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    partner_id = _int_or_none(request.GET.get("partner"))
    q = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    requests = selectors.inclusion_request_list_mine(user=user, status=status, partner_id=partner_id, q=q)
    page = paginate(request, requests, per_page=PER_PAGE)
    context = {
        **page,
        "rows": request_rows(request_row_values(page["page_obj"].object_list)),
        "filters": {"status": status, "partner": partner_id, "q": q},
        "is_filtered": bool(status or partner_id or q),
        "statuses": S.choices,
        "partners": Partner.objects.filter(
            pk__in=user.desk_partner_ids.union(*(p.desk_partner_ids for p in user.acting_for_today))
        ).order_by(localized_text("name")),
        "may_create": may_draft_requests(user),
    }
    return render(request, "requests/list.html", context)


@require_http_methods(["GET", "POST"])
def request_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The new-request form, for officers (only their desks' partners are offered) and, on the days of a
    delegation, for their delegates (the principal's partners too, drafted for the principal)."""
    user = request.user
    if not may_draft_requests(user):
        raise PermissionDenied(_("Only officers with a desk may ask for inclusions."))
    form = InclusionRequestForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.inclusion_request_create(
                actor=user, acting_for=form.acting_for(), **form.cleaned_data
            )
        except PermissionDenied as error:
            form.add_error("partner", str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft %(reference)s saved. Submit it when it is ready.")
                % {"reference": created.reference},
            )
            return redirect(_detail_url(created))
    return render(
        request, "requests/form.html", {"form": form, "editing": None}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def request_edit(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Edit a draft, or a request returned for changes, before (re)submitting it (its desk's officers, or
    their delegate on the delegation's days, for them)."""
    user = request.user
    inclusion_request = _get_or_404(user, key)
    standing = desk_standing(user, inclusion_request)
    if standing is None or not can_edit_request(user, inclusion_request):
        messages.error(request, _("This request cannot be changed now."))
        return redirect(_detail_url(inclusion_request))
    form = InclusionRequestForm(
        request.POST or None, user=user, initial=InclusionRequestForm.initial_from(inclusion_request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inclusion_request_update(
                actor=user, request=inclusion_request, acting_for=standing.acting_for, **form.cleaned_data
            )
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect(_detail_url(inclusion_request))
        except PermissionDenied as error:
            form.add_error("partner", str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(inclusion_request))
    return render(
        request,
        "requests/form.html",
        {"form": form, "editing": inclusion_request, "page_marking": inclusion_request.marking},
        status=400 if form.errors else 200,
    )


# --- The request page --------------------------------------------------------------------------------


def _steps(inclusion_request: InclusionRequest) -> list[dict[str, Any]]:
    current = step_index(inclusion_request.status)
    steps = []
    for index, (_value, step_label) in enumerate(MAIN_PATH):
        label: Any = step_label
        if index == len(MAIN_PATH) - 1 and inclusion_request.status in TERMINAL:
            label = inclusion_request.get_status_display()
        state = "complete" if index < current else ("current" if index == current else "incomplete")
        if index == current and inclusion_request.status in TERMINAL:
            state = "complete"
        steps.append({"label": label, "state": state})
    return steps


def _actions(user: User, inclusion_request: InclusionRequest) -> list[dict[str, Any]]:
    """The buttons of the request page: what the user (or a principal they act for) may do now."""
    actions: list[dict[str, Any]] = [
        {"transition": t, "acting_for": None} for t in available_transitions(user, inclusion_request)
    ]
    own = {a["transition"].action for a in actions}
    for principal in user.acting_for_today:
        for transition in available_transitions(principal, inclusion_request):
            if transition.action not in own:
                actions.append({"transition": transition, "acting_for": principal})
    for action in actions:
        action["needs_form"] = _needs_form(action["transition"])
    return actions


def _needs_form(transition: Transition) -> bool:
    return (
        transition.reason_required
        or transition.dangerous
        or transition.service in ("council_decision_record", "inclusion_request_reschedule")
    )


def _detail_context(
    user: User,
    inclusion_request: InclusionRequest,
    *,
    comment_form: CommentForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> dict[str, Any]:
    visibilities = comment_visibilities_for(user, inclusion_request)
    may_attach = can_attach(user, inclusion_request)
    at_council = inclusion_request.status in AT_OR_AFTER_COUNCIL
    decisions = list(council_selectors.decisions_of(request=inclusion_request)) if at_council else []
    if visibilities:
        comment_form = comment_form or CommentForm(user=user, visibilities=visibilities)
    if may_attach:
        attachment_form = attachment_form or AttachmentForm(user=user, max_label=filesizeformat(max_bytes()))
    comment_form = comment_form if visibilities else None
    attachment_form = attachment_form if may_attach else None
    comment_fields = fields_html(comment_form, ("body", "visibility", "marking")) if comment_form else ""
    return {
        "object": inclusion_request,
        "steps": _steps(inclusion_request),
        "timeline": selectors.status_changes_of(request=inclusion_request),
        "drafted_by": selectors.drafted_for_requester_by(request=inclusion_request),
        "revisions": selectors.revision_differences(request=inclusion_request),
        "comments": selectors.comments_visible_to(user=user, request=inclusion_request),
        "attachments": selectors.attachments_visible_to(user=user, request=inclusion_request),
        "agenda_items": council_selectors.council_items_of(request=inclusion_request) if at_council else [],
        "decisions": decisions,
        # The latest decision, shown at the top of the page.
        "decision": decisions[-1] if decisions else None,
        "actions": _actions(user, inclusion_request),
        "may_edit": can_edit_request(user, inclusion_request),
        "may_reassign": inclusion_request.status in WAITING_FOR_REVIEW
        and may_reassign_review(user, inclusion_request),
        "comment_form": comment_form,
        "comment_fields": comment_fields,
        "attachment_form": attachment_form,
        "attachment_fields": fields_html(attachment_form, ("file", "marking")) if attachment_form else "",
        "page_marking": inclusion_request.marking,
        "page_releasability": inclusion_request.releasability,
    }


@require_GET
def request_detail(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The request page: where it is, its facts, timeline, revisions, comments, files and actions."""
    user = request.user
    inclusion_request = selectors.inclusion_request_for_page(user=user, key=key)
    if inclusion_request is None:
        raise Http404(_("No such request, or you may not see it."))
    return render(request, "requests/detail.html", _detail_context(user, inclusion_request))


def _action_form(transition: Transition, inclusion_request: InclusionRequest, data: Any) -> Any:
    if transition.service == "council_decision_record":
        return DecisionForm(data, request=inclusion_request)
    if transition.service == "inclusion_request_reschedule":
        return RescheduleForm(data)
    if transition.asks_reason:
        return ReasonForm(data, required=transition.reason_required)
    return None


@require_http_methods(["GET", "POST"])
def request_act(request: AuthenticatedHttpRequest, key: str, action: str) -> HttpResponse:
    """Take one workflow step; steps that need a reason or are dangerous confirm on their own page."""
    user = request.user
    inclusion_request = _get_or_404(user, key)
    transition = REQUEST_MACHINE.get(action)
    if transition is None:
        raise Http404(_("No such action."))
    acting_for = _acting_for(request, user)
    form = _action_form(transition, inclusion_request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = dict(form.cleaned_data) if form is not None else {}
        try:
            request_step(
                request=inclusion_request,
                step=RequestStep(actor=user, action=transition.action, acting_for=acting_for, **data),
            )
        except (TransitionNotAllowed, PermissionDenied) as error:
            messages.error(request, str(error) or _("You may not do this."))
            return redirect(_detail_url(inclusion_request))
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(_detail_url(inclusion_request))
            add_service_errors(form, error)
        else:
            messages.success(request, done_message(transition, inclusion_request.reference))
            return redirect(_detail_url(inclusion_request))
    return render(
        request,
        "requests/act.html",
        {
            "object": inclusion_request,
            "transition": transition,
            "form": form,
            "acting_for": acting_for,
            "page_marking": inclusion_request.marking,
            "page_releasability": inclusion_request.releasability,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _acting_for(request: AuthenticatedHttpRequest, user: User) -> User | None:
    principal_id = _int_or_none(request.POST.get("acting_for") or request.GET.get("acting_for"))
    if principal_id is None or principal_id == user.pk:
        return None
    # Whether the delegation is active is the services' check (permissions.principal_for).
    return User.objects.filter(pk=principal_id).first()


@require_POST
def comment_create(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Add a comment to a request; on an error the page comes back with what was typed."""
    user = request.user
    inclusion_request = _get_or_404(user, key)
    visibilities = comment_visibilities_for(user, inclusion_request)
    if not visibilities:
        raise PermissionDenied(_("You cannot comment on this request."))
    form = CommentForm(request.POST, user=user, visibilities=visibilities)
    if form.is_valid():
        try:
            services.comment_add(actor=user, request=inclusion_request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(_detail_url(inclusion_request) + "#comments")
    context = _detail_context(user, inclusion_request, comment_form=form)
    return render(request, "requests/detail.html", context, status=400)


@require_POST
def attachment_create(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Upload a file to a request (type checked from its bytes, size limited)."""
    user = request.user
    inclusion_request = _get_or_404(user, key)
    if not can_attach(user, inclusion_request):
        raise PermissionDenied(_("You cannot attach files to this request."))
    form = AttachmentForm(request.POST, request.FILES, user=user, max_label=filesizeformat(max_bytes()))
    if form.is_valid():
        try:
            services.attachment_add(
                actor=user,
                request=inclusion_request,
                upload=form.cleaned_data["file"],
                marking=form.cleaned_data["marking"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect(_detail_url(inclusion_request) + "#attachments")
    context = _detail_context(user, inclusion_request, attachment_form=form)
    return render(request, "requests/detail.html", context, status=400)


@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Serve an attachment to someone who may see it, always as a download, never rendered inline."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404(_("No such file, or you may not see it."))
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
