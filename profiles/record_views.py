"""Pages where officers of the desk (and administrators) keep a partner's record current, and its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from operations import services as operation_services
from operations.forms import ContributionForm
from operations.models import Contribution
from partners import permissions as _permissions  # noqa: F401  (registers "partners.edit_record")
from partners import services
from partners.forms import (
    DialogueMeetingForm,
    LiaisonArrangementForm,
    MilestoneForm,
    PartnerCooperationForm,
)
from partners.models import DialogueMeeting, LiaisonArrangement, Milestone, Partner
from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.forms import add_service_errors
from portal.core.pagination import paginate

from . import record_selectors

HISTORY_PAGE_SIZE = 50
# The latest changes the profile's history section shows; the history page has them all.
PROFILE_HISTORY_LIMIT = 10


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so that the form is bound), else None."""
    return request.POST if request.method == "POST" else None


@dataclass(frozen=True)
class RecordKind:
    """One kind of record on a partner's profile: its form, its services and where the profile shows it."""

    model: type[models.Model]
    form: type[Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    update_arg: str
    name: Any
    section: str
    # The page titles, whole sentences so that each language writes its own article ("un jalon").
    add_title: Any = ""
    change_title: Any = ""


RECORD_KINDS: dict[str, RecordKind] = {
    "milestone": RecordKind(
        Milestone,
        MilestoneForm,
        services.milestone_create,
        services.milestone_update,
        "milestone",
        _("milestone"),
        "milestones",
        _("Add a milestone"),
        _("Change a milestone"),
    ),
    "dialogue": RecordKind(
        DialogueMeeting,
        DialogueMeetingForm,
        services.dialogue_meeting_create,
        services.dialogue_meeting_update,
        "meeting",
        _("dialogue meeting"),
        "dialogue",
        _("Add a dialogue meeting"),
        _("Change a dialogue meeting"),
    ),
    "liaison": RecordKind(
        LiaisonArrangement,
        LiaisonArrangementForm,
        services.liaison_arrangement_create,
        services.liaison_arrangement_update,
        "arrangement",
        _("liaison arrangement"),
        "liaison",
        _("Add a liaison arrangement"),
        _("Change a liaison arrangement"),
    ),
    "contribution": RecordKind(
        Contribution,
        ContributionForm,
        operation_services.contribution_create,
        operation_services.contribution_update,
        "contribution",
        _("contribution"),
        "contributions",
        _("Add a contribution"),
        _("Change a contribution"),
    ),
}


def _editable_partner(request: AuthenticatedHttpRequest, iso_code: str) -> Partner:
    partner = get_object_or_404(Partner.objects.alive(), iso_code=iso_code.upper())
    if not request.user.has_perm("partners.edit_record", partner):
        raise PermissionDenied(
            _("Only officers of the partner's desk and administrators may change its record.")
        )
    return partner


def _record_kind(kind: str) -> RecordKind:
    try:
        return RECORD_KINDS[kind]
    except KeyError:
        raise Http404(_("There is no record of this kind.")) from None


def _profile_section(partner: Partner, section: str) -> str:
    return f"{reverse('partners:profile', args=[partner.iso_code])}#{section}"


@require_http_methods(["GET", "POST"])
def record_create(request: AuthenticatedHttpRequest, iso_code: str, kind: str) -> HttpResponse:
    """Add a milestone, dialogue meeting, liaison arrangement or contribution to a partner's record."""
    record_kind = _record_kind(kind)
    partner = _editable_partner(request, iso_code)
    form = record_kind.form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_kind.create(actor=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The %(record)s is recorded.") % {"record": record_kind.name})
            return redirect(_profile_section(partner, record_kind.section))
    context = {"partner": partner, "form": form, "record_kind": record_kind, "is_new": True}
    return render(request, "partners/records/record_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def record_edit(request: AuthenticatedHttpRequest, iso_code: str, kind: str, pk: int) -> HttpResponse:
    """Correct one of a partner's records."""
    record_kind = _record_kind(kind)
    partner = _editable_partner(request, iso_code)
    record = get_object_or_404(record_kind.model._default_manager.filter(partner=partner), pk=pk)
    form = record_kind.form(_posted(request), instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            record_kind.update(actor=request.user, **{record_kind.update_arg: record}, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The %(record)s is updated.") % {"record": record_kind.name})
            return redirect(_profile_section(partner, record_kind.section))
    context = {
        "partner": partner,
        "form": form,
        "record_kind": record_kind,
        "record": record,
        "is_new": False,
    }
    return render(request, "partners/records/record_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def cooperation_edit(request: AuthenticatedHttpRequest, iso_code: str) -> HttpResponse:
    """Change the areas the partner chose and its engagement level."""
    partner = _editable_partner(request, iso_code)
    form = PartnerCooperationForm.for_partner(partner, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_cooperation_update(
                actor=request.user,
                partner=partner,
                engagement_level=form.cleaned_data["engagement_level"],
                areas=form.cleaned_data["areas"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner's areas and engagement level are updated."))
            return redirect(_profile_section(partner, "areas"))
    context = {"partner": partner, "form": form}
    return render(
        request, "partners/records/cooperation_form.html", context, status=400 if form.errors else 200
    )


@require_safe
@permission_required("portal.browse", raise_exception=True)
def partner_history(request: AuthenticatedHttpRequest, iso_code: str) -> HttpResponse:
    """Every change to a partner's record: who, when and what, newest first. Asked by htmx, the latest
    changes alone: the profile's history section, which loads when it comes into view."""
    partner = get_object_or_404(Partner.objects.alive(), iso_code=iso_code.upper())
    if request.headers.get("HX-Request"):
        entries = record_selectors.partner_history(partner=partner, limit=PROFILE_HISTORY_LIMIT)
        response = render(request, "partners/records/_history_latest.html", {"entries": entries})
    else:
        page = paginate(
            request, record_selectors.partner_history_events(partner=partner), per_page=HISTORY_PAGE_SIZE
        )
        entries = record_selectors.history_entries(list(page["page_obj"].object_list))
        context = {"partner": partner, "entries": entries, **page}
        response = render(request, "partners/records/history.html", context)
    # The same address answers a page or the profile's section: a browser must not take one for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response
