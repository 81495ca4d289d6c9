"""The form officers use to record a partner's contribution to an operation (services.py writes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import PortalFormMixin, bilingual_labels
from portal.core.dates import DayMonthYearField

from .models import Contribution, Operation
from .services import CONTRIBUTION_FIELDS


class ContributionForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Contribution
        fields = list(CONTRIBUTION_FIELDS)
        field_classes = {"period_start": DayMonthYearField, "period_end": DayMonthYearField}
        labels = {
            **bilingual_labels("command_arrangement", _("Command arrangement")),
            **bilingual_labels("decision_making_association", _("Association with decision-making")),
            **bilingual_labels("description", _("Description")),
        }
        help_texts = {
            "period_end": _("Leave empty while the contribution continues."),
            "personnel": _("People deployed in this period, if any."),
            "amount": _("Money given in this period, if any (with its currency)."),
            "currency": _("Three-letter code, e.g. EUR or AUD."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        operation_field: Any = self.fields["operation"]
        operation_field.queryset = Operation.objects.alive().order_by("-start_date")
