"""The activity catalogue (the menu partners choose from) and the annual work programmes (ITCP)."""

from __future__ import annotations

import datetime
import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import ChoiceLabelsMixin, MarkedModel, Marking, SoftDeleteModel, TimeStampedModel
from portal.core.search import bilingual_vector, text_vector


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


# What a search of the catalogue reads (selectors.catalogue_search), in English and in French.
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
        # The catalogue's search (selectors.catalogue_item_list, the programme builder's menu).
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
    # Required by activity_cancel (programme_services.py); activities cancelled before the portal
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
    (see programme_services.programme_snapshot); the page shows the difference. Append-only.
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


# --- Inclusion requests and the approval workflow up to the North Atlantic Council decision ---------
# The transitions between these statuses live in workprogrammes/workflow.py; nothing else changes them.


class InclusionRequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    AWAITING_COUNCIL = "awaiting_council", _("Awaiting council")
    APPROVED = "approved", _("Approved")
    APPROVED_EXEMPT = "approved_exempt", _("Approved (exempt)")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The texts that carry a request's case (justification, mutual benefit): at least a sentence, and short
# enough to read (and to index for search). The services check them; the forms and the API state them.
CASE_TEXT_MIN_LENGTH = 20
CASE_TEXT_MAX_LENGTH = 4000
# The activity a request names starts at most a year ago and at most five years ahead, and lasts at
# most two years.
REQUEST_START_PAST = datetime.timedelta(days=365)
REQUEST_START_AHEAD = datetime.timedelta(days=5 * 365)
REQUEST_LONGEST = datetime.timedelta(days=2 * 365)
# A Council meeting is planned at most a year back (to record one held before the portal knew it) and
# two years ahead.
MEETING_PAST = datetime.timedelta(days=365)
MEETING_AHEAD = datetime.timedelta(days=2 * 365)
# A silence procedure runs for days, not months: its deadline is at most this far ahead (no decision is
# recorded on an item while silence runs, so a distant deadline would hold the request for good).
SILENCE_LONGEST = datetime.timedelta(days=30)
# A decision recorded outside a Council meeting says why, in a sentence.
OUTSIDE_MEETING_REASON_MIN_LENGTH = 10


def request_start_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest start date a request may name, seen from `today`."""
    return today - REQUEST_START_PAST, today + REQUEST_START_AHEAD


def meeting_date_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest date a Council meeting may be planned on, seen from `today`."""
    return today - MEETING_PAST, today + MEETING_AHEAD


# What a search of requests reads (request_selectors), in English and in French.
REQUEST_SEARCH_FIELDS = ("title", "justification", "mutual_benefit", "place")

# A draft may be withdrawn without ever having been submitted.
NEVER_SUBMITTED_OK = (InclusionRequestStatus.DRAFT, InclusionRequestStatus.WITHDRAWN)


class InclusionRequest(MarkedModel, TimeStampedModel):
    """An officer's request to include a partner in an Alliance activity, on its way to the NAC.

    The activity is named one of two ways: a programme activity of the partner's programme, or a
    catalogue item with the requested dates and place (a check constraint keeps exactly one).

    There is no "resubmitted" status: resubmitting after a return is the transition returned ->
    submitted, recorded as a StatusChange whose revision is one higher, with a RequestRevision
    snapshot of what was resubmitted. The timeline tells "submitted" and "resubmitted" apart by the
    from-status, and every status keeps a single meaning for queues and reports.
    """

    Status = InclusionRequestStatus

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="inclusion_requests"
    )
    desk = models.ForeignKey("accounts.Desk", on_delete=models.PROTECT, related_name="inclusion_requests")
    programme_activity = models.ForeignKey(
        ProgrammeActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inclusion_requests",
        verbose_name=_("programme activity"),
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inclusion_requests",
        verbose_name=_("catalogue item"),
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    start_date = models.DateField(_("starts"), null=True, blank=True)
    end_date = models.DateField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    justification = models.TextField(_("justification"))
    mutual_benefit = models.TextField(_("statement of mutual benefit and reciprocity"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inclusion_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who last submitted it; with the requester, kept out of its review and decision."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_inclusion_requests",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    needs_council_decision = models.BooleanField(
        _("needs a council decision"),
        null=True,
        blank=True,
        help_text=_("Taken from the catalogue item when submitted; unknown while a draft."),
    )
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="watched_inclusion_requests", blank=True
    )

    @staticmethod
    def review_overdue_q(*, now: datetime.datetime, by_days: int = 0, prefix: str = "") -> Q:
        """THE definition of an overdue review (queue, API filter, dashboard, reports, reminders).

        A request waiting for review (submitted or under review) is overdue once its due time has passed,
        plus `by_days` for escalations. One without a due time (recorded before due times existed) is due
        REVIEW_SERVICE_LEVEL_DAYS after it was submitted.
        """
        cutoff = now - datetime.timedelta(days=by_days)
        service_level = datetime.timedelta(days=settings.REVIEW_SERVICE_LEVEL_DAYS)
        return Q(
            **{f"{prefix}status__in": [InclusionRequestStatus.SUBMITTED, InclusionRequestStatus.UNDER_REVIEW]}
        ) & (
            Q(**{f"{prefix}due_at__lt": cutoff})
            | Q(**{f"{prefix}due_at__isnull": True, f"{prefix}submitted_at__lt": cutoff - service_level})
        )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inclusion request")
        verbose_name_plural = _("inclusion requests")
        indexes = [
            models.Index(fields=["status", "desk"], name="request_queue_idx"),
            models.Index(fields=["requested_by", "status"], name="request_mine_idx"),
            models.Index(fields=["partner", "status"], name="request_partner_idx"),
            # The request list (API, cursor pagination), newest first.
            models.Index(fields=["-created_at", "-id"], name="request_newest_idx"),
            # The review queue in its default order: what waits for reviewers, the earliest due first; with
            # the marking, its count (and the reviewers' dashboard totals) read the index alone.
            models.Index(
                fields=["due_at", "submitted_at", "id"],
                include=["marking"],
                condition=Q(
                    status__in=[InclusionRequestStatus.SUBMITTED, InclusionRequestStatus.UNDER_REVIEW]
                ),
                name="request_review_queue_idx",
            ),
            # The requests' search (request_selectors), in English and French whichever the language.
            GinIndex(text_vector(*REQUEST_SEARCH_FIELDS), name="request_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InclusionRequestStatus.values), name="request_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(programme_activity__isnull=False, catalogue_item__isnull=True)
                    | Q(
                        programme_activity__isnull=True,
                        catalogue_item__isnull=False,
                        start_date__isnull=False,
                        end_date__isnull=False,
                    )
                ),
                name="request_names_one_activity",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="request_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(mutual_benefit__regex=r"\S"), name="request_states_mutual_benefit"
            ),
            models.CheckConstraint(condition=Q(justification__regex=r"\S"), name="request_is_justified"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="request_revision_positive"),
            models.CheckConstraint(
                condition=Q(status__in=NEVER_SUBMITTED_OK) | Q(submitted_at__isnull=False),
                name="request_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=NEVER_SUBMITTED_OK) | Q(needs_council_decision__isnull=False),
                name="request_submitted_knows_council_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.activity_title}"

    @property
    def activity_title(self) -> str:
        """The activity's title as people should read it, however the activity was named."""
        activity = self.programme_activity
        if activity is not None:
            return str(activity.title)
        item = self.catalogue_item
        return self.title or (str(item.title) if item is not None else "")

    @property
    def activity_start(self) -> datetime.date | None:
        activity = self.programme_activity
        return activity.start_date if activity is not None else self.start_date

    @property
    def activity_end(self) -> datetime.date | None:
        activity = self.programme_activity
        return activity.end_date if activity is not None else self.end_date

    @property
    def activity_place(self) -> str:
        activity = self.programme_activity
        return activity.place if activity is not None else self.place

    @property
    def governing_catalogue_item(self) -> CatalogueItem | None:
        """The catalogue item that says whether the NAC must decide (directly or via the activity)."""
        activity = self.programme_activity
        return activity.catalogue_item if activity is not None else self.catalogue_item

    def current_council_need(self) -> bool:
        """Whether the NAC must decide, from the catalogue as it stands (no catalogue item: it must)."""
        item = self.governing_catalogue_item
        return True if item is None else bool(item.needs_council_decision)


class RequestRevision(models.Model):
    """What the officer submitted, frozen at each submit, so reviewers can see what changed."""

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("submitted fields"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["request", "number"]
        verbose_name = _("request revision")
        verbose_name_plural = _("request revisions")
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="one_revision_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]
        triggers = [
            pgtrigger.Protect(name="revisions_are_frozen", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.request_id} r{self.number}"


class StatusChange(ChoiceLabelsMixin, models.Model):
    """One row per workflow transition, never changed afterwards (a database trigger refuses it).

    `actor` is empty when the portal itself acted (a silence procedure ending unbroken);
    `acting_for` names the principal when a delegate acted on their behalf. A reassignment of the
    review keeps the status (from and to are the same) and names the reviewers in `reviewer_from`
    (empty if nobody had taken it) and `reviewer_to`.
    """

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=InclusionRequestStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=InclusionRequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    revision = models.PositiveIntegerField(_("revision"))
    reviewer_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review taken from"),
    )
    reviewer_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review given to"),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["request", "at"], name="status_change_timeline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__in=InclusionRequestStatus.values)
                & Q(to_status__in=InclusionRequestStatus.values),
                name="status_change_statuses_valid",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="status_changes_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} -> {self.to_status}"

    @property
    def is_reassignment(self) -> bool:
        return self.reviewer_to_id is not None


class CommentVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal: reviewers, council secretaries and administrators")
    SHARED = "shared", _("Shared: also the officers of the requesting desk")


class Comment(MarkedModel):
    """A remark on a request.

    Everyone involved is NATO staff, so visibility is about roles, not about the outside world:
    "internal" is read by reviewers, council secretaries and administrators only; "shared" is
    read by them and by the officers of the requesting desk (the partner's desk).
    """

    Visibility = CommentVisibility

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=CommentVisibility.values), name="comment_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(body__regex=r"\S"), name="comment_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """Private folder under MEDIA_ROOT (never served directly); the stored name is not the user's."""
    return f"private/requests/{instance.request_id}/{uuid.uuid4().hex}"


class Attachment(MarkedModel):
    """A file attached to a request: its type checked from its bytes, downloaded only via a view."""

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class CouncilMeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SILENCE = "silence", _("Silence procedure batch")


class CouncilMeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class CouncilMeeting(TimeStampedModel):
    """A meeting of the North Atlantic Council (or a batch of items put under silence)."""

    Kind = CouncilMeetingKind
    Status = CouncilMeetingStatus

    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CouncilMeetingKind.values), name="council_meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CouncilMeetingStatus.values), name="council_meeting_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.date:%Y-%m-%d})"


class AgendaItemStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    UNDER_SILENCE = "under_silence", _("Under silence")
    SILENCE_BROKEN = "silence_broken", _("Silence broken")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


AGENDA_ITEM_OPEN = (AgendaItemStatus.SCHEDULED, AgendaItemStatus.UNDER_SILENCE)


class AgendaItem(ChoiceLabelsMixin, models.Model):
    """A request on a meeting's agenda; at most one open (scheduled or under silence) per request."""

    Status = AgendaItemStatus

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.PROTECT, related_name="agenda_items")
    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("item"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    silence_deadline = models.DateTimeField(_("silence until"), null=True, blank=True)
    silence_broken_at = models.DateTimeField(_("silence broken"), null=True, blank=True)
    silence_broken_by = models.CharField(_("silence broken by (delegation)"), max_length=120, blank=True)
    silence_broken_reason = models.TextField(_("why silence was broken"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "request"], name="request_once_per_agenda"),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=AGENDA_ITEM_OPEN),
                name="request_on_one_open_agenda",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgendaItemStatus.values), name="agenda_item_status_valid"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="agenda_item_position_positive"),
            models.CheckConstraint(
                condition=~Q(status=AgendaItemStatus.UNDER_SILENCE) | Q(silence_deadline__isnull=False),
                name="agenda_silence_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(silence_broken_at__isnull=True)
                | (Q(silence_deadline__isnull=False) & Q(silence_broken_by__regex=r"\S")),
                name="agenda_silence_break_names_delegation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.reference} item {self.position}"


class CouncilDecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")


class CouncilDecision(ChoiceLabelsMixin, models.Model):
    """The NAC's decision on a request; deferrals are not final, and a request has one final decision.

    `recorded_by` is empty when the portal recorded it (a silence procedure that ended unbroken).
    """

    Outcome = CouncilDecisionOutcome

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reference = models.CharField(_("decision sheet reference"), max_length=60, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    is_final = models.BooleanField(_("final"))
    # Set when the decision was not taken at a Council meeting (required then: services.py).
    outside_meeting_reason = models.TextField(_("why it was decided outside a meeting"), blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(is_final=True), name="one_final_decision_per_request"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=CouncilDecisionOutcome.values), name="council_decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome=CouncilDecisionOutcome.DEFERRED, is_final=False)
                | (~Q(outcome=CouncilDecisionOutcome.DEFERRED) & Q(is_final=True)),
                name="council_decision_final_unless_deferred",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="decisions_are_frozen", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.outcome}"

    @property
    def outside_meeting(self) -> bool:
        """Recorded outside a Council meeting (a written procedure, say), with its reason."""
        return self.meeting_id is None


HISTORY_TRACKED = (
    CatalogueItem,
    WorkProgramme,
    ProgrammeActivity,
    InclusionRequest,
    RequestRevision,
    StatusChange,
    Comment,
    Attachment,
    CouncilMeeting,
    AgendaItem,
    CouncilDecision,
    ProgrammeStatusChange,
    ProgrammeAmendment,
    ActivityOutcome,
    CatalogueImport,
)
