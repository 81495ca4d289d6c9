"""Serializer helpers shared by the apps' API packages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers


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


# --- Output for long lists -------------------------------------------------------------------------------


def _is_simple_callable(value: Any) -> bool:
    from rest_framework.fields import is_simple_callable

    return bool(is_simple_callable(value))


class _Reader:
    """Reads one output field of a row: what DRF's Field.get_attribute does, without its generic lookups.

    Whether the value is a method to call (e.g. `get_status_display`) is learnt from the first row.
    """

    __slots__ = ("attrs", "call", "nullable")

    def __init__(self, attrs: list[str], nullable: bool) -> None:
        self.attrs = attrs
        self.call: bool | None = None
        self.nullable = nullable

    def __call__(self, obj: Any) -> Any:
        value = obj
        try:
            for attr in self.attrs:
                if value is None:
                    return None
                value = getattr(value, attr)
        except ObjectDoesNotExist:
            return None
        if self.call is None:
            self.call = _is_simple_callable(value)
        return value() if self.call else value


class _ChoiceLabelReader:
    """Reads `get_<field>_display()` from a table of the choices' labels in the active language.

    Django's method rebuilds a dictionary of every choice (translating each label) on every call.
    """

    __slots__ = ("attrs", "field_name")
    _labels: ClassVar[dict[tuple[int, str], dict[Any, str]]] = {}

    def __init__(self, attrs: list[str], field_name: str) -> None:
        self.attrs = attrs
        self.field_name = field_name

    def __call__(self, obj: Any) -> Any:
        for attr in self.attrs:
            if obj is None:
                return None
            obj = getattr(obj, attr)
        if obj is None:
            return None
        model_field = obj._meta.get_field(self.field_name)
        key = (id(model_field), get_language() or "")
        labels = self._labels.get(key)
        if labels is None:
            labels = {value: str(label) for value, label in model_field.flatchoices}
            self._labels[key] = labels
        value = getattr(obj, model_field.attname)
        return labels.get(value, value)


_DISPLAY = re.compile(r"^get_(\w+)_display$")


def _reader(field: serializers.Field) -> Any:
    attrs = list(field.source_attrs)
    match = _DISPLAY.match(attrs[-1]) if attrs else None
    if match:
        return _ChoiceLabelReader(attrs[:-1], match.group(1))
    return _Reader(attrs, bool(getattr(field, "allow_null", False)))


def _identity(value: Any) -> Any:
    return value


def _iso_date(value: Any) -> Any:
    return value.isoformat()


class FastRepresentationMixin:
    """Output of read-only model serializers at the cost of a loop over a few prepared readers.

    DRF looks up each field's attribute generically (and builds a model serializer's fields again for
    every request); a page of rows spends most of its time there. The plan (which attribute each field
    reads, how its value is written) is prepared once per serializer class from its declared fields, so
    the output, the schema and the validation stay those of the fields. Rows are read as DRF reads them:
    dotted sources, methods such as `get_status_display`, nested serializers, SerializerMethodFields (on
    the serializer writing the row), and each field's own `to_representation` wherever it does more than
    return the value (dates with times, decimals, choices, slugs).

    The plan is shared by every instance of the class, so it applies only to classes whose fields do not
    change per instance; a class with a nested serializer that is not itself fast (e.g. a list of
    timeline rows, which may read the context) keeps DRF's own output.
    """

    _plans: ClassVar[dict[type, list[tuple[str, Any, Any]] | None]] = {}

    def _plan(self) -> list[tuple[str, Any, Any]] | None:
        kind = type(self)
        if kind not in FastRepresentationMixin._plans:
            fields = list(self._readable_fields)  # type: ignore[attr-defined]
            plan = None
            if not any(
                isinstance(f, serializers.BaseSerializer) and not isinstance(f, FastRepresentationMixin)
                for f in fields
            ):
                plan = [self._plan_entry(field) for field in fields]
            FastRepresentationMixin._plans[kind] = plan
        return FastRepresentationMixin._plans[kind]

    @staticmethod
    def _plan_entry(field: serializers.Field) -> tuple[str, Any, Any]:
        name = str(field.field_name)
        if isinstance(field, serializers.SerializerMethodField):
            return name, field.method_name, None
        if isinstance(field, serializers.PrimaryKeyRelatedField) and len(field.source_attrs) == 1:
            # DRF reads the foreign key's column too (its pk-only optimisation).
            return name, _Reader([f"{field.source}_id"], True), _identity
        reader = _reader(field)
        if isinstance(field, FastRepresentationMixin):
            return name, reader, field
        kind = type(field)
        if kind is serializers.CharField:
            return name, reader, str
        if kind is serializers.IntegerField:
            return name, reader, int
        if kind is serializers.DateField and getattr(field, "format", None) == ISO_8601:
            return name, reader, _iso_date
        return name, reader, field.to_representation

    def to_representation(self, instance: Any) -> Any:
        plan = self._plan()
        if plan is None:
            return super().to_representation(instance)  # type: ignore[misc]
        row: dict[str, Any] = {}
        for name, reader, write in plan:
            if write is None:
                row[name] = getattr(self, reader)(instance)
                continue
            value = reader(instance)
            if value is None:
                row[name] = None
            elif isinstance(write, FastRepresentationMixin):
                row[name] = write.to_representation(value)
            else:
                row[name] = write(value)
        return row
