"""Pages that move a programme through its lifecycle and run its activities: propose, agree, start and
close the programme; show an activity; confirm it, record it as held, cancel it, record its outcome.

Each step's title and confirmation are its row's (workflow.py). Who may: 404 for a record above the
user's clearance, 403 for a user who may not change it. A step the status does not allow is shown on the
form, the input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.state_machine import Transition

from . import activity_services, workflow_services
from . import builder_selectors as selectors
from .forms import AgreeForm, CancelActivityForm, CloseForm, ConfirmForm, OutcomeForm, ProposeForm
from .models import ProgrammeActivity
from .view_support import apply_service, form_page, page_activity, page_marking, page_programme, posted
from .workflow import ACTIVITY_MACHINE, PROGRAMME_MACHINE, ActivityStep, ProgrammeStep

# The form each programme step asks for.
PROGRAMME_STEP_FORMS: dict[str, type[Any]] = {
    "propose": ProposeForm,
    "agree": AgreeForm,
    "activate": ConfirmForm,
    "close": CloseForm,
}

# The form each activity step asks for, by the step's name in the page's address (the outcome's page
# reports the activity).
ACTIVITY_STEP_FORMS: dict[str, tuple[str, type[Any]]] = {
    "confirm": ("confirm", ConfirmForm),
    "hold": ("hold", ConfirmForm),
    "cancel": ("cancel", CancelActivityForm),
    "outcome": ("report", OutcomeForm),
}


def _step_page(
    request: AuthenticatedHttpRequest,
    *,
    form: Any,
    transition: Transition,
    take: Callable[[dict[str, Any]], object],
    done_url: str,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The step's form; once valid, `take` runs the service with its data and the page leads to
    `done_url` with the row's confirmation, or shows what the service refused."""
    done = request.method == "POST" and form.is_valid()
    if done and apply_service(form, lambda: take(form.cleaned_data)) is not None:
        messages.success(request, str(transition.done))
        return redirect(done_url)
    return form_page(request, template, {"form": form, "title": transition.label, **context()})


@require_http_methods(["GET", "POST"])
def programme_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Move the programme on: propose (creating its inclusion requests), agree, start, close."""
    programme = page_programme(request, pk)

    def context() -> dict[str, Any]:
        activities = list(programme.activities.select_related("catalogue_item").exclude(status="cancelled"))
        needing = [
            a for a in activities if a.catalogue_item is None or a.catalogue_item.needs_council_decision
        ]
        return {
            "programme": programme,
            "step": step,
            "needing_requests": needing if step == "propose" else [],
            "activity_count": len(activities),
            **page_marking(programme),
        }

    return _step_page(
        request,
        form=PROGRAMME_STEP_FORMS[step](posted(request)),
        transition=PROGRAMME_MACHINE.by_action(step),
        take=lambda data: workflow_services.programme_transition(
            programme=programme, step=ProgrammeStep(actor=request.user, action=step, **data)
        ),
        done_url=reverse("programmes:detail", args=[programme.pk]),
        template="workprogrammes/builder/step.html",
        context=context,
    )


@require_safe
@permission_required("portal.browse", raise_exception=True)
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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


@require_http_methods(["GET", "POST"])
def activity_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    """Run an activity: confirm it, record it as held, cancel it with a reason, or record its outcome."""
    activity = page_activity(request, pk)
    action, form_class = ACTIVITY_STEP_FORMS[step]
    return _step_page(
        request,
        form=form_class(posted(request)),
        transition=ACTIVITY_MACHINE.by_action(action),
        take=lambda data: activity_services.activity_transition(
            activity=activity, step=ActivityStep(actor=request.user, action=action, **data)
        ),
        done_url=reverse("programmes:activity_detail", args=[activity.pk]),
        template="workprogrammes/builder/activity_step.html",
        context=lambda: {
            "programme": activity.programme,
            "activity": activity,
            "step": step,
            **page_marking(activity.programme, activity),
        },
    )
