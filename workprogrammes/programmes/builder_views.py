"""Pages that build and run a partner's programme: start it, pick activities from the catalogue, move it
through its lifecycle, run its activities and record their outcomes.

Each page: who may (404 for a record above the user's clearance, 403 for a user who may not change it),
the form, the service, the response. A step the programme's status does not allow is shown as an error
banner and leads back to the programme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.models import User
from portal.core.pagination import paginate

from ..catalogue.models import CatalogueItemKind
from ..requests.workflow import TransitionNotAllowed
from . import activity_services, services, start_services, workflow_services
from . import builder_selectors as selectors
from .forms import (
    ActivityForm,
    AgreeForm,
    CancelActivityForm,
    CloseForm,
    ConfirmForm,
    OutcomeForm,
    ProgrammeEditForm,
    ProgrammeStartForm,
    ProposeForm,
)
from .models import ProgrammeActivity, WorkProgramme
from .workflow import (
    ACTIVITY_MACHINE,
    AMENDABLE_STATUSES,
    PROGRAMME_EDITABLE_STATUSES,
    PROGRAMME_MACHINE,
    ActivityStep,
    ProgrammeStep,
)

MENU_PAGE_SIZE = 25


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so that the form is bound), else None."""
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> User:
    # LoginRequiredMiddleware lets only signed-in users reach these pages.
    return cast(User, request.user)


def _programme(request: HttpRequest, pk: int, *, manage: bool = True) -> WorkProgramme:
    """The programme if the user's clearance covers it (404 otherwise); 403 if they may not change it."""
    try:
        programme = selectors.programme_for_user(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist:
        raise Http404(_("There is no programme at this address.")) from None
    if manage and not request.user.has_perm("workprogrammes.manage_programme", programme):
        raise PermissionDenied(
            _("Only officers of the partner's desk and administrators may change its programme.")
        )
    return programme


def _activity(request: HttpRequest, pk: int) -> ProgrammeActivity:
    """The activity if the clearance covers it and its programme (else 404) and the user manages it (403)."""
    activity: ProgrammeActivity = get_object_or_404(
        ProgrammeActivity.objects.select_related("programme", "programme__partner", "catalogue_item").filter(
            marking__lte=_user(request).clearance, programme__marking__lte=_user(request).clearance
        ),
        pk=pk,
    )
    if not request.user.has_perm("workprogrammes.manage_programme", activity.programme):
        raise PermissionDenied(
            _("Only officers of the partner's desk and administrators may change its programme.")
        )
    return activity


def _to_programme(programme: WorkProgramme | int, anchor: str = "") -> HttpResponse:
    pk = programme if isinstance(programme, int) else programme.pk
    return redirect(reverse("programmes:detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


def _apply(form: Any, write: Callable[[], Any]) -> Any:
    """Run a service; what it refuses lands on the form, the input kept (None means it failed).

    Bad input goes on its fields; a step the status does not allow (TransitionNotAllowed) or a
    permission the service checks beyond the page's (e.g. only the desk authors inclusion requests)
    goes at the top of the form.
    """
    try:
        return write()
    except ValidationError as error:
        form.add_service_errors(error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def _page_marking(programme: WorkProgramme, activity: ProgrammeActivity | None = None) -> dict[str, Any]:
    marking = max(programme.marking, activity.marking if activity else 0)
    releasability = (activity.releasability if activity else "") or programme.releasability
    return {"page_marking": marking, "page_releasability": releasability}


# --- Starting a programme -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("workprogrammes.start_programme", raise_exception=True)
def programme_start(request: HttpRequest) -> HttpResponse:
    """Start a partner's programme for a year: empty, or copied from last year's."""
    user = _user(request)
    partners = selectors.partners_for_new_programmes(user=user)
    initial = {"partner": partners.filter(iso_code=request.GET.get("partner", "").upper()[:2]).first()}
    form = ProgrammeStartForm(_posted(request), user=user, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["start"] == ProgrammeStartForm.COPY:
            programme = _apply(
                form,
                lambda: start_services.programme_copy_from_previous(
                    actor=user, partner=data["partner"], year=data["year"]
                ),
            )
        else:
            programme = _apply(
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
            return _to_programme(programme)
    return _form_page(request, "workprogrammes/builder/start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the programme's kind, objectives and marking (by amendment once agreed)."""
    programme = _programme(request, pk)
    amending = programme.status in AMENDABLE_STATUSES
    if programme.status not in (*PROGRAMME_EDITABLE_STATUSES, *AMENDABLE_STATUSES):
        messages.error(
            request,
            _("This programme is %(status)s: it does not change.")
            % {"status": programme.get_status_display().lower()},
        )
        return _to_programme(programme)
    initial = {
        "kind": programme.kind,
        "objectives_en": getattr(programme, "objectives_en", ""),
        "objectives_fr": getattr(programme, "objectives_fr", ""),
        "marking": programme.marking,
        "releasability": programme.releasability,
    }
    form = ProgrammeEditForm(_posted(request), user=request.user, amending=amending, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        if _apply(
            form,
            lambda: services.programme_update(
                actor=_user(request), programme=programme, reason=reason, **data
            ),
        ):
            messages.success(
                request, _("The programme is amended.") if amending else _("The programme is saved.")
            )
            return _to_programme(programme)
    context = {"form": form, "programme": programme, "amending": amending, **_page_marking(programme)}
    return _form_page(request, "workprogrammes/builder/programme_form.html", context)


# --- Picking activities from the catalogue ------------------------------------------------------


@require_safe
def catalogue_menu(request: HttpRequest, pk: int) -> HttpResponse:
    """The catalogue as a menu: search, filter by area and kind, pick an item for the programme."""
    programme = _programme(request, pk)
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
        **_page_marking(programme),
    }
    return render(request, "workprogrammes/builder/catalogue_menu.html", context)


@require_http_methods(["GET", "POST"])
def activity_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Add the chosen catalogue item to the programme with its dates, place, lead and objective."""
    programme = _programme(request, pk)
    item = get_object_or_404(selectors.catalogue_menu(user=request.user).select_related("area"), pk=item_pk)
    amending = programme.status in AMENDABLE_STATUSES
    form = ActivityForm(
        _posted(request),
        user=request.user,
        amending=amending,
        needs_request=item.needs_council_decision,
        initial={"marking": programme.marking, "releasability": programme.releasability},
    )
    if request.method == "POST" and form.is_valid():
        activity = _apply(
            form,
            lambda: activity_services.programme_activity_add(
                actor=_user(request), programme=programme, catalogue_item=item, **form.cleaned_data
            ),
        )
        if activity is not None:
            messages.success(request, _("“%(title)s” is added to the programme.") % {"title": activity.title})
            return _to_programme(programme, "activities")
    context = {
        "form": form,
        "programme": programme,
        "item": item,
        "amending": amending,
        **_page_marking(programme),
    }
    return _form_page(request, "workprogrammes/builder/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity's title, objective, dates, place, lead or marking (by amendment once agreed)."""
    activity = _activity(request, pk)
    programme = activity.programme
    amending = programme.status in AMENDABLE_STATUSES
    form = ActivityForm(
        _posted(request),
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
        updated = _apply(
            form,
            lambda: activity_services.programme_activity_update(
                actor=_user(request), activity=activity, reason=reason, **data
            ),
        )
        if updated is not None:
            messages.success(
                request, _("The activity is amended.") if amending else _("The activity is saved.")
            )
            return _to_programme(programme, "activities")
    context = {
        "form": form,
        "programme": programme,
        "activity": activity,
        "item": activity.catalogue_item,
        "amending": amending,
        **_page_marking(programme, activity),
    }
    return _form_page(request, "workprogrammes/builder/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an activity out of a draft programme, after asking."""
    activity = _activity(request, pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.programme_activity_remove(actor=_user(request), activity=activity)
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("“%(title)s” is removed from the programme.") % {"title": activity.title}
            )
        return _to_programme(activity.programme_id, "activities")
    context = {
        "form": form,
        "programme": activity.programme,
        "activity": activity,
        "step": "remove",
        "title": _("Remove the activity from the programme"),
        **_page_marking(activity.programme, activity),
    }
    return _form_page(request, "workprogrammes/builder/activity_step.html", context)


# --- The programme's lifecycle ------------------------------------------------------------------

# The form each programme step asks for; its title and confirmation are its row's (workflow.py).
PROGRAMME_STEP_FORMS: dict[str, type[Any]] = {
    "propose": ProposeForm,
    "agree": AgreeForm,
    "activate": ConfirmForm,
    "close": CloseForm,
}


@require_http_methods(["GET", "POST"])
def programme_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Move the programme on: propose (creating its inclusion requests), agree, start, close."""
    programme = _programme(request, pk)
    transition = PROGRAMME_MACHINE.by_action(step)
    form = PROGRAMME_STEP_FORMS[step](_posted(request))
    if request.method == "POST" and form.is_valid():
        result = _apply(
            form,
            lambda: workflow_services.programme_transition(
                programme=programme,
                step=ProgrammeStep(actor=_user(request), action=step, **form.cleaned_data),
            ),
        )
        if result is not None:
            messages.success(request, str(transition.done))
            return _to_programme(programme)
    activities = list(programme.activities.select_related("catalogue_item").exclude(status="cancelled"))
    needing = [a for a in activities if a.catalogue_item is None or a.catalogue_item.needs_council_decision]
    context = {
        "form": form,
        "programme": programme,
        "step": step,
        "title": transition.label,
        "needing_requests": needing if step == "propose" else [],
        "activity_count": len(activities),
        **_page_marking(programme),
    }
    return _form_page(request, "workprogrammes/builder/step.html", context)


# --- Running activities -------------------------------------------------------------------------


@require_safe
@permission_required("portal.browse", raise_exception=True)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity: its dates, place, lead, objective, status, outcome, requests and steps."""
    try:
        detail = selectors.activity_detail(pk=pk, user=request.user)
    except ProgrammeActivity.DoesNotExist:
        raise Http404(_("There is no programme activity at this address.")) from None
    actions = selectors.programme_actions(programme=detail.programme, user=request.user)
    context = {
        "detail": detail,
        "activity": detail.activity,
        "programme": detail.programme,
        "actions": actions,
        "page_marking": detail.page_marking,
        "page_releasability": detail.activity.releasability or detail.programme.releasability,
    }
    return render(request, "workprogrammes/builder/activity_detail.html", context)


# The form each activity step asks for, by the step's name in the page's address (the outcome's page
# reports the activity); its title and confirmation are its row's (workflow.py).
ACTIVITY_STEP_FORMS: dict[str, tuple[str, type[Any]]] = {
    "confirm": ("confirm", ConfirmForm),
    "hold": ("hold", ConfirmForm),
    "cancel": ("cancel", CancelActivityForm),
    "outcome": ("report", OutcomeForm),
}


@require_http_methods(["GET", "POST"])
def activity_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Run an activity: confirm it, record it as held, cancel it with a reason, or record its outcome."""
    activity = _activity(request, pk)
    action, form_class = ACTIVITY_STEP_FORMS[step]
    transition = ACTIVITY_MACHINE.by_action(action)
    form = form_class(_posted(request))
    detail_url = reverse("programmes:activity_detail", args=[activity.pk])
    if request.method == "POST" and form.is_valid():
        result = _apply(
            form,
            lambda: activity_services.activity_transition(
                activity=activity,
                step=ActivityStep(actor=_user(request), action=action, **form.cleaned_data),
            ),
        )
        if result is not None:
            messages.success(request, str(transition.done))
            return redirect(detail_url)
    context = {
        "form": form,
        "programme": activity.programme,
        "activity": activity,
        "step": step,
        "title": transition.label,
        **_page_marking(activity.programme, activity),
    }
    return _form_page(request, "workprogrammes/builder/activity_step.html", context)
