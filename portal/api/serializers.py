"""Serializer helpers shared by the apps' API packages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def translated(*names: str) -> list[str]:
    """Field names for bilingual fields: `name` in the active language, plus `name_en` and `name_fr`."""
    return [field for name in names for field in (name, f"{name}_en", f"{name}_fr")]


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses any field it does not accept, with a reason, instead of ignoring it.

    `refused_fields` names fields a client might expect to write (they appear in the output) with the
    reason they are not written this way, e.g. a request's status, which only the workflow's actions change.
    """

    refused_fields: ClassVar[dict[str, Any]] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {
                name: [str(self.refused_fields.get(name, _("This field is not accepted here.")))]
                for name in data
                if name not in writable
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
