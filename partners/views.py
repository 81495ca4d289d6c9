"""Pages for browsing partners: the directory and the profile."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.core.page_cache import cache_page_until_change
from portal.core.pagination import paginate

from . import record_selectors, selectors
from .models import Partner

# The latest changes shown on the profile; the history page has them all.
PROFILE_HISTORY_LIMIT = 10


@require_safe
@permission_required("portal.browse", raise_exception=True)
@cache_page_until_change
def partner_directory(request: HttpRequest) -> HttpResponse:
    """The partner directory: search by name in English or French, filter, sort and page through partners."""
    filters = {
        "q": request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH],
        "region": request.GET.get("region", ""),
        "engagement_level": request.GET.get("engagement_level", ""),
        "area": request.GET.get("area", ""),
    }
    sort = request.GET.get("sort", selectors.DIRECTORY_DEFAULT_SORT)
    partners = selectors.partner_directory(**filters, sort=sort)
    context = {
        "filters": filters,
        "is_filtered": any(filters.values()),
        "options": selectors.directory_filter_options(),
        "default_sort": selectors.DIRECTORY_DEFAULT_SORT,
        **paginate(request, partners, per_page=selectors.DIRECTORY_PAGE_SIZE),
    }
    return render(request, "partners/directory.html", context)


@require_safe
@permission_required("portal.browse", raise_exception=True)
@cache_page_until_change
def partner_profile(request: HttpRequest, iso_code: str) -> HttpResponse:
    """A partner's profile: key facts, areas, milestones, dialogue, liaison, contributions, programmes."""
    try:
        profile = selectors.partner_profile(iso_code=iso_code, user=request.user)
    except Partner.DoesNotExist:
        raise Http404(_("There is no partner with this code.")) from None
    context = {
        "profile": profile,
        "partner": profile.partner,
        "can_edit_record": request.user.has_perm("partners.edit_record", profile.partner),
        "history": record_selectors.partner_history(partner=profile.partner, limit=PROFILE_HISTORY_LIMIT),
    }
    return render(request, "partners/profile.html", context)
