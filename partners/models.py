"""Partner countries and the record of relations with them: areas, milestones, dialogue, liaison."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.models import SoftDeleteModel, TimeStampedModel
from portal.core.search import bilingual_vector


class AttributedModel(models.Model):
    """A record officers keep current in the portal: who created it and who changed it last.

    The full story (every change, by whom and when) is in its history events; these two columns let a
    list say it without reading the history.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        abstract = True


class Region(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class PartnershipFrameworkKind(models.TextChoices):
    CONTACT_COUNTRIES = "contact", _("Contact Countries / partners across the globe")
    FORMAL = "formal", _("Formal partnership")


class PartnershipFramework(models.Model):
    """A framework of relations: the Contact Countries, or a formal partnership kept as reference."""

    Kind = PartnershipFrameworkKind

    code = models.SlugField(_("code"), max_length=40, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership framework")
        verbose_name_plural = _("partnership frameworks")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartnershipFrameworkKind.values), name="framework_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CooperationArea(models.Model):
    """An area of cooperation a partner may choose (and that catalogue items belong to)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area of cooperation")
        verbose_name_plural = _("areas of cooperation")

    def __str__(self) -> str:
        return self.name


class PartnerEngagementLevel(models.TextChoices):
    INFORMED = "informed", _("Informed only")
    COOPERATING = "cooperating", _("Cooperating")
    CONTRIBUTOR = "contributor", _("Operational contributor")


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FORMER = "former", _("Former partner")


class Partner(SoftDeleteModel, TimeStampedModel, AttributedModel):
    EngagementLevel = PartnerEngagementLevel
    Status = PartnerStatus

    iso_code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="partners")
    framework = models.ForeignKey(PartnershipFramework, on_delete=models.PROTECT, related_name="partners")
    engagement_level = models.CharField(
        _("engagement level"),
        max_length=20,
        choices=EngagementLevel.choices,
        default=EngagementLevel.INFORMED,
    )
    dialogue_since = models.PositiveSmallIntegerField(_("political dialogue since"), null=True, blank=True)
    areas = models.ManyToManyField(CooperationArea, related_name="partners", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        # The directory's search (partners.selectors.partner_directory) uses this very expression.
        indexes = [GinIndex(bilingual_vector("name"), name="partner_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^[A-Z]{2}$"), name="partner_iso_code_format"
            ),
            models.CheckConstraint(
                condition=Q(dialogue_since__isnull=True)
                | Q(dialogue_since__gte=1949, dialogue_since__lte=2100),
                name="partner_dialogue_since_plausible",
            ),
            models.CheckConstraint(
                condition=Q(engagement_level__in=PartnerEngagementLevel.values),
                name="partner_engagement_level_valid",
            ),
            models.CheckConstraint(condition=Q(status__in=PartnerStatus.values), name="partner_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerAreaChange(models.Model):
    """One area chosen or dropped by a partner, written by the service that changes `Partner.areas`.

    The many-to-many table itself has no history (history triggers follow the models in migrations,
    and Django creates that table by itself), so this append-only row is its history.
    """

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="area_changes")
    area = models.ForeignKey(CooperationArea, on_delete=models.PROTECT, related_name="+")
    chosen = models.BooleanField(_("chosen"), help_text=_("True: the area was chosen; false: dropped."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("change of chosen areas")
        verbose_name_plural = _("changes of chosen areas")
        triggers = [
            pgtrigger.Protect(name="area_changes_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {'+' if self.chosen else '-'}{self.area_id}"


class EnglishTitleRequired(models.Model):
    """A record listed by its title needs one in English, the text French readers fall back to; the
    French title is optional. A field check (`clean_fields`, run by every `full_clean`), so the pages,
    the API and the admin refuse alike, and a form that has already refused the field says it once."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        if "title_en" not in skipped and not (getattr(self, "title_en", "") or "").strip():
            label = format_lazy("{} ({})", _("Title"), _("English"))
            errors["title_en"] = [gettext("Fill in “%(label)s”.") % {"label": label}]
        if errors:
            raise ValidationError(errors)


class MilestoneKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue")
    POLICY = "policy", _("Policy decision")
    SUMMIT = "summit", _("Summit")
    AGREEMENT = "agreement", _("Agreement")
    OPERATION = "operation", _("Operational engagement")


class MilestonePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class Milestone(EnglishTitleRequired, TimeStampedModel, AttributedModel):
    """A dated event in relations: for one partner, or Alliance-wide when `partner` is empty."""

    Kind = MilestoneKind

    Precision = MilestonePrecision

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["partner", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MilestoneKind.values), name="milestone_kind_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=MilestonePrecision.values), name="milestone_precision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.year} {self.title}"


class DialogueMeetingKind(models.TextChoices):
    NAC_MINISTERS = "nac_ministers", _("North Atlantic Council with partner ministers")
    HIGH_LEVEL = "high_level", _("High-level talks")
    AMBASSADORS = "ambassadors", _("Meeting with ambassadors")
    STAFF_TALKS = "staff_talks", _("Staff-level talks")


class DialogueMeeting(EnglishTitleRequired, TimeStampedModel, AttributedModel):
    Kind = DialogueMeetingKind

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="dialogue_meetings")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("location"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        indexes = [models.Index(fields=["partner", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DialogueMeetingKind.values), name="dialogue_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title


class LiaisonArrangementPost(models.TextChoices):
    SHAPE = "shape", _("SHAPE")
    ICC = "icc", _("International Coordination Centre (SHAPE, Mons)")
    OPERATIONAL_HQ = "operational_hq", _("Operational headquarters")
    NATO_HQ = "nato_hq", _("NATO Headquarters")


class LiaisonArrangement(TimeStampedModel, AttributedModel):
    """Partner liaison officers posted at SHAPE, the ICC, an operational HQ or NATO HQ."""

    Post = LiaisonArrangementPost

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="liaison_arrangements")
    post = models.CharField(_("posted at"), max_length=20, choices=Post.choices)
    operation = models.ForeignKey(
        "operations.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_arrangements",
    )
    officers = models.PositiveSmallIntegerField(_("officers"), default=1)
    officer_name = models.CharField(_("officer"), max_length=120, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("liaison arrangement")
        verbose_name_plural = _("liaison arrangements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="liaison_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(officers__gte=1), name="liaison_at_least_one_officer"),
            models.CheckConstraint(
                condition=Q(post__in=LiaisonArrangementPost.values), name="liaison_post_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} @ {self.get_post_display()}"


HISTORY_TRACKED = (
    Region,
    PartnershipFramework,
    CooperationArea,
    Partner,
    PartnerAreaChange,
    Milestone,
    DialogueMeeting,
    LiaisonArrangement,
)
