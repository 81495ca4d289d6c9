"""Forms of the inclusion-request and Council pages (USWDS markup, errors kept next to each field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from portal.accounts.models import Role, User
from portal.core.dates import DayMonthYearField
from portal.core.forms import RequiredMessagesMixin, add_service_errors
from portal.core.i18n import localized_text
from portal.core.models import Marking

from ..catalogue.models import CatalogueItem
from ..programmes.models import ProgrammeActivity
from ..workflow_steps import BULK_ACTIONS
from .models import (
    CASE_TEXT_MAX_LENGTH,
    CASE_TEXT_MIN_LENGTH,
    CommentVisibility,
    InclusionRequest,
    request_start_window,
)
from .permissions import partners_drafted_for
from .validation import activity_choice_check

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
        # A delegate also drafts for the partners of the colleagues they stand in for today.
        self.drafted_for = partners_drafted_for(user)
        partner_ids = set(self.drafted_for)
        fields["partner"].queryset = Partner.objects.filter(pk__in=partner_ids).order_by(
            localized_text("name")
        )
        if any(principal is not None for principal in self.drafted_for.values()):
            fields["partner"].label_from_instance = self._partner_label
            fields["partner"].help_text = _(
                "Only the partners on your desks and on those of the colleagues you stand in for today "
                "are listed."
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
        # The plausible window, stated in the hint and enforced by the services (validation.py).
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
        """The activity's rules are the service's (activity_choice_check); run here too so that their
        errors stand beside the fields' own, on the fields that have none yet."""
        data = super().clean() or {}
        try:
            activity_choice_check(
                programme_activity=data.get("programme_activity"),
                catalogue_item=data.get("catalogue_item"),
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
            )
        except ValidationError as error:
            add_service_errors(self, error, keep=True)
        return data

    def _partner_label(self, partner: Partner) -> str:
        principal = self.drafted_for.get(partner.pk)
        if principal is None:
            return str(partner)
        return _("%(partner)s (for %(principal)s)") % {
            "partner": partner,
            "principal": principal.get_full_name() or principal.get_username(),
        }

    def acting_for(self) -> User | None:
        """The colleague the chosen partner is drafted for (None: the user's own desk's partner)."""
        partner = self.cleaned_data.get("partner")
        return self.drafted_for.get(partner.pk) if partner is not None else None

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
    """The queue's bulk actions: each chosen request goes through the same service as one by one (the
    reason and the new reviewer an action needs are the service's check: bulk_action_check)."""

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

    def __init__(
        self,
        *args: Any,
        queryset: QuerySet[InclusionRequest],
        actions: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["requests"].queryset = queryset
        # Only the actions the user's roles take (workflow_steps.bulk_actions_for); all if not given.
        fields["action"].choices = list((BULK_ACTIONS if actions is None else actions).items())
        fields["reviewer"].queryset = reviewers()
        self.style_fields()
