"""Pages that build a partner's programme: start it, change it, pick activities from the catalogue, change
or remove them. Moving it through its lifecycle and running its activities: lifecycle_views.py.

Each page: who may (404 for a record above the user's clearance, 403 for a user who may not change it),
the form, the service, the response. A change the programme's status does not allow is shown as an
error banner and leads back to the programme.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.pagination import paginate

from ..catalogue.models import CatalogueItemKind
from ..requests.workflow import TransitionNotAllowed
from . import activity_services, services, start_services
from . import builder_selectors as selectors
from .forms import ActivityForm, ConfirmForm, ProgrammeEditForm, ProgrammeStartForm
from .view_support import (
    apply_service,
    form_page,
    page_activity,
    page_marking,
    page_programme,
    posted,
    to_programme,
)
from .workflow import AMENDABLE_STATUSES, PROGRAMME_EDITABLE_STATUSES

MENU_PAGE_SIZE = 25


# --- Starting a programme -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("workprogrammes.start_programme", raise_exception=True)
def programme_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a partner's programme for a year: empty, or copied from last year's."""
    user = request.user
    partners = selectors.partners_for_new_programmes(user=user)
    initial = {"partner": partners.filter(iso_code=request.GET.get("partner", "").upper()[:2]).first()}
    form = ProgrammeStartForm(posted(request), user=user, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["start"] == ProgrammeStartForm.COPY:
            programme = apply_service(
                form,
                lambda: start_services.programme_copy_from_previous(
                    actor=user, partner=data["partner"], year=data["year"]
                ),
            )
        else:
            programme = apply_service(
                form,
                lambda: start_services.programme_create(
                    actor=user,
                    partner=data["partner"],
                    year=data["year"],
                    kind=data["kind"],
                    objectives_en=data["objectives_en"],
                    objectives_fr=data["objectives_fr"],
                    marking=data["marking"],
                    releasability=data["releasability"],
                ),
            )
        if programme is not None:
            messages.success(
                request, _("The programme is started as a draft. Add its activities from the catalogue.")
            )
            return to_programme(programme)
    return form_page(request, "workprogrammes/builder/start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change the programme's kind, objectives and marking (by amendment once agreed)."""
    programme = page_programme(request, pk)
    amending = programme.status in AMENDABLE_STATUSES
    if programme.status not in (*PROGRAMME_EDITABLE_STATUSES, *AMENDABLE_STATUSES):
        messages.error(
            request,
            _("This programme is %(status)s: it does not change.")
            % {"status": programme.get_status_display().lower()},
        )
        return to_programme(programme)
    initial = {
        "kind": programme.kind,
        "objectives_en": getattr(programme, "objectives_en", ""),
        "objectives_fr": getattr(programme, "objectives_fr", ""),
        "marking": programme.marking,
        "releasability": programme.releasability,
    }
    form = ProgrammeEditForm(posted(request), user=request.user, amending=amending, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        if apply_service(
            form,
            lambda: services.programme_update(actor=request.user, programme=programme, reason=reason, **data),
        ):
            messages.success(
                request, _("The programme is amended.") if amending else _("The programme is saved.")
            )
            return to_programme(programme)
    context = {"form": form, "programme": programme, "amending": amending, **page_marking(programme)}
    return form_page(request, "workprogrammes/builder/programme_form.html", context)


# --- Picking activities from the catalogue ------------------------------------------------------


@require_safe
def catalogue_menu(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The catalogue as a menu: search, filter by area and kind, pick an item for the programme."""
    programme = page_programme(request, pk)
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "area": request.GET.get("area", "")[:60],
        "kind": request.GET.get("kind", "")
        if request.GET.get("kind", "") in CatalogueItemKind.values
        else "",
    }
    items = selectors.catalogue_menu(
        user=request.user, q=filters["q"], area=filters["area"], kind=filters["kind"]
    )
    context = {
        "programme": programme,
        "filters": filters,
        "is_filtered": any(filters.values()),
        "areas": selectors.catalogue_menu_areas(),
        "kinds": CatalogueItemKind.choices,
        "amending": programme.status in AMENDABLE_STATUSES,
        **paginate(request, items, per_page=MENU_PAGE_SIZE),
        **page_marking(programme),
    }
    return render(request, "workprogrammes/builder/catalogue_menu.html", context)


@require_http_methods(["GET", "POST"])
def activity_add(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Add the chosen catalogue item to the programme with its dates, place, lead and objective."""
    programme = page_programme(request, pk)
    item = get_object_or_404(selectors.catalogue_menu(user=request.user).select_related("area"), pk=item_pk)
    amending = programme.status in AMENDABLE_STATUSES
    form = ActivityForm(
        posted(request),
        user=request.user,
        amending=amending,
        needs_request=item.needs_council_decision,
        initial={"marking": programme.marking, "releasability": programme.releasability},
    )
    if request.method == "POST" and form.is_valid():
        activity = apply_service(
            form,
            lambda: activity_services.programme_activity_add(
                actor=request.user, programme=programme, catalogue_item=item, **form.cleaned_data
            ),
        )
        if activity is not None:
            messages.success(request, _("“%(title)s” is added to the programme.") % {"title": activity.title})
            return to_programme(programme, "activities")
    context = {
        "form": form,
        "programme": programme,
        "item": item,
        "amending": amending,
        **page_marking(programme),
    }
    return form_page(request, "workprogrammes/builder/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change an activity's title, objective, dates, place, lead or marking (by amendment once agreed)."""
    activity = page_activity(request, pk)
    programme = activity.programme
    amending = programme.status in AMENDABLE_STATUSES
    form = ActivityForm(
        posted(request),
        user=request.user,
        amending=amending,
        needs_request=False,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        if not data["title_en"]:
            data["title_en"] = getattr(activity, "title_en", "")
        updated = apply_service(
            form,
            lambda: activity_services.programme_activity_update(
                actor=request.user, activity=activity, reason=reason, **data
            ),
        )
        if updated is not None:
            messages.success(
                request, _("The activity is amended.") if amending else _("The activity is saved.")
            )
            return to_programme(programme, "activities")
    context = {
        "form": form,
        "programme": programme,
        "activity": activity,
        "item": activity.catalogue_item,
        "amending": amending,
        **page_marking(programme, activity),
    }
    return form_page(request, "workprogrammes/builder/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take an activity out of a draft programme, after asking."""
    activity = page_activity(request, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.programme_activity_remove(actor=request.user, activity=activity)
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("“%(title)s” is removed from the programme.") % {"title": activity.title}
            )
        return to_programme(activity.programme_id, "activities")
    context = {
        "form": form,
        "programme": activity.programme,
        "activity": activity,
        "step": "remove",
        "title": _("Remove the activity from the programme"),
        **page_marking(activity.programme, activity),
    }
    return form_page(request, "workprogrammes/builder/activity_step.html", context)
