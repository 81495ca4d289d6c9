"""The North Atlantic Council's side of inclusion requests: meetings, their agendas, and decisions."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import ChoiceLabelsMixin, TimeStampedModel

from ..requests.models import InclusionRequest

# A Council meeting is planned at most a year back (to record one held before the portal knew it) and
# two years ahead.
MEETING_PAST = datetime.timedelta(days=365)
MEETING_AHEAD = datetime.timedelta(days=2 * 365)
# A silence procedure runs for days, not months: its deadline is at most this far ahead (no decision is
# recorded on an item while silence runs, so a distant deadline would hold the request for good).
SILENCE_LONGEST = datetime.timedelta(days=30)
# A decision recorded outside a Council meeting says why, in a sentence.
OUTSIDE_MEETING_REASON_MIN_LENGTH = 10


def meeting_date_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest date a Council meeting may be planned on, seen from `today`."""
    return today - MEETING_PAST, today + MEETING_AHEAD


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
