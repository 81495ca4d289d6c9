"""Building blocks shared by the domain apps: markings, timestamps, soft delete."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Marking(models.IntegerChoices):
    """Security classification of a record, ordered so that a clearance compares with `>=`."""

    PUBLIC = 0, _("PUBLIC RELEASE")
    NATO_UNCLASSIFIED = 10, _("NATO UNCLASSIFIED")
    NATO_RESTRICTED = 20, _("NATO RESTRICTED")
    NATO_CONFIDENTIAL = 30, _("NATO CONFIDENTIAL")
    NATO_SECRET = 40, _("NATO SECRET")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class MarkedModel(models.Model):
    """A record that carries a classification marking and a releasability statement."""

    marking = models.PositiveSmallIntegerField(
        _("marking"), choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED
    )
    releasability = models.CharField(
        _("releasability"), max_length=200, blank=True, help_text=_('For example "Releasable to Japan".')
    )

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def alive(self) -> ActiveQuerySet:
        return self.filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """Rows that history refers to are retired, never deleted."""

    deleted_at = models.DateTimeField(_("retired on"), null=True, blank=True, editable=False)

    objects: Any = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True

    def retire(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])
