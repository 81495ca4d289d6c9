"""Printable PDF reports with WeasyPrint: a partner's profile and an annual programme, with charts.

Charts are drawn server-side as SVG (portal/core/charts.py). WeasyPrint fetches nothing: the style sheet
and the charts are inline, and the URL fetcher accepts only data: URLs, so a record's text can never make
the server reach out to the network or read a local file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from portal.accounts.models import User
from portal.core.charts import ChartSpec, Series
from portal.core.models import Marking
from profiles.selectors import PartnerProfile, partner_profile
from workprogrammes.programmes.models import (
    Objective,
    ProgrammeActivity,
    ProgrammeActivityStatus,
    WorkProgramme,
)
from workprogrammes.programmes.selectors import ProgrammeDetail, programme_detail


@dataclass
class PdfDocument:
    content: bytes
    filename: str
    marking: int
    row_count: int


# Banner colours of the markings, as on the pages (static/css/portal.css).
MARKING_COLOURS = {
    Marking.PUBLIC: "#565c65",
    Marking.NATO_UNCLASSIFIED: "#00703c",
    Marking.NATO_RESTRICTED: "#0050a0",
    Marking.NATO_CONFIDENTIAL: "#b50909",
    Marking.NATO_SECRET: "#b50909",
}


def css_string(text: str) -> str:
    """Text made safe inside a double-quoted CSS string in a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return escaped.replace("<", "\\3C ").replace(">", "\\3E ")


def render_pdf(*, template: str, context: dict[str, Any], marking: int, releasability: str = "") -> bytes:
    """A PDF from a template under templates/reports/pdf/, its marking in every page's header and footer."""
    label = str(Marking(marking).label)
    banner = f"{label} – {releasability}" if releasability else label
    context = {
        **context,
        "marking_css": css_string(banner),
        "marking_colour": MARKING_COLOURS[Marking(marking)],
    }
    html = render_to_string(template, context)
    # Imported here: loading WeasyPrint parses its style sheets and fonts, which most processes never need.
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return bytes(HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf())


def _marking(*values: int) -> int:
    return max([int(Marking.NATO_UNCLASSIFIED), *values])


def _activities(programme: WorkProgramme) -> list[ProgrammeActivity]:
    """The activities the profile selector loaded for the user (those their clearance covers)."""
    return list(getattr(programme, "visible_activities", []))


def _contributions_chart(profile: PartnerProfile) -> ChartSpec:
    """Peak personnel per year, one line per operation."""
    years: set[int] = set()
    per_operation: dict[str, dict[int, int]] = {}
    for series in profile.contributions_by_operation:
        name = str(series.operation.acronym)
        for contribution in series.contributions:
            if contribution.personnel is None:
                continue
            year = contribution.period_start.year
            years.add(year)
            current = per_operation.setdefault(name, {})
            current[year] = max(current.get(year, 0), contribution.personnel)
    labels = sorted(years)
    return ChartSpec(
        key="partner-contributions",
        kind="line" if len(labels) > 1 else "bar",
        title=_("Peak personnel per year, by operation"),
        category_label=_("Year"),
        labels=[str(year) for year in labels],
        series=[Series(label=name, values=[v.get(y) for y in labels]) for name, v in per_operation.items()],
        transpose_table=True,
    )


def _programme_activity_chart(profile: PartnerProfile) -> ChartSpec:
    """Activities per programme year and objective."""
    programmes = sorted(profile.programmes, key=lambda p: p.year)
    return ChartSpec(
        key="partner-activities",
        kind="bar",
        title=_("Programme activities per year, by objective"),
        category_label=_("Year"),
        labels=[str(p.year) for p in programmes],
        series=[
            Series(
                label=label,
                values=[
                    len(
                        [
                            a
                            for a in _activities(p)
                            if a.objective == value and a.status != ProgrammeActivityStatus.CANCELLED
                        ]
                    )
                    for p in programmes
                ],
            )
            for value, label in Objective.choices
        ],
    )


def partner_profile_pdf(*, user: User, partner: Partner) -> PdfDocument:
    """The partner's profile as a printable report: facts, milestones, contributions, programmes, charts."""
    profile = partner_profile(iso_code=partner.iso_code, user=user, with_all_activities=True)
    marks = [p.marking for p in profile.programmes] + [
        a.marking for p in profile.programmes for a in _activities(p)
    ]
    marking = _marking(*marks)
    contribution_count = sum(len(s.contributions) for s in profile.contributions_by_operation)
    activity_count = sum(len(_activities(p)) for p in profile.programmes)
    charts = [_contributions_chart(profile), _programme_activity_chart(profile)]
    context = {
        "profile": profile,
        "partner": profile.partner,
        "charts": [chart for chart in charts if not chart.is_empty],
        "marking": marking,
        "marking_label": Marking(marking).label,
        "generated_at": timezone.localtime(),
        "generated_by": user,
        "title": _("Partner profile: %(partner)s") % {"partner": profile.partner.name},
    }
    content = render_pdf(template="reports/pdf/partner_profile.html", context=context, marking=marking)
    return PdfDocument(
        content=content,
        filename=f"partner-profile-{partner.iso_code.lower()}-{timezone.localdate():%Y%m%d}.pdf",
        marking=marking,
        row_count=contribution_count + activity_count,
    )


def programme_pdf(*, user: User, pk: int) -> PdfDocument:
    """An annual programme as a printable report: summary, coverage of the objectives, activities, charts.

    Raises WorkProgramme.DoesNotExist when the user may not see the programme.
    """
    detail: ProgrammeDetail = programme_detail(pk=pk, user=user)
    programme = detail.programme
    by_status = Counter(a.status for a in detail.activities)
    charts = [
        ChartSpec(
            key="programme-coverage",
            kind="bar",
            title=_("Activities per objective"),
            category_label=_("Objective"),
            labels=[row.label for row in detail.coverage],
            series=[Series(label=_("Activities"), values=[row.activity_count for row in detail.coverage])],
        ),
        ChartSpec(
            key="programme-status",
            kind="bar",
            title=_("Activities by status"),
            category_label=_("Status"),
            labels=[str(label) for value, label in ProgrammeActivityStatus.choices],
            series=[
                Series(
                    label=_("Activities"),
                    values=[by_status.get(v, 0) for v in ProgrammeActivityStatus.values],
                )
            ],
            colours=("#1a5e4d",),
        ),
    ]
    marking = _marking(detail.page_marking)
    context = {
        "detail": detail,
        "programme": programme,
        "charts": [chart for chart in charts if not chart.is_empty],
        "marking": marking,
        "marking_label": Marking(marking).label,
        "releasability": programme.releasability,
        "generated_at": timezone.localtime(),
        "generated_by": user,
        "title": _("Annual programme %(year)s: %(partner)s")
        % {"year": programme.year, "partner": programme.partner.name},
    }
    content = render_pdf(
        template="reports/pdf/programme.html",
        context=context,
        marking=marking,
        releasability=programme.releasability,
    )
    return PdfDocument(
        content=content,
        filename=f"programme-{programme.partner.iso_code.lower()}-{programme.year}.pdf",
        marking=marking,
        row_count=len(detail.activities),
    )
