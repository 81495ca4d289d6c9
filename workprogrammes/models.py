"""The activity catalogue (the menu partners choose from) and the annual work programmes (ITCP)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.core.models import MarkedModel, Marking, SoftDeleteModel, TimeStampedModel


class Objective(models.TextChoices):
    """The three objectives agreed at the 2008 Bucharest Summit."""

    SUPPORT_FOR_OPERATIONS = "operations", _("Support for operations")
    SECURITY_COOPERATION = "security", _("Security cooperation")
    COMMON_UNDERSTANDING = "understanding", _("Enhanced common understanding")


class CatalogueItemKind(models.TextChoices):
    JOINT_EXERCISE = "exercise", _("Joint exercise")
    JOINT_OPERATION = "operation", _("Joint operation")
    LANGUAGE = "language", _("Language training and advice")
    INFORMATION_EXCHANGE = "information", _("Information exchange")
    EDUCATION_TRAINING = "education", _("Education and training")
    POLITICAL_DIALOGUE = "dialogue", _("Political dialogue")
    OTHER = "other", _("Other")


class CatalogueItemDelivery(models.TextChoices):
    RESIDENT = "resident", _("Resident course")
    MOBILE = "mobile", _("Mobile training team")
    ONLINE = "online", _("Online / advanced distributed learning")
    EVENT = "event", _("Event or meeting")


class CatalogueItem(SoftDeleteModel, TimeStampedModel):
    """An activity of the cooperation menu; says whether including a Contact Country needs the NAC."""

    Kind = CatalogueItemKind

    Delivery = CatalogueItemDelivery

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        "partners.CooperationArea", on_delete=models.PROTECT, related_name="catalogue_items"
    )
    needs_council_decision = models.BooleanField(_("needs a North Atlantic Council decision"), default=True)
    exemption_reason = models.TextField(_("why no council decision is needed"), blank=True)
    external_reference = models.CharField(_("external reference (e.g. ePRIME)"), max_length=40, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    discipline = models.CharField(_("discipline"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=60, blank=True)
    delivery = models.CharField(_("delivery method"), max_length=20, choices=Delivery.choices, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=5), default=list, blank=True, verbose_name=_("languages")
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)
    marking = models.PositiveSmallIntegerField(
        _("marking"), choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED
    )
    audience = models.CharField(_("audience"), max_length=250, blank=True)
    fee_eur = models.DecimalField(_("fee (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            models.CheckConstraint(
                condition=Q(deactivated_on__isnull=True)
                | Q(active_from__isnull=True)
                | Q(deactivated_on__gte=F("active_from")),
                name="catalogue_active_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(fee_eur__isnull=True) | Q(fee_eur__gte=0), name="catalogue_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(duration_days__isnull=True) | Q(duration_days__gte=1),
                name="catalogue_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(needs_council_decision=True) | ~Q(exemption_reason=""),
                name="catalogue_exemption_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CatalogueItemKind.values), name="catalogue_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class WorkProgrammeKind(models.TextChoices):
    ITCP = "itcp", _("Individual Tailored Cooperation Package (ITCP)")
    IPCP = "ipcp", _("Individual Partnership and Cooperation Programme (IPCP)")
    ITPP = "itpp", _("Individually Tailored Partnership Programme (ITPP)")


class WorkProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class WorkProgramme(MarkedModel, TimeStampedModel):
    """A partner's annual programme of cooperation (ITCP; later IPCP and ITPP)."""

    Kind = WorkProgrammeKind

    Status = WorkProgrammeStatus

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="programmes")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ITCP)
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreement_reference = models.CharField(_("agreement reference"), max_length=80, blank=True)

    class Meta:
        ordering = ["-year", "partner__name"]
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        constraints = [
            models.UniqueConstraint(fields=["partner", "year"], name="one_programme_per_partner_and_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="programme_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorkProgrammeStatus.values), name="programme_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=WorkProgrammeKind.values), name="programme_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[WorkProgrammeStatus.DRAFT, WorkProgrammeStatus.PROPOSED])
                | Q(agreed_on__isnull=False),
                name="programme_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.year} ({self.get_kind_display()})"


class ProgrammeActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


class ProgrammeActivity(MarkedModel, TimeStampedModel):
    Status = ProgrammeActivityStatus

    programme = models.ForeignKey(WorkProgramme, on_delete=models.PROTECT, related_name="activities")
    catalogue_item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=250)
    objective = models.CharField(_("objective"), max_length=20, choices=Objective.choices)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    lead = models.CharField(_("lead"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("programme activity")
        verbose_name_plural = _("programme activities")
        indexes = [models.Index(fields=["programme", "start_date"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeActivityStatus.values), name="activity_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(objective__in=Objective.values), name="activity_objective_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


HISTORY_TRACKED = (
    CatalogueItem,
    WorkProgramme,
    ProgrammeActivity,
)
