"""NATO-led operations and the partners' contributions to them, as a time series."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partners.models import AttributedModel
from portal.core.models import SoftDeleteModel, TimeStampedModel


class Operation(SoftDeleteModel, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    theatre = models.CharField(_("theatre"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("started"))
    end_date = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="operation_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.acronym} – {self.name}"

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None


class ContributionKind(models.TextChoices):
    TROOPS = "troops", _("Troops")
    LIAISON_OFFICERS = "liaison_officers", _("Liaison officers")
    DEVELOPMENT_FUNDING = "development_funding", _("Funding of development projects")
    TRUST_FUND = "trust_fund", _("Trust fund contribution")
    MEDICAL_SOCIAL = "medical_social", _("Medical and social assistance")
    PEACE_IMPLEMENTATION = "peace_implementation", _("Peace-agreement implementation")
    OTHER = "other", _("Other")


def currency_code(value: object) -> str:
    """A currency as stored: its three-letter code in capitals ("eur" typed is EUR)."""
    return str(value or "").strip().upper()


class Contribution(TimeStampedModel, AttributedModel):
    """What one partner gave to one operation over one period: people, money or both."""

    Kind = ContributionKind

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="contributions")
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), null=True, blank=True)
    personnel = models.PositiveIntegerField(_("personnel"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    command_arrangement = models.TextField(_("command arrangement"), blank=True)
    decision_making_association = models.TextField(_("association with decision-making"), blank=True)
    planned_through_icc = models.BooleanField(
        _("planning and force generation through the ICC"), default=False
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["period_start", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["partner", "period_start"]),
            models.Index(fields=["operation", "period_start"]),
            # The API's list in its cursor's order, and the operations' partner counts (index-only).
            models.Index(fields=["period_start", "id"], name="contribution_period_order"),
            models.Index(fields=["operation", "partner"], name="contribution_operation_partner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="contribution_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="contribution_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(currency__regex=r"^[A-Z]{3}$"),
                name="contribution_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.operation.acronym} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        # Before the constraints are checked, so that a code typed in small letters is accepted.
        self.currency = currency_code(self.currency)


HISTORY_TRACKED = (
    Operation,
    Contribution,
)
