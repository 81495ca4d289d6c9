"""Starting a partner's programme for a year: empty, or copied from the year before."""

from __future__ import annotations

import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners.models import Partner
from portal.accounts.models import User
from portal.core.models import Marking

from ..catalogue.selectors import catalogue_item_is_offered
from .models import (
    ProgrammeActivity,
    WorkProgramme,
    WorkProgrammeKind,
)
from .services import AS, PS, _check_marking, _text, _timeline, programme_permission_check


def _new_programme(
    *,
    actor: User,
    partner: Partner,
    year: int,
    kind: str,
    objectives_en: str,
    objectives_fr: str,
    marking: int,
    releasability: str,
    copied_from: WorkProgramme | None = None,
) -> WorkProgramme:
    programme_permission_check(actor=actor, target=partner)
    _check_marking(actor=actor, marking=marking)
    programme = WorkProgramme(
        partner=partner,
        year=year,
        kind=kind,
        objectives_en=objectives_en.strip(),
        objectives_fr=objectives_fr.strip(),
        marking=marking,
        releasability=releasability.strip(),
        copied_from=copied_from,
        created_by=actor,
    )
    if WorkProgramme.objects.filter(partner=partner, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(partner)s already has a programme for %(year)s.")
                % {"partner": partner, "year": year}
            }
        )
    programme.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:  # another officer started the same year a moment ago
        raise ValidationError(
            {
                "year": _("%(partner)s already has a programme for %(year)s.")
                % {"partner": partner, "year": year}
            }
        ) from None
    return programme


@transaction.atomic
def programme_create(
    *,
    actor: User,
    partner: Partner,
    year: int,
    kind: str = WorkProgrammeKind.ITCP,
    objectives_en: str = "",
    objectives_fr: str = "",
    marking: int = Marking.NATO_UNCLASSIFIED,
    releasability: str = "",
) -> WorkProgramme:
    """Start an empty draft programme for a partner and year."""
    with pghistory.context(user=actor.pk):
        programme = _new_programme(
            actor=actor,
            partner=partner,
            year=year,
            kind=kind,
            objectives_en=objectives_en,
            objectives_fr=objectives_fr,
            marking=marking,
            releasability=releasability,
        )
        _timeline(
            programme=programme, actor=actor, from_status=PS.DRAFT, to_status=PS.DRAFT, reason=_("Started.")
        )
    return programme


def shift_one_year(day: datetime.date) -> datetime.date:
    """The same day a year later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def programme_copy_from_previous(*, actor: User, partner: Partner, year: int) -> WorkProgramme:
    """Start a draft programme from the partner's previous-year programme: its objectives and its activities,
    dates shifted by one year and statuses reset to planned.

    Cancelled activities, activities whose catalogue item is no longer offered, and activities marked
    above the actor's clearance are not copied; the timeline says which and why.
    """
    programme_permission_check(actor=actor, target=partner)
    source = (
        WorkProgramme.objects.filter(partner=partner, year=year - 1, marking__lte=actor.clearance)
        .prefetch_related("activities__catalogue_item")
        .first()
    )
    if source is None:
        raise ValidationError(
            {
                "year": _("%(partner)s has no programme for %(year)s to copy.")
                % {"partner": partner, "year": year - 1}
            }
        )
    with pghistory.context(user=actor.pk):
        programme = _new_programme(
            actor=actor,
            partner=partner,
            year=year,
            kind=source.kind,
            objectives_en=_text(source, "objectives_en"),
            objectives_fr=_text(source, "objectives_fr"),
            marking=source.marking,
            releasability=source.releasability,
            copied_from=source,
        )
        copies, not_offered, not_visible = [], [], 0
        for activity in source.activities.all():
            if activity.status == AS.CANCELLED:
                continue
            if activity.marking > actor.clearance:
                not_visible += 1
                continue
            if not catalogue_item_is_offered(activity.catalogue_item):
                not_offered.append(activity.title)
                continue
            copies.append(
                ProgrammeActivity(
                    programme=programme,
                    catalogue_item=activity.catalogue_item,
                    title_en=_text(activity, "title_en"),
                    title_fr=_text(activity, "title_fr"),
                    objective=activity.objective,
                    start_date=shift_one_year(activity.start_date),
                    end_date=shift_one_year(activity.end_date),
                    place=activity.place,
                    lead=activity.lead,
                    marking=activity.marking,
                    releasability=activity.releasability,
                    status=AS.PLANNED,
                )
            )
        for copy in copies:
            copy.save()
        note = [
            _("Copied from %(year)s: %(count)s activities.") % {"year": source.year, "count": len(copies)}
        ]
        if not_offered:
            note.append(
                _("Not copied, no longer in the catalogue: %(titles)s.") % {"titles": "; ".join(not_offered)}
            )
        if not_visible:
            note.append(_("Not copied, marked above your clearance: %(count)s.") % {"count": not_visible})
        _timeline(
            programme=programme, actor=actor, from_status=PS.DRAFT, to_status=PS.DRAFT, reason=" ".join(note)
        )
    return programme
