"""Inclusion requests and the records of their workflow: revisions and status changes. (Their comments
and files are in discussion_models.py.)

The transitions between the statuses live in requests/workflow.py; nothing else changes them.
"""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import ChoiceLabelsMixin, MarkedModel, TimeStampedModel
from portal.core.search import text_vector

from ..catalogue.models import CatalogueItem
from ..programmes.models import ProgrammeActivity


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


# Waiting for review: submitted, or under review (the review queue, reassigning a review, overdue reviews,
# the calendar). The workflow's other status groups are named beside its table (workflow.py); this one is
# named here because the model's own overdue rule and the review queue's index use it.
WAITING_FOR_REVIEW: tuple[str, ...] = (InclusionRequestStatus.SUBMITTED, InclusionRequestStatus.UNDER_REVIEW)


# The texts that carry a request's case (justification, mutual benefit): at least a sentence, and short
# enough to read (and to index for search). The services check them; the forms and the API state them.
CASE_TEXT_MIN_LENGTH = 20
CASE_TEXT_MAX_LENGTH = 4000
# The activity a request names starts at most a year ago and at most five years ahead, and lasts at
# most two years.
REQUEST_START_PAST = datetime.timedelta(days=365)
REQUEST_START_AHEAD = datetime.timedelta(days=5 * 365)
REQUEST_LONGEST = datetime.timedelta(days=2 * 365)


def request_start_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest start date a request may name, seen from `today`."""
    return today - REQUEST_START_PAST, today + REQUEST_START_AHEAD


# What a search of requests reads (requests/selectors.py), in English and in French.
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
        return Q(**{f"{prefix}status__in": list(WAITING_FOR_REVIEW)}) & (
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
                condition=Q(status__in=list(WAITING_FOR_REVIEW)),
                name="request_review_queue_idx",
            ),
            # The requests' search (requests/selectors.py), in English and French whichever the language.
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


# Who reads a comment (discussion_models.Comment).
class CommentVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal: reviewers, council secretaries and administrators")
    SHARED = "shared", _("Shared: also the officers of the requesting desk")
