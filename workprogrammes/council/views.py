"""Pages of the council secretaries: meetings, agenda builder, decision sheet, silence procedure."""

from __future__ import annotations

from collections.abc import Callable, Sized
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import User
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate

from ..requests import selectors
from ..requests.permissions import can_view_request
from ..requests.workflow import TransitionNotAllowed
from . import decision_services, silence_services
from . import selectors as council_selectors
from . import services as council_services
from .forms import AgendaForm, DecisionSheetForm, MeetingForm, SilenceBreakForm, SilenceStartForm
from .models import AgendaItem, AgendaItemStatus, CouncilMeeting
from .permissions import can_manage_council


def _secretary(request: AuthenticatedHttpRequest) -> User:
    user = request.user
    if not can_manage_council(user):
        raise PermissionDenied(_("The Council pages are for council secretaries."))
    return user


def _meeting_url(meeting: CouncilMeeting) -> str:
    return reverse("council:meeting", args=[meeting.pk])


@require_http_methods(["GET", "POST"])
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Council meetings (planned first) and the form to plan a new one."""
    user = _secretary(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = council_services.council_meeting_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Meeting %(reference)s planned.") % {"reference": meeting.reference})
            return redirect(_meeting_url(meeting))
    context = {
        **paginate(request, council_selectors.council_meeting_list(user=user), per_page=25),
        "form": form,
        "awaiting_count": council_selectors.requests_for_agenda(user=user).count(),
    }
    return render(request, "council/meetings.html", context, status=400 if form.errors else 200)


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A meeting's agenda, its items' state and the decisions recorded at it."""
    user = _secretary(request)
    meeting = get_object_or_404(CouncilMeeting, pk=pk)
    items = list(council_selectors.agenda_of(meeting=meeting, user=user))
    return render(
        request,
        "council/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "decisions": council_selectors.meeting_decisions(meeting=meeting, user=user),
            "has_scheduled": any(item.status == AgendaItemStatus.SCHEDULED for item in items),
        },
    )


def _refuse(request: AuthenticatedHttpRequest, error: Exception, meeting: CouncilMeeting) -> HttpResponse:
    messages.error(request, str(error) or _("You may not do this."))
    return redirect(_meeting_url(meeting))


def _meeting_form_page(
    request: AuthenticatedHttpRequest,
    *,
    meeting: CouncilMeeting,
    form: forms.Form,
    write: Callable[[], Sized],
    done: Callable[[int], str],
    template: str,
    context: dict[str, Any],
    next_url: str,
) -> HttpResponse:
    """The one shape of the Council's form pages: on a valid POST, the service writes; a refusal goes
    back to the meeting with its message, bad input back to the form by field, success to `next_url`
    with `done(count)`. Otherwise the page, with the form."""
    if request.method == "POST" and form.is_valid():
        try:
            written = write()
        except (TransitionNotAllowed, PermissionDenied) as error:
            return _refuse(request, error, meeting)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done(len(written)))
            return redirect(next_url)
    return render(
        request,
        template,
        {"meeting": meeting, "form": form, **context},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def agenda_builder(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Pick requests awaiting the Council (or deferred ones, for a later meeting) for the agenda."""
    user = _secretary(request)
    meeting = get_object_or_404(CouncilMeeting, pk=pk)
    candidates = council_selectors.requests_for_agenda(user=user)
    form = AgendaForm(request.POST or None, queryset=candidates)
    return _meeting_form_page(
        request,
        meeting=meeting,
        form=form,
        write=lambda: council_services.agenda_build(
            actor=user, meeting=meeting, requests=form.cleaned_data["requests"]
        ),
        done=lambda count: (
            ngettext("%(count)s item added to the agenda.", "%(count)s items added to the agenda.", count)
            % {"count": count}
        ),
        template="council/agenda.html",
        context={"candidates": candidates},
        next_url=_meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
def decision_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the meeting's outcomes at once: a default outcome plus per-item exceptions."""
    user = _secretary(request)
    meeting = get_object_or_404(CouncilMeeting, pk=pk)
    items = list(
        council_selectors.agenda_of(meeting=meeting, user=user).filter(status=AgendaItemStatus.SCHEDULED)
    )
    form = DecisionSheetForm(request.POST or None, items=items)
    return _meeting_form_page(
        request,
        meeting=meeting,
        form=form,
        write=lambda: decision_services.council_sheet_record(
            actor=user,
            meeting=meeting,
            default_outcome=form.cleaned_data["default_outcome"],
            reference=form.cleaned_data["reference"],
            conditions=form.cleaned_data["conditions"],
            exceptions=form.exceptions(),
            item_conditions=form.item_conditions(),
        ),
        done=lambda count: (
            ngettext("%(count)s decision recorded.", "%(count)s decisions recorded.", count)
            % {"count": count}
        ),
        template="council/sheet.html",
        context={"items": items},
        next_url=_meeting_url(meeting),
    )


@require_http_methods(["GET", "POST"])
def silence_procedure(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Put scheduled items under silence until a deadline; see the items already under silence."""
    user = _secretary(request)
    meeting = get_object_or_404(CouncilMeeting, pk=pk)
    agenda = council_selectors.agenda_of(meeting=meeting, user=user)
    form = SilenceStartForm(request.POST or None, items=agenda.filter(status=AgendaItemStatus.SCHEDULED))
    return _meeting_form_page(
        request,
        meeting=meeting,
        form=form,
        write=lambda: silence_services.silence_start(
            actor=user, items=form.cleaned_data["items"], deadline=form.cleaned_data["deadline"]
        ),
        done=lambda count: (
            ngettext("%(count)s item under silence.", "%(count)s items under silence.", count)
            % {"count": count}
        ),
        template="council/silence.html",
        context={
            "under_silence": agenda.filter(status=AgendaItemStatus.UNDER_SILENCE),
            "broken": agenda.exclude(silence_broken_at=None),
        },
        next_url=reverse("council:silence", args=[meeting.pk]),
    )


@require_http_methods(["GET", "POST"])
def silence_break(request: AuthenticatedHttpRequest, item_pk: int) -> HttpResponse:
    """Record that a delegation broke silence on an item (which one, and why)."""
    user = _secretary(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "request__partner"), pk=item_pk)
    if not can_view_request(user, item.request):
        raise Http404
    form = SilenceBreakForm(request.POST or None)
    return _meeting_form_page(
        request,
        meeting=item.meeting,
        form=form,
        write=lambda: [silence_services.silence_break(actor=user, item=item, **form.cleaned_data)],
        done=lambda count: (
            _("Silence broken on %(reference)s; it awaits the Council again.")
            % {"reference": item.request.reference}
        ),
        template="council/silence_break.html",
        context={"item": item},
        next_url=reverse("council:silence", args=[item.meeting_id]),
    )


@require_GET
def meeting_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The meeting's agenda and decision sheet, laid out for printing (with the marking on every page)."""
    user = _secretary(request)
    meeting = get_object_or_404(CouncilMeeting, pk=pk)
    visible = selectors.inclusion_request_visible_to(user=user)
    items = council_selectors.agenda_of(meeting=meeting, user=user)
    decisions = (
        meeting.decisions.filter(request__in=visible).select_related("request__partner").order_by("pk")
    )
    return render(request, "council/print.html", {"meeting": meeting, "items": items, "decisions": decisions})


@require_http_methods(["POST"])
def agenda_item_move_view(request: AuthenticatedHttpRequest, item_pk: int) -> HttpResponse:
    """Move an agenda item one place up or down (the "direction" button pressed)."""
    user = _secretary(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
    try:
        council_services.agenda_item_move(actor=user, item=item, direction=request.POST.get("direction", ""))
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        return _refuse(request, error, item.meeting)
    return redirect(f"{_meeting_url(item.meeting)}#agenda-title")


@require_http_methods(["POST"])
def agenda_item_remove_view(request: AuthenticatedHttpRequest, item_pk: int) -> HttpResponse:
    """Take an item off the agenda; its request keeps awaiting the Council."""
    user = _secretary(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "request"), pk=item_pk)
    try:
        removed = council_services.agenda_item_remove(actor=user, item=item)
    except (TransitionNotAllowed, PermissionDenied) as error:
        return _refuse(request, error, item.meeting)
    messages.success(
        request,
        _("%(reference)s is off the agenda; it still awaits the Council.") % {"reference": removed.reference},
    )
    return redirect(_meeting_url(item.meeting))
