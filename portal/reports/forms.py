"""The filter forms of the reports (read from the query string, so a filtered report has a URL)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from operations.models import ContributionKind, Operation
from partners.models import CooperationArea, Partner
from portal.accounts.models import Desk
from portal.core.forms import RequiredMessagesMixin
from portal.core.i18n import localized_text
from workprogrammes.catalogue.models import CatalogueItemKind
from workprogrammes.programmes.models import Objective, ProgrammeActivityStatus

from .tabular.base import report_filters_check

YEAR_MIN, YEAR_MAX = 1990, 2100


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ReportFilterForm(RequiredMessagesMixin, forms.Form):
    """Every field is optional: an empty form is the whole report."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Querysets ordered by a name are built per form, in the language of the page.
            ordered = getattr(field, "ordered_queryset", None)
            if ordered is not None:
                cast(forms.ModelChoiceField, field).queryset = ordered()
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "usa-checkbox__input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "usa-select")
            else:
                widget.attrs.setdefault("class", "usa-input")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            report_filters_check(cleaned)
        except ValidationError as error:
            self.add_error(None, error)  # the rule names the field it is about
        return cleaned

    def serialized(self) -> dict[str, str]:
        """The submitted values of this form's fields, as strings, for an export job to run again later."""
        return {name: str(self.data[name]) for name in self.fields if self.data.get(name) not in (None, "")}


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, widget=forms.NumberInput()
    )


def _partners() -> QuerySet[Partner]:
    return cast("QuerySet[Partner]", Partner.objects.alive()).order_by(localized_text("name"), "pk")


def _areas() -> QuerySet[CooperationArea]:
    return CooperationArea.objects.order_by(localized_text("name"), "pk")


class OrderedChoiceField(forms.ModelChoiceField):
    """A record chosen by its code; `ordered_queryset` gives the choices in the page's language."""

    def __init__(self, ordered_queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset=ordered_queryset().none(), required=False, **kwargs)
        self.ordered_queryset = ordered_queryset


def _partner_field() -> OrderedChoiceField:
    return OrderedChoiceField(
        _partners, to_field_name="iso_code", label=_("Partner"), empty_label=_("All partners")
    )


def _area_field() -> OrderedChoiceField:
    return OrderedChoiceField(
        _areas, to_field_name="code", label=_("Area of cooperation"), empty_label=_("All areas")
    )


class ContributionsFilterForm(ReportFilterForm):
    partner = _partner_field()
    operation = forms.ModelChoiceField(
        queryset=Operation.objects.order_by("-start_date", "pk"),
        to_field_name="code",
        required=False,
        label=_("Operation"),
        empty_label=_("All operations"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + list(ContributionKind.choices)
    )
    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))


class ActivitiesFilterForm(ReportFilterForm):
    partner = _partner_field()
    year = _year_field(_("Year"))
    area = _area_field()
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("All statuses")) + list(ProgrammeActivityStatus.choices),
    )
    objective = forms.ChoiceField(
        label=_("Objective"), required=False, choices=_blank(_("All objectives")) + list(Objective.choices)
    )


class OutcomesFilterForm(ReportFilterForm):
    partner = _partner_field()
    year_from = _year_field(_("From year"))
    year_to = _year_field(_("To year"))
    area = _area_field()


class PipelineFilterForm(ReportFilterForm):
    partner = _partner_field()
    desk: forms.ModelChoiceField[Desk] = forms.ModelChoiceField(
        queryset=Desk.objects.order_by("name", "pk"),
        to_field_name="code",
        required=False,
        label=_("Desk"),
        empty_label=_("All desks"),
    )
    year = _year_field(_("Created in"))


class DecisionTimesFilterForm(ReportFilterForm):
    partner = _partner_field()
    year_from = _year_field(_("Decided from year"))
    year_to = _year_field(_("Decided to year"))


class CatalogueUsageFilterForm(ReportFilterForm):
    area = _area_field()
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + list(CatalogueItemKind.choices)
    )
    year = _year_field(_("Year"))
    used_only = forms.BooleanField(label=_("Only items in use"), required=False)


class PartnerPdfForm(RequiredMessagesMixin, forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), to_field_name="iso_code", label=_("Partner"), empty_label=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = cast(forms.ModelChoiceField, self.fields["partner"])
        partner_field.queryset = _partners()
        partner_field.widget.attrs["class"] = "usa-select"
