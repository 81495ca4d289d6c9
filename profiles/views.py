"""Pages for browsing partners: the directory, the profile and its outcomes section."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from operations.charts import contribution_charts
from operations.selectors import contribution_timeline
from partners import selectors
from partners.models import Partner
from partners.rows import directory_row_values, directory_rows, filter_options_markup
from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.pagination import paginate
from workprogrammes.programmes.selectors import partner_recent_outcomes

from . import rows
from .selectors import PROFILE_PERIODS_SHOWN, PartnerProfile
from .selectors import partner_profile as read_partner_profile


@require_safe
@permission_required("portal.browse", raise_exception=True)
def partner_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partner directory: search by name in English or French, filter, sort and page through partners."""
    filters = {
        "q": request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH],
        "region": request.GET.get("region", ""),
        "engagement_level": request.GET.get("engagement_level", ""),
        "area": request.GET.get("area", ""),
    }
    sort = request.GET.get("sort", selectors.DIRECTORY_DEFAULT_SORT)
    choices = selectors.directory_choices()
    # Every matching partner in one query, counted and paged here: a directory lists some sixty partners,
    # fewer rows than a count and a page cost in queries of their own.
    partners = list(directory_row_values(selectors.partner_directory(**filters, sort=sort)))
    page = paginate(request, partners, per_page=selectors.DIRECTORY_PAGE_SIZE)
    context = {
        "filters": filters,
        "is_filtered": any(filters.values()),
        "options": filter_options_markup(choices.regions, choices.areas, filters),
        "default_sort": selectors.DIRECTORY_DEFAULT_SORT,
        "rows": directory_rows(page["page_obj"].object_list, choices.areas),
        **page,
    }
    return render(request, "partners/directory.html", context)


@require_safe
@permission_required("portal.browse", raise_exception=True)
def partner_profile(request: AuthenticatedHttpRequest, iso_code: str) -> HttpResponse:
    """A partner's profile: key facts, areas, milestones, dialogue, liaison, contributions, programmes."""
    try:
        profile: PartnerProfile = read_partner_profile(
            iso_code=iso_code, user=request.user, latest_periods=PROFILE_PERIODS_SHOWN
        )
    except Partner.DoesNotExist:
        raise Http404(_("There is no partner with this code.")) from None
    can_edit_record = request.user.has_perm("partners.edit_record", profile.partner)
    edit_iso_code = profile.partner.iso_code if can_edit_record else ""
    context = {
        "profile": profile,
        "partner": profile.partner,
        "can_edit_record": can_edit_record,
        "timeline_items": rows.timeline_items(profile.timeline, edit_iso_code=edit_iso_code),
        "dialogue_rows": rows.dialogue_rows(profile.dialogue_meetings, edit_iso_code=edit_iso_code),
        "contribution_sections": rows.contribution_sections(
            profile.contributions_by_operation, edit_iso_code=edit_iso_code
        ),
        "contribution_charts": contribution_charts(
            contribution_timeline(partner=profile.partner), key="partner-contributions", by=_("operation")
        ),
    }
    return render(request, "partners/profile.html", context)


@require_safe
@permission_required("portal.browse", raise_exception=True)
def partner_outcomes(request: AuthenticatedHttpRequest, iso_code: str) -> HttpResponse:
    """The outcomes of a partner's held activities in its latest years: the profile's section, which the
    profile loads when it comes into view (htmx asks for the section alone), or a page of its own."""
    partner = selectors.current_partners().filter(iso_code=iso_code.upper()).first()
    if partner is None:
        raise Http404(_("There is no partner with this code."))
    context = {
        "partner": partner,
        "outcomes": partner_recent_outcomes(user=request.user, partner=partner),
        "outcomes_query": urlencode({"partner": partner.iso_code}),
    }
    template = "partners/_outcomes.html" if request.headers.get("HX-Request") else "partners/outcomes.html"
    return render(request, template, context)
