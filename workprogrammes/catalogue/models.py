"""The activity catalogue: the menu of activities partners choose from, and the files that update it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import Marking, SoftDeleteModel, TimeStampedModel
from portal.core.search import bilingual_vector


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


# What a search of the catalogue reads (catalogue/selectors.py: catalogue_search), in English and in French.
CATALOGUE_SEARCH_FIELDS = ("title", "description")
# A catalogue item's description is searched (CATALOGUE_SEARCH_FIELDS): far below the megabyte a search
# vector holds, and long enough for a course description. The model refuses longer (admin, API, import).
CATALOGUE_DESCRIPTION_MAX_LENGTH = 10_000


class CatalogueItem(SoftDeleteModel, TimeStampedModel):
    """An activity of the cooperation menu; says whether including a Contact Country needs the NAC."""

    Kind = CatalogueItemKind

    Delivery = CatalogueItemDelivery

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=CATALOGUE_DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(CATALOGUE_DESCRIPTION_MAX_LENGTH)],
    )
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
        # The catalogue's search (catalogue_item_list, the programme builder's menu).
        indexes = [GinIndex(bilingual_vector(*CATALOGUE_SEARCH_FIELDS), name="catalogue_search_idx")]
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
            models.CheckConstraint(
                condition=Q(delivery__in=[*CatalogueItemDelivery.values, ""]), name="catalogue_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CatalogueImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class CatalogueImport(models.Model):
    """An uploaded catalogue file: what its preview showed, kept so that confirming writes exactly that.

    `rows` are the parsed, valid rows; `summary` the counts and the invalid rows with their line and
    reason. The file itself is not kept: its SHA-256 identifies it.
    """

    Status = CatalogueImportStatus

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    deactivate_missing = models.BooleanField(
        _("deactivate items missing from the file"),
        default=False,
        help_text=_("The file is the whole catalogue: items it does not list are deactivated or removed."),
    )
    rows = models.JSONField(_("rows to write"), default=list)
    summary = models.JSONField(_("preview"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CatalogueImportStatus.values), name="catalogue_import_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="catalogue_import_sha256_hex"
            ),
            models.CheckConstraint(
                condition=~Q(status=CatalogueImportStatus.APPLIED) | Q(applied_at__isnull=False),
                name="catalogue_import_applied_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
