"""Notification pages: the list with filters and marking read, the bell, preferences, delegation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import Delegation
from portal.accounts.selectors import delegations_of
from portal.accounts.services import delegation_create, delegation_end
from portal.core.pagination import paginate

from . import selectors, services
from .forms import DelegationForm, NotificationFilterForm, NotificationPreferencesForm
from .registry import ROUTES


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's notifications, filtered by read state and kind, each linking to its object."""
    user = request.user
    form = NotificationFilterForm(request.GET or None)
    rows = selectors.notifications_for(user=user, unread=form.selected_unread, kind=form.selected_kind)
    page = paginate(request, rows, per_page=50)
    page["page_obj"].object_list = list(page["page_obj"].object_list)
    for notification in page["page_obj"].object_list:
        route = ROUTES.get(notification.kind)
        notification.kind_label = route.label if route else notification.kind
    context = {"form": form, "unread_total": selectors.notification_unread_count(user=user), **page}
    return render(request, "notifications/list.html", context)


@require_GET
def notification_bell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bell alone, for the header to refresh its count."""
    return render(request, "notifications/bell.html")


@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read."""
    services.notification_mark_read(user=request.user, notification_ids=[pk])
    return _back(request)


@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark all of the user's notifications read."""
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return _back(request)


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per kind of notification: e-mail immediately, in a daily digest, or not at all."""
    user = request.user
    form = NotificationPreferencesForm(
        request.POST or None, preferences=selectors.notification_preferences(user=user)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=user, modes=form.modes())
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
def delegation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Name a delegate for a date range, and see or end the delegations given and received."""
    user = request.user
    form = DelegationForm(request.POST or None, principal=user)
    if request.method == "POST" and form.is_valid():
        try:
            delegation_create(principal=user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your delegate is named."))
            return redirect("notifications:delegation")
    rows = list(delegations_of(user=user))
    context = {
        "form": form,
        "given": [row for row in rows if row.principal_id == user.pk],
        "received": [row for row in rows if row.delegate_id == user.pk],
        "today": timezone.localdate(),
    }
    return render(request, "notifications/delegation.html", context, status=400 if form.errors else 200)


@require_POST
def delegation_end_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """End one of the user's delegations now (given or received)."""
    user = request.user
    row = get_object_or_404(
        Delegation.objects.filter(principal=user) | Delegation.objects.filter(delegate=user), pk=pk
    )
    delegation_end(delegation=row, by=user)
    messages.success(request, _("The delegation has ended."))
    return redirect("notifications:delegation")
