"""The rules of a request's content, for the services that save a draft (services.py) and for the form
that shows their errors beside its fields (forms.py): the activity it names, with its dates, and the case
made for it. Each check raises one ValidationError naming every field in error."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from portal.accounts.models import User

from ..catalogue.models import CatalogueItem
from ..programmes.models import ProgrammeActivity
from .models import CASE_TEXT_MAX_LENGTH, CASE_TEXT_MIN_LENGTH, REQUEST_LONGEST, request_start_window


def activity_choice_check(
    *,
    programme_activity: ProgrammeActivity | None,
    catalogue_item: CatalogueItem | None,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> None:
    """The activity a request names: a programme activity, or a catalogue item still offered with its
    dates (plausible ones, in order). The form runs it too, to show these errors beside the others."""
    errors = _activity_errors(
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        start_date=start_date,
        end_date=end_date,
    )
    if errors:
        raise ValidationError(errors)


def _activity_errors(
    *,
    programme_activity: ProgrammeActivity | None,
    catalogue_item: CatalogueItem | None,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if programme_activity is not None and catalogue_item is not None:
        errors["catalogue_item"] = _("Choose either a programme activity or a catalogue item, not both.")
    elif programme_activity is None and catalogue_item is None:
        errors["catalogue_item"] = _("Choose a catalogue item or a programme activity.")
    if catalogue_item is not None:
        if start_date is None:
            errors["start_date"] = _("Enter the date the activity starts.")
        if end_date is None:
            errors["end_date"] = _("Enter the date the activity ends.")
        if start_date and end_date and end_date < start_date:
            errors["end_date"] = _("The end date must be on or after the start date.")
        elif start_date and end_date and end_date - start_date > REQUEST_LONGEST:
            errors["end_date"] = _("An activity lasts at most two years: check the end date.")
        earliest, latest = request_start_window(timezone.localdate())
        if start_date and not earliest <= start_date <= latest:
            errors["start_date"] = _(
                "The activity must start between %(earliest)s and %(latest)s (a year ago to five years "
                "ahead): check the year."
            ) % {
                "earliest": formats.date_format(earliest, "DATE_FORMAT"),
                "latest": formats.date_format(latest, "DATE_FORMAT"),
            }
        if catalogue_item.deleted_at is not None or catalogue_item.deactivated_on is not None:
            errors["catalogue_item"] = _("This catalogue item is no longer offered.")
    return errors


def validate_content(
    *,
    principal: User,
    partner: Partner,
    programme_activity: ProgrammeActivity | None,
    catalogue_item: CatalogueItem | None,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    justification: str,
    mutual_benefit: str,
    marking: int,
) -> None:
    """Everything a draft's content must be before it is saved: its activity, its case (the
    justification and the mutual benefit, neither empty, short nor long) and a marking within the
    principal's clearance. One ValidationError names every field in error."""
    errors = _activity_errors(
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        start_date=start_date,
        end_date=end_date,
    )
    if programme_activity is not None and programme_activity.programme.partner_id != partner.pk:
        errors["programme_activity"] = _("This activity belongs to another partner's programme.")
    for name, text, missing in (
        ("justification", justification, _("Explain why the partner should take part.")),
        ("mutual_benefit", mutual_benefit, _("State the mutual benefit and reciprocity.")),
    ):
        length = len(text.strip())
        if not length:
            errors[name] = missing
        elif length < CASE_TEXT_MIN_LENGTH:
            errors[name] = _(
                "Write at least %(count)s characters: a sentence or two that makes the case."
            ) % {"count": CASE_TEXT_MIN_LENGTH}
        elif length > CASE_TEXT_MAX_LENGTH:
            errors[name] = _("Keep this to %(count)s characters at most (it has %(length)s).") % {
                "count": CASE_TEXT_MAX_LENGTH,
                "length": length,
            }
    if marking > principal.clearance:
        errors["marking"] = _("You cannot mark a request above your own clearance.")
    if errors:
        raise ValidationError(errors)
