"""Forms of the inclusion-request and Council pages (USWDS markup, errors kept next to each field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from portal.accounts.models import Role, User
from portal.core.dates import DayMonthYearField
from portal.core.forms import RequiredMessagesMixin
from portal.core.i18n import localized_text
from portal.core.models import Marking

from .models import (
    CASE_TEXT_MAX_LENGTH,
    CASE_TEXT_MIN_LENGTH,
    OUTSIDE_MEETING_REASON_MIN_LENGTH,
    SILENCE_LONGEST,
    AgendaItem,
    CatalogueItem,
    CommentVisibility,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
    InclusionRequest,
    ProgrammeActivity,
    meeting_date_window,
    request_start_window,
)
from .services import BULK_ACTIONS, BULK_NEEDS_REASON

TEXT_MAX = 4000


class UswdsFormMixin(RequiredMessagesMixin):
    """Gives every widget its USWDS class, and ties hints and errors to it (aria-describedby)."""

    prefix_id = "id_"

    def style_fields(self) -> None:
        form: Any = self
        for name, field in form.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.Select):
                css = "usa-select"
            elif isinstance(widget, forms.Textarea):
                css = "usa-textarea"
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                css = "usa-file-input"
            else:
                css = "usa-input"
            described = []
            if field.help_text:
                described.append(f"{name}-hint")
            if getattr(field, "max_length", None) and type(widget) in (forms.TextInput, forms.Textarea):
                css += " usa-character-count__field"
                described.append(f"{name}-count")
            if form.is_bound and name in form.errors:
                css += " usa-input--error"
                described.append(f"{name}-error")
                widget.attrs["aria-invalid"] = "true"
            if css:
                widget.attrs["class"] = css.strip()
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)


def _marking_choices(user: User) -> list[tuple[int, str]]:
    return [(value, str(label)) for value, label in Marking.choices if value <= user.clearance]


class InclusionRequestForm(UswdsFormMixin, forms.Form):
    """New request or edit of a draft: the partner, the activity (one of two ways) and the case for it."""

    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        empty_label=_("Choose a partner"),
        help_text=_("Only the partners on your desks are listed."),
    )
    catalogue_item = forms.ModelChoiceField(
        label=_("Catalogue item"),
        queryset=CatalogueItem.objects.none(),
        required=False,
        empty_label=_("None: I chose a programme activity"),
        help_text=_("An activity from the cooperation menu, with the dates and place below."),
    )
    programme_activity: forms.ModelChoiceField[ProgrammeActivity] = forms.ModelChoiceField(
        label=_("Or a programme activity"),
        queryset=ProgrammeActivity.objects.none(),
        required=False,
        empty_label=_("None: I chose a catalogue item"),
        help_text=_("An activity already in the partner's programme; its dates and place are used."),
    )
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=250,
        required=False,
        help_text=_("If empty, the catalogue item's title is used."),
    )
    start_date = DayMonthYearField(
        label=_("Starts"), required=False, help_text=_("Needed with a catalogue item.")
    )
    end_date = DayMonthYearField(label=_("Ends"), required=False, help_text=_("On or after the start date."))
    place = forms.CharField(label=_("Place (optional)"), max_length=120, required=False)
    justification = forms.CharField(
        label=_("Justification"),
        min_length=CASE_TEXT_MIN_LENGTH,
        max_length=CASE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _(
                "Why should the partner take part? What does the activity need from it? "
                "{low} to {high} characters."
            ),
            low=CASE_TEXT_MIN_LENGTH,
            high=f"{CASE_TEXT_MAX_LENGTH:,}".replace(",", "\N{NO-BREAK SPACE}"),
        ),
    )
    mutual_benefit = forms.CharField(
        label=_("Statement of mutual benefit and reciprocity"),
        min_length=CASE_TEXT_MIN_LENGTH,
        max_length=CASE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _(
                "Cooperation must benefit both sides: say what the Alliance and the partner each gain. "
                "{low} to {high} characters."
            ),
            low=CASE_TEXT_MIN_LENGTH,
            high=f"{CASE_TEXT_MAX_LENGTH:,}".replace(",", "\N{NO-BREAK SPACE}"),
        ),
    )
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int, choices=())
    releasability = forms.CharField(
        label=_("Releasability (optional)"),
        max_length=200,
        required=False,
        help_text=_('For example "Releasable to Japan".'),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        partner_ids = user.desk_partner_ids
        fields["partner"].queryset = Partner.objects.filter(pk__in=partner_ids).order_by(
            localized_text("name")
        )
        fields["catalogue_item"].queryset = CatalogueItem.objects.filter(
            deleted_at__isnull=True, deactivated_on__isnull=True, marking__lte=user.clearance
        ).order_by("code")
        fields["programme_activity"].queryset = (
            ProgrammeActivity.objects.filter(
                programme__partner_id__in=partner_ids, marking__lte=user.clearance
            )
            .select_related("programme__partner")
            .order_by("-programme__year", "start_date", "pk")
        )
        fields["programme_activity"].label_from_instance = lambda a: (
            f"{a.programme.partner} {a.programme.year}: {a.title} ({a.start_date:%Y-%m-%d})"
        )
        fields["marking"].choices = _marking_choices(user)
        fields["marking"].initial = Marking.NATO_UNCLASSIFIED
        # The plausible window, stated in the hint and enforced by the service (services._validate_content).
        earliest, latest = request_start_window(timezone.localdate())
        fields["start_date"].help_text = _(
            "Needed with a catalogue item: between %(earliest)s and %(latest)s "
            "(a year ago to five years ahead)."
        ) % {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "latest": formats.date_format(latest, "DATE_FORMAT"),
        }
        fields["start_date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())
        fields["end_date"].help_text = _("On or after the start date, at most two years later.")
        for name in ("justification", "mutual_benefit"):
            fields[name].widget.attrs["minlength"] = CASE_TEXT_MIN_LENGTH
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item, activity = data.get("catalogue_item"), data.get("programme_activity")
        if item and activity:
            self.add_error(
                "programme_activity", _("Choose a catalogue item or a programme activity, not both.")
            )
        elif not item and not activity and "catalogue_item" not in self.errors:
            self.add_error("catalogue_item", _("Choose a catalogue item or a programme activity."))
        if item and not activity:
            if not data.get("start_date") and "start_date" not in self.errors:
                self.add_error("start_date", _("Enter the date the activity starts."))
            if not data.get("end_date") and "end_date" not in self.errors:
                self.add_error("end_date", _("Enter the date the activity ends."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return data

    @classmethod
    def initial_from(cls, request: InclusionRequest) -> dict[str, Any]:
        return {
            "partner": request.partner_id,
            "catalogue_item": request.catalogue_item_id,
            "programme_activity": request.programme_activity_id,
            "title": request.title,
            "start_date": request.start_date,
            "end_date": request.end_date,
            "place": request.place,
            "justification": request.justification,
            "mutual_benefit": request.mutual_benefit,
            "marking": request.marking,
            "releasability": request.releasability,
        }


class ReasonForm(UswdsFormMixin, forms.Form):
    """The reason asked for before a step that needs one (return, withdraw, ...)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("It is recorded in the request's timeline and sent to the people concerned."),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["reason"].required = required
        if not required:
            fields["reason"].label = _("Note (optional)")
        self.style_fields()


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


class CommentForm(UswdsFormMixin, forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(label=_("Visible to"), choices=CommentVisibility.choices)
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int, choices=())

    def __init__(self, *args: Any, user: User, visibilities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["visibility"].choices = [c for c in CommentVisibility.choices if c[0] in visibilities]
        fields["visibility"].initial = CommentVisibility.SHARED
        fields["marking"].choices = _marking_choices(user)
        fields["marking"].initial = Marking.NATO_UNCLASSIFIED
        self.style_fields()


class AttachmentForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG, JPEG, Word, Excel or plain text."))
    marking = forms.TypedChoiceField(label=_("Marking"), coerce=int, choices=())

    def __init__(self, *args: Any, user: User, max_label: str = "10 MB", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["file"].help_text = _(
            "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or plain text (.txt); at most %(size)s."
        ) % {"size": max_label}
        fields["marking"].choices = _marking_choices(user)
        fields["marking"].initial = Marking.NATO_UNCLASSIFIED
        self.style_fields()


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else str(obj.username)


def reviewers() -> QuerySet[User]:
    """Active users with the reviewer role: those a review can be given to."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.REVIEWER)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


REASSIGN_REASON_HINT = _(
    "Recorded in the request's timeline and sent to both reviewers. The new reviewer has a full review "
    "period from today."
)


class ReassignForm(UswdsFormMixin, forms.Form):
    """Give a request's review to another reviewer (the desk's head or an administrator)."""

    reviewer = ReviewerChoiceField(label=_("New reviewer"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASSIGN_REASON_HINT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["reviewer"].queryset = reviewers()
        self.style_fields()


class BulkActionForm(UswdsFormMixin, forms.Form):
    """The queue's bulk actions: each chosen request goes through the same service as one by one."""

    requests = forms.ModelMultipleChoiceField(
        label=_("Requests"), queryset=InclusionRequest.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Action"), choices=list(BULK_ACTIONS.items()))
    reviewer = ReviewerChoiceField(
        label=_("New reviewer"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only to reassign the reviews."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return, not recommend or reassign; recorded on each request."),
    )

    def __init__(self, *args: Any, queryset: QuerySet[InclusionRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["requests"].queryset = queryset
        fields["reviewer"].queryset = reviewers()
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in BULK_NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason; it is recorded on each request."))
        if action == "reassign" and not data.get("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to give the reviews to."))
        return data


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
        # The window enforced by services.silence_start.
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
