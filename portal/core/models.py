"""Building blocks shared by the domain apps: markings, timestamps, soft delete."""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Self, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Marking(models.IntegerChoices):
    """Security classification of a record, ordered so that a clearance compares with `>=`."""

    PUBLIC = 0, _("PUBLIC RELEASE")
    NATO_UNCLASSIFIED = 10, _("NATO UNCLASSIFIED")
    NATO_RESTRICTED = 20, _("NATO RESTRICTED")
    NATO_CONFIDENTIAL = 30, _("NATO CONFIDENTIAL")
    NATO_SECRET = 40, _("NATO SECRET")


@functools.cache
def choice_labels(field: models.Field[Any, Any], language: str | None) -> dict[Any, str]:
    """A field's choices as {value: label} in one language, built once per process."""
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


class ChoiceLabelsMixin:
    """`get_FOO_display()` from a table built once per field and language.

    Django rebuilds the dictionary of a field's choices (and translates the label) on every call, which
    costs more than the rest of a list row's cell; lists call it once per row and column.
    """

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        value = getattr(self, field.attname)
        try:
            return choice_labels(field, get_language()).get(value, value)
        except TypeError:  # an unhashable value (e.g. a list): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]


class TimeStampedModel(ChoiceLabelsMixin, models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class MarkedModel(ChoiceLabelsMixin, models.Model):
    """A record that carries a classification marking and a releasability statement."""

    marking = models.PositiveSmallIntegerField(
        _("marking"), choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED
    )
    releasability = models.CharField(
        _("releasability"), max_length=200, blank=True, help_text=_('For example "Releasable to Japan".')
    )

    class Meta:
        abstract = True


_M = TypeVar("_M", bound=models.Model)


class ActiveQuerySet(models.QuerySet[_M]):
    def alive(self) -> Self:
        """The rows not retired."""
        return self.filter(deleted_at__isnull=True)


class ActiveManager(models.Manager[_M]):
    # A plain subclass rather than `from_queryset()`: django-modeltranslation replaces the manager's class
    # at run time, so the django-stubs plugin cannot type it per model; the annotation on SoftDeleteModel
    # below does, and a generated manager class would make the plugin override it with the abstract model.
    def get_queryset(self) -> ActiveQuerySet[_M]:
        return ActiveQuerySet(self.model, using=self._db)

    def alive(self) -> ActiveQuerySet[_M]:
        """The rows not retired."""
        return self.get_queryset().alive()


class SoftDeleteModel(models.Model):
    """Rows that history refers to are retired, never deleted."""

    deleted_at = models.DateTimeField(_("retired on"), null=True, blank=True, editable=False)

    objects: ClassVar[ActiveManager[Self]] = ActiveManager()

    class Meta:
        abstract = True

    def retire(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])
