"""Pages for browsing the annual work programmes (ITCP, IPCP, ITPP) and their activities."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.pagination import paginate

from . import builder_selectors, selectors
from .models import WorkProgramme, WorkProgrammeStatus

PROGRAMMES_PAGE_SIZE = 25


def _year(value: str) -> int | None:
    """A year typed or chosen in the filter; anything that is not a plausible year is no filter."""
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


@require_safe
@permission_required("portal.browse", raise_exception=True)
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Work programmes, newest first, filtered by partner, year and status."""
    partner = request.GET.get("partner", "")[:2]
    year = _year(request.GET.get("year", ""))
    status = request.GET.get("status", "")
    status = status if status in WorkProgrammeStatus.values else ""
    programmes = selectors.programme_list(user=request.user, partner=partner, year=year, status=status)
    context = {
        "filters": {"partner": partner, "year": year, "status": status},
        "is_filtered": bool(partner or status or year is not None),
        "options": selectors.programme_filter_options(user=request.user),
        **paginate(request, programmes, per_page=PROGRAMMES_PAGE_SIZE),
    }
    return render(request, "workprogrammes/programme_list.html", context)


@require_safe
@permission_required("portal.browse", raise_exception=True)
def programme_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One work programme: its objectives, activities and coverage of the Bucharest objectives."""
    try:
        detail = selectors.programme_detail(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist:
        raise Http404(_("There is no programme at this address.")) from None
    context = {
        "detail": detail,
        "programme": detail.programme,
        "page_marking": detail.page_marking,
        "page_releasability": detail.programme.releasability,
        # Coverage of the partner's areas, timeline, amendments, and what this user may do.
        **builder_selectors.programme_page_extras(
            programme=detail.programme, activities=detail.activities, user=request.user
        ),
        "outcomes": selectors.activity_outcome_rows(user=request.user, programme=detail.programme),
        "outcomes_query": urlencode(
            {
                "partner": detail.programme.partner.iso_code,
                "year_from": str(detail.programme.year),
                "year_to": str(detail.programme.year),
            }
        ),
    }
    return render(request, "workprogrammes/programme_detail.html", context)
