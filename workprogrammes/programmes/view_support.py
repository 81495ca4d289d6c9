"""What the pages that build and run a programme share (builder_views.py, lifecycle_views.py): the record
with its access checks, the form's round trip through a service, and the page's marking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.forms import add_service_errors

from . import builder_selectors as selectors
from .models import ProgrammeActivity, WorkProgramme

T = TypeVar("T")

NOT_YOURS = _("Only officers of the partner's desk and administrators may change its programme.")


def posted(request: AuthenticatedHttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so that the form is bound), else None."""
    return request.POST if request.method == "POST" else None


def page_programme(request: AuthenticatedHttpRequest, pk: int, *, manage: bool = True) -> WorkProgramme:
    """The programme if the user's clearance covers it (404 otherwise); 403 if they may not change it."""
    try:
        programme = selectors.programme_for_user(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist:
        raise Http404(_("There is no programme at this address.")) from None
    if manage and not request.user.has_perm("workprogrammes.manage_programme", programme):
        raise PermissionDenied(NOT_YOURS)
    return programme


def page_activity(request: AuthenticatedHttpRequest, pk: int) -> ProgrammeActivity:
    """The activity if the clearance covers it and its programme (else 404) and the user manages it (403)."""
    clearance = request.user.clearance
    activity: ProgrammeActivity = get_object_or_404(
        ProgrammeActivity.objects.select_related("programme", "programme__partner", "catalogue_item").filter(
            marking__lte=clearance, programme__marking__lte=clearance
        ),
        pk=pk,
    )
    if not request.user.has_perm("workprogrammes.manage_programme", activity.programme):
        raise PermissionDenied(NOT_YOURS)
    return activity


def to_programme(programme: WorkProgramme | int, anchor: str = "") -> HttpResponse:
    pk = programme if isinstance(programme, int) else programme.pk
    return redirect(reverse("programmes:detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


def apply_service(form: Any, write: Callable[[], T]) -> T | None:
    """Run a service; what it refuses lands on the form, the input kept (None means it failed).

    Bad input goes on its fields; a step the status does not allow (TransitionNotAllowed) or a
    permission the service checks beyond the page's (e.g. only the desk authors inclusion requests)
    goes at the top of the form.
    """
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def form_page(request: AuthenticatedHttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form's page: 400 when a submitted form has errors."""
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def page_marking(programme: WorkProgramme, activity: ProgrammeActivity | None = None) -> dict[str, Any]:
    """The marking and releasability the page shows: the higher of the programme's and the activity's."""
    marking = max(programme.marking, activity.marking if activity else 0)
    releasability = (activity.releasability if activity else "") or programme.releasability
    return {"page_marking": marking, "page_releasability": releasability}
