"""Serializer helpers shared by the apps' API packages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.fields import NONE as _MT_NONE
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


class _TranslatedReader:
    """Reads a modeltranslation field (`name`: the active language's column, or a fallback's) as its
    descriptor does, given the languages to try, which the row's writer resolves once for all its fields.

    The descriptor looks up the active language and its fallbacks again for every field of every row;
    a page of partners spent a third of its time there.
    """

    __slots__ = ("attr", "descriptor", "undefined")

    def __init__(self, attr: str, descriptor: Any) -> None:
        self.attr = attr
        self.descriptor = descriptor
        undefined = descriptor.fallback_undefined
        self.undefined = descriptor.field.get_default() if undefined is _MT_NONE else undefined

    def __call__(self, obj: Any, languages: tuple[str, ...]) -> Any:
        for language in languages:
            value = getattr(obj, f"{self.attr}_{language.replace('-', '_')}", None)
            if self.descriptor.meaningful_value(value, self.undefined):
                return value
        # No language has a value: the descriptor's own answer (its fallback value or the default).
        return self.descriptor.__get__(obj, type(obj))


def _languages() -> tuple[str, ...]:
    """The languages a translated field is read in, in order: the active one, then its fallbacks."""
    from modeltranslation.utils import get_language as mt_get_language
    from modeltranslation.utils import resolution_order

    return tuple(resolution_order(mt_get_language()))


def _translated_descriptor(serializer: Any, field: serializers.Field) -> Any:
    """The modeltranslation descriptor a field reads directly from the serializer's model, if any."""
    from modeltranslation.fields import TranslationFieldDescriptor

    model = getattr(getattr(serializer, "Meta", None), "model", None)
    attrs = list(field.source_attrs)
    if model is None or len(attrs) != 1:
        return None
    descriptor = model.__dict__.get(attrs[0])
    if isinstance(descriptor, TranslationFieldDescriptor) and descriptor.fallback_languages is None:
        return descriptor
    return None


class _ListWriter:
    """A nested list (`many=True`) of a fast serializer: what DRF's ListSerializer writes."""

    __slots__ = ("child",)

    def __init__(self, child: Any) -> None:
        self.child = child

    def __call__(self, value: Any, languages: tuple[str, ...]) -> list[Any]:
        rows = value.all() if isinstance(value, BaseManager) else value
        write = self.child.write_row
        return [write(row, languages) for row in rows]


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


# The fast output's implementation. It has no docstring on purpose: drf-spectacular describes a
# serializer without a docstring of its own by the first docstring in its classes, and this class's would
# describe every such serializer in the API schema. FastRepresentationMixin (below) carries the
# description; serializers that have no description use FastOutputMixin.
# How a plan entry is written: its reader's value through its writer (PLAIN), its reader given the row's
# languages (TRANSLATED), or a nested fast serializer given the row's languages (NESTED), so that the
# languages are resolved once per row of the list, not once per nested row.
PLAIN, TRANSLATED, NESTED = 0, 1, 2


class FastOutputMixin:
    _plans: ClassVar[dict[type, list[tuple[str, Any, Any, int]] | None]] = {}

    def _plan(self) -> list[tuple[str, Any, Any, int]] | None:
        kind = type(self)
        if kind not in FastOutputMixin._plans:
            fields = list(self._readable_fields)  # type: ignore[attr-defined]
            plan = None
            if all(_is_fast_nested(f) for f in fields if isinstance(f, serializers.BaseSerializer)):
                plan = [self._plan_entry(field) for field in fields]
            FastOutputMixin._plans[kind] = plan
        return FastOutputMixin._plans[kind]

    def _plan_entry(self, field: serializers.Field) -> tuple[str, Any, Any, int]:
        """(output name, reader, writer, how it is written: PLAIN, TRANSLATED or NESTED)."""
        name = str(field.field_name)
        if isinstance(field, serializers.SerializerMethodField):
            return name, field.method_name, None, PLAIN
        if isinstance(field, serializers.PrimaryKeyRelatedField) and len(field.source_attrs) == 1:
            # DRF reads the foreign key's column too (its pk-only optimisation).
            return name, _Reader([f"{field.source}_id"], True), _identity, PLAIN
        if isinstance(field, serializers.ListSerializer):
            return name, _Reader(list(field.source_attrs), False), _ListWriter(field.child), NESTED
        reader = _reader(field)
        if isinstance(field, FastOutputMixin):
            return name, reader, field.write_row, NESTED
        kind = type(field)
        descriptor = _translated_descriptor(self, field) if kind is serializers.CharField else None
        if descriptor is not None:
            return name, _TranslatedReader(field.source_attrs[0], descriptor), str, TRANSLATED
        if kind is serializers.CharField:
            return name, reader, str, PLAIN
        if kind is serializers.IntegerField:
            return name, reader, int, PLAIN
        if kind is serializers.DateField and getattr(field, "format", None) == ISO_8601:
            return name, reader, _iso_date, PLAIN
        return name, reader, field.to_representation, PLAIN

    def to_representation(self, instance: Any) -> Any:
        if self._plan() is None:
            return super().to_representation(instance)  # type: ignore[misc]
        return self.write_row(instance, None)

    def write_row(self, instance: Any, languages: tuple[str, ...] | None) -> Any:
        """The row's output; `languages` are those its translated fields are read in (None: resolved here,
        once, if a field needs them), handed on to nested rows."""
        plan = self._plan()
        if plan is None:
            return super().to_representation(instance)  # type: ignore[misc]
        row: dict[str, Any] = {}
        for name, reader, write, how in plan:
            if write is None:
                row[name] = getattr(self, reader)(instance)
                continue
            if how == PLAIN:
                value = reader(instance)
                row[name] = None if value is None else write(value)
                continue
            if languages is None:
                languages = _languages()
            if how == TRANSLATED:
                value = reader(instance, languages)
                row[name] = None if value is None else str(value)
            else:
                value = reader(instance)
                row[name] = None if value is None else write(value, languages)
        return row


def _is_fast_nested(field: serializers.BaseSerializer) -> bool:
    """A nested serializer the plan writes: a fast one, or a list of a fast one."""
    if isinstance(field, serializers.ListSerializer):
        return isinstance(field.child, FastOutputMixin)
    return isinstance(field, FastOutputMixin)


class FastRepresentationMixin(FastOutputMixin):
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
