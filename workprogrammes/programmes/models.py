"""The annual work programmes (ITCP) of partners, their activities, and the records of their lifecycle."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import ChoiceLabelsMixin, MarkedModel, TimeStampedModel

from ..catalogue.models import CatalogueItem


class Objective(models.TextChoices):
    """The three objectives agreed at the 2008 Bucharest Summit."""

    SUPPORT_FOR_OPERATIONS = "operations", _("Support for operations")
    SECURITY_COOPERATION = "security", _("Security cooperation")
    COMMON_UNDERSTANDING = "understanding", _("Enhanced common understanding")


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
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
        help_text=_("The previous year's programme this one was started from, if any."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )

    # Set by `programmes.selectors.visible_activities_prefetch`: the activities the reader may see.
    visible_activities: list[ProgrammeActivity]

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
    # Required by activity_cancel (programmes/activity_services.py); activities cancelled before the portal
    # recorded reasons have none, so the database does not insist.
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("programme activity")
        verbose_name_plural = _("programme activities")
        indexes = [
            models.Index(fields=["programme", "start_date"]),
            models.Index(fields=["status"]),
            # The activity list (API, cursor pagination) in its order: start date, then id.
            models.Index(fields=["start_date", "id"], name="activity_start_order_idx"),
        ]
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


class ProgrammeStatusChange(ChoiceLabelsMixin, models.Model):
    """One row per step of a programme's lifecycle, or of one of its activities (`activity` set).

    Append-only (a database trigger refuses changes): the programme page's timeline reads these rows.
    """

    programme = models.ForeignKey(WorkProgramme, on_delete=models.PROTECT, related_name="status_changes")
    activity = models.ForeignKey(
        ProgrammeActivity, on_delete=models.PROTECT, null=True, blank=True, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason or note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("programme status change")
        verbose_name_plural = _("programme status changes")
        indexes = [models.Index(fields=["programme", "at"], name="programme_timeline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    activity__isnull=True,
                    from_status__in=WorkProgrammeStatus.values,
                    to_status__in=WorkProgrammeStatus.values,
                )
                | Q(
                    activity__isnull=False,
                    from_status__in=ProgrammeActivityStatus.values,
                    to_status__in=ProgrammeActivityStatus.values,
                ),
                name="programme_status_change_statuses_valid",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="programme_status_changes_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.activity_id or '-'}: {self.from_status} -> {self.to_status}"

    @property
    def from_label(self) -> str:
        choices = ProgrammeActivityStatus if self.activity_id else WorkProgrammeStatus
        return str(dict(choices.choices).get(self.from_status, self.from_status))

    @property
    def to_label(self) -> str:
        choices = ProgrammeActivityStatus if self.activity_id else WorkProgrammeStatus
        return str(dict(choices.choices).get(self.to_status, self.to_status))


class ProgrammeAmendment(models.Model):
    """A change to an agreed (or active) programme: why, who, when, and the versions before and after.

    `previous` and `amended` are snapshots of the programme and its activities as people read them
    (see programmes/services.py: programme_snapshot); the page shows the difference. Append-only.
    """

    programme = models.ForeignKey(WorkProgramme, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("amendment"))
    reason = models.TextField(_("reason for the amendment"))
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(_("amended"), default=timezone.now)
    previous = models.JSONField(_("version before"))
    amended = models.JSONField(_("version after"))

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("programme amendment")
        verbose_name_plural = _("programme amendments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_amendment_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_number_positive"),
            models.CheckConstraint(condition=Q(reason__regex=r"\S"), name="amendment_has_reason"),
        ]
        triggers = [
            pgtrigger.Protect(name="amendments_are_frozen", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} amendment {self.number}"


class ActivityOutcome(models.Model):
    """What came of a held activity: reported by the officer, read by the reports' analyses."""

    activity = models.OneToOneField(ProgrammeActivity, on_delete=models.PROTECT, related_name="outcome")
    participants = models.PositiveIntegerField(_("participants"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), help_text=_("1 (poor) to 5 (excellent): how well the activity met its objective.")
    )
    lessons = models.TextField(_("lessons learned"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("activity outcome")
        verbose_name_plural = _("activity outcomes")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="outcome_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.rating}/5"
