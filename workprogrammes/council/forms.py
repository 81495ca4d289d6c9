"""Forms of the Council's pages: meetings, agendas, decision sheets, silence, and a request's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.dates import DayMonthYearField

from ..requests.forms import TEXT_MAX, UswdsFormMixin
from ..requests.models import (
    InclusionRequest,
)
from .models import (
    OUTSIDE_MEETING_REASON_MIN_LENGTH,
    SILENCE_LONGEST,
    AgendaItem,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
    meeting_date_window,
)


class DecisionForm(UswdsFormMixin, forms.Form):
    """The Council's decision on one request."""

    reference = forms.CharField(
        label=_("Decision sheet reference"),
        max_length=60,
        help_text=_("For example PO(2027)0031."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting (optional)"),
        queryset=CouncilMeeting.objects.none(),
        required=False,
        empty_label=_("Not at a meeting (written procedure)"),
    )
    conditions = forms.CharField(
        label=_("Conditions (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            _(
                "Required when no meeting is chosen: say how and why the decision was taken outside a "
                "Council meeting (at least {count} characters). Otherwise an optional note for the timeline."
            ),
            count=OUTSIDE_MEETING_REASON_MIN_LENGTH,
        ),
    )

    def __init__(self, *args: Any, request: InclusionRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["meeting"].queryset = CouncilMeeting.objects.filter(
            agenda_items__request=request, agenda_items__status__in=("scheduled", "under_silence")
        )
        self.style_fields()


class RescheduleForm(UswdsFormMixin, forms.Form):
    """A later meeting for a deferred request."""

    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=CouncilMeeting.objects.none(), empty_label=_("Choose a meeting")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["meeting"].queryset = CouncilMeeting.objects.filter(status="planned").order_by("date")
        self.style_fields()


class MeetingForm(UswdsFormMixin, forms.Form):
    date = DayMonthYearField(label=_("Date"))

    reference = forms.CharField(
        label=_("Reference"), max_length=40, help_text=_("For example C-M(2027)0042.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CouncilMeetingKind.choices)
    notes = forms.CharField(
        label=_("Notes (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._state_date_window()
        self.style_fields()

    def _state_date_window(self) -> None:
        """The plausible window, stated in the hint and enforced by services.council_meeting_create."""
        fields: dict[str, Any] = self.fields
        earliest, latest = meeting_date_window(timezone.localdate())
        fields["date"].help_text = _(
            "Between %(earliest)s and %(latest)s (a year ago to two years ahead)."
        ) % {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "latest": formats.date_format(latest, "DATE_FORMAT"),
        }
        fields["date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())


class AgendaForm(UswdsFormMixin, forms.Form):
    requests = forms.ModelMultipleChoiceField(
        label=_("Requests awaiting the Council"),
        queryset=InclusionRequest.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, queryset: QuerySet[InclusionRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["requests"].queryset = queryset
        self.style_fields()


OUTCOME_CHOICES = CouncilDecisionOutcome.choices


class DecisionSheetForm(UswdsFormMixin, forms.Form):
    """One outcome for every scheduled item, with per-item exceptions and conditions."""

    default_outcome = forms.ChoiceField(
        label=_("Outcome for every item"), choices=OUTCOME_CHOICES, initial=CouncilDecisionOutcome.APPROVED
    )
    reference = forms.CharField(
        label=_("Decision sheet reference"), max_length=60, help_text=_("For example PO(2027)0031.")
    )
    conditions = forms.CharField(
        label=_("Conditions for every item (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=_("Exception for item %(position)s") % {"position": item.position},
                choices=[("", _("Same as every item")), *OUTCOME_CHOICES],
                required=False,
            )
            self.fields[f"conditions_{item.pk}"] = forms.CharField(
                label=_("Conditions for item %(position)s") % {"position": item.position},
                max_length=TEXT_MAX,
                required=False,
            )
        self.style_fields()

    def rows(self) -> list[tuple[AgendaItem, Any, Any]]:
        return [(item, self[f"outcome_{item.pk}"], self[f"conditions_{item.pk}"]) for item in self.items]

    def exceptions(self) -> dict[int, str]:
        return {
            item.pk: self.cleaned_data[f"outcome_{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"outcome_{item.pk}")
        }

    def item_conditions(self) -> dict[int, str]:
        return {
            item.pk: self.cleaned_data[f"conditions_{item.pk}"]
            for item in self.items
            if (self.cleaned_data.get(f"conditions_{item.pk}") or "").strip()
        }


class SilenceStartForm(UswdsFormMixin, forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Items to put under silence"),
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("Silence until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["items"].queryset = items
        # The window enforced by silence_services.silence_start.
        fields["deadline"].help_text = _(
            "Unless a delegation breaks silence before then, the items are approved at this time: at most "
            "%(days)s days from now."
        ) % {"days": SILENCE_LONGEST.days}
        fields["items"].label_from_instance = lambda item: (
            f"{item.position}. {item.request.reference} – {item.request.partner}: "
            f"{item.request.activity_title}"
        )
        self.style_fields()


class SilenceBreakForm(UswdsFormMixin, forms.Form):
    delegation = forms.CharField(
        label=_("Delegation that broke silence"),
        max_length=120,
        help_text=_("For example: Delegation of Norway."),
    )
    reason = forms.CharField(label=_("Why"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
