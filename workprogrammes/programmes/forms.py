"""Forms of the programme builder and lifecycle (the services in programmes/ do the writing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.forms import PortalFormMixin
from partners.models import Partner
from portal.accounts.models import User
from portal.core.dates import DayMonthYearField
from portal.core.models import Marking

from ..requests.models import CASE_TEXT_MAX_LENGTH
from .models import Objective, ProgrammeActivity, WorkProgrammeKind


def marking_choices(user: User) -> list[tuple[int, Any]]:
    """The markings a user may put on a record: up to their own clearance."""
    return [(value, label) for value, label in Marking.choices if value <= user.clearance]


REASON_HELP = _("An agreed programme changes only by amendment: say why (kept with the version before).")


class ProgrammeStartForm(PortalFormMixin, forms.Form):
    EMPTY, COPY = "empty", "copy"

    partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (EMPTY, _("An empty programme")),
            (COPY, _("Last year's programme, dates moved one year on")),
        ],
        widget=forms.RadioSelect,
        initial=EMPTY,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=WorkProgrammeKind.choices,
        initial=WorkProgrammeKind.ITCP,
        help_text=_("For a copy, last year's kind is kept."),
    )
    objectives_en = forms.CharField(label=_("Objectives (English)"), widget=forms.Textarea, required=False)
    objectives_fr = forms.CharField(label=_("Objectives (French)"), widget=forms.Textarea, required=False)
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int, initial=Marking.NATO_UNCLASSIFIED)
    releasability = forms.CharField(
        label=_("Releasability"),
        max_length=200,
        required=False,
        help_text=_('For example "Releasable to Japan".'),
    )

    def __init__(self, *args: Any, user: User, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field: Any = self.fields["partner"]
        partner_field.queryset = partners
        marking_field: Any = self.fields["marking"]
        marking_field.choices = marking_choices(user)
        self.fields["year"].initial = timezone.localdate().year + 1


class ProgrammeEditForm(PortalFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkProgrammeKind.choices)
    objectives_en = forms.CharField(label=_("Objectives (English)"), widget=forms.Textarea, required=False)
    objectives_fr = forms.CharField(label=_("Objectives (French)"), widget=forms.Textarea, required=False)
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int)
    releasability = forms.CharField(label=_("Releasability"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea, help_text=REASON_HELP
    )

    def __init__(self, *args: Any, user: User, amending: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        marking_field: Any = self.fields["marking"]
        marking_field.choices = marking_choices(user)
        if not amending:
            del self.fields["reason"]


class ActivityForm(PortalFormMixin, forms.Form):
    """An activity of the programme, picked from the catalogue."""

    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=250,
        required=False,
        help_text=_("Empty: the catalogue's title."),
    )
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250, required=False)
    objective = forms.ChoiceField(
        label=_("Objective it serves"),
        choices=Objective.choices,
        widget=forms.RadioSelect,
        help_text=_("The objectives agreed at the 2008 Bucharest Summit."),
    )
    start_date = DayMonthYearField(label=_("Starts"))
    end_date = DayMonthYearField(label=_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    lead = forms.CharField(label=_("Lead"), max_length=120, required=False, help_text=_("Who runs it."))
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int)
    releasability = forms.CharField(label=_("Releasability"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea, help_text=REASON_HELP
    )
    justification = forms.CharField(
        label=_("Justification for the inclusion request"),
        widget=forms.Textarea,
        max_length=CASE_TEXT_MAX_LENGTH,
        required=False,
        help_text=_("This activity needs a council decision: an inclusion request is created with it."),
    )
    mutual_benefit = forms.CharField(
        label=_("Mutual benefit and reciprocity"),
        widget=forms.Textarea,
        required=False,
        max_length=CASE_TEXT_MAX_LENGTH,
    )

    def __init__(self, *args: Any, user: User, amending: bool, needs_request: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        marking_field: Any = self.fields["marking"]
        marking_field.choices = marking_choices(user)
        if not amending:
            del self.fields["reason"]
        if not (amending and needs_request):
            del self.fields["justification"], self.fields["mutual_benefit"]

    @classmethod
    def initial_for(cls, activity: ProgrammeActivity) -> dict[str, Any]:
        return {
            "title_en": getattr(activity, "title_en", ""),
            "title_fr": getattr(activity, "title_fr", ""),
            "objective": activity.objective,
            "start_date": activity.start_date,
            "end_date": activity.end_date,
            "place": activity.place,
            "lead": activity.lead,
            "marking": activity.marking,
            "releasability": activity.releasability,
        }


class ProposeForm(PortalFormMixin, forms.Form):
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea,
        max_length=CASE_TEXT_MAX_LENGTH,
        required=False,
        help_text=_("Why the partner should take part; written into each inclusion request."),
    )
    mutual_benefit = forms.CharField(
        label=_("Statement of mutual benefit and reciprocity"),
        widget=forms.Textarea,
        required=False,
        max_length=CASE_TEXT_MAX_LENGTH,
    )


class AgreeForm(PortalFormMixin, forms.Form):
    agreed_on = DayMonthYearField(label=_("Agreed with the partner on"))
    agreement_reference = forms.CharField(label=_("Agreement reference"), max_length=80)


class CloseForm(PortalFormMixin, forms.Form):
    reason = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class ConfirmForm(PortalFormMixin, forms.Form):
    """A step that needs nothing but the click (activate; confirm or mark an activity as held)."""


class CancelActivityForm(PortalFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why is the activity cancelled?"), widget=forms.Textarea)


class OutcomeForm(PortalFormMixin, forms.Form):
    participants = forms.IntegerField(label=_("Participants"), min_value=0)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 (poor) to 5 (excellent): how well the activity met its objective."),
    )
    lessons = forms.CharField(label=_("Lessons learned"), widget=forms.Textarea, required=False)
    follow_up = forms.CharField(label=_("Follow-up"), widget=forms.Textarea, required=False)
