"""Forms officers use to keep a partner's record current (the services do the writing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.dates import DayMonthYearField
from portal.core.forms import RequiredMessagesMixin

from .models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnerEngagementLevel,
)
from .services import DIALOGUE_MEETING_FIELDS, LIAISON_ARRANGEMENT_FIELDS, MILESTONE_FIELDS


class PortalFormMixin(RequiredMessagesMixin):
    """Gives widgets the design system's classes and ties hints and errors to their fields."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "usa-checkbox__input"
            elif isinstance(widget, forms.Select):
                css = "usa-select"
            elif isinstance(widget, forms.Textarea):
                css = "usa-textarea"
                widget.attrs.setdefault("rows", 3)
            elif isinstance(widget, forms.FileInput):
                css = "usa-file-input"
            else:
                css = "usa-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def bilingual_labels(name: str, label: str | Promise) -> dict[str, Any]:
    """Labels for a bilingual field's two columns, e.g. "Title (English)" and "Title (French)"."""
    return {
        f"{name}_en": format_lazy("{} ({})", label, _("English")),
        f"{name}_fr": format_lazy("{} ({})", label, _("French")),
    }


class MilestoneForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        field_classes = {"date": DayMonthYearField}
        labels = {
            **bilingual_labels("title", _("Title")),
            **bilingual_labels("description", _("Description")),
        }
        help_texts = {
            "date_precision": _("How much of the date is known: for a year only, enter 1 January of it."),
            "title_fr": _("Leave empty to show the English title to French readers."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True


class DialogueMeetingForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = DialogueMeeting
        fields = list(DIALOGUE_MEETING_FIELDS)
        field_classes = {"date": DayMonthYearField}
        labels = {**bilingual_labels("title", _("Title")), **bilingual_labels("summary", _("Summary"))}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True


class LiaisonArrangementForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = LiaisonArrangement
        fields = list(LIAISON_ARRANGEMENT_FIELDS)
        field_classes = {"start_date": DayMonthYearField, "end_date": DayMonthYearField}
        labels = bilingual_labels("notes", _("Notes"))
        help_texts = {
            "operation": _("For a post at an operational headquarters: the operation it serves."),
            "end_date": _("Leave empty while the arrangement lasts."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The operations not retired, through the foreign key (operations stands above partners).
        operation_field: Any = self.fields["operation"]
        operation: Any = LiaisonArrangement._meta.get_field("operation").related_model
        operation_field.queryset = operation.objects.alive().order_by("-start_date")


class PartnerCooperationForm(PortalFormMixin, forms.Form):
    """The areas the partner chose and how far it engages."""

    engagement_level = forms.ChoiceField(label=_("Engagement level"), choices=PartnerEngagementLevel.choices)
    areas: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Areas of cooperation the partner chose"),
        queryset=CooperationArea.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def for_partner(cls, partner: Partner, data: Any = None) -> PartnerCooperationForm:
        return cls(
            data,
            initial={"engagement_level": partner.engagement_level, "areas": list(partner.areas.all())},
        )
