"""Writing the demo's rows idempotently: each found by its natural key and saved only when a value
differs, with a tally of what a run created and updated."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from modeltranslation.translator import NotRegistered, translator

M = TypeVar("M", bound=models.Model)


@dataclass
class Tally:
    """How many rows of each model a run created and updated."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    def record(self, model: type[models.Model], *, created: bool, updated: bool) -> None:
        name = model._meta.verbose_name_plural
        if created:
            self.created[str(name)] += 1
        elif updated:
            self.updated[str(name)] += 1


def _translated_originals(model: type[models.Model]) -> dict[str, str]:
    """Map each `<field>_<lang>` column of a bilingual model to its original field."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {tf.name: original for original, tfields in options.all_fields.items() for tf in tfields}


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    if isinstance(value, models.Model):
        return bool(getattr(obj, f"{name}_id") != value.pk)
    return bool(getattr(obj, name) != value)


def upsert(model: type[M], tally: Tally, lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by its natural key; create it, or save only the fields whose value differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        tally.record(model, created=True, updated=False)
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        update_fields = set(changed)
        # modeltranslation keeps the original column (the default language's value) in step only
        # when the original field is saved too.
        originals = _translated_originals(model)
        update_fields |= {originals[name] for name in changed if name in originals}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.add("updated_at")
        obj.save(update_fields=sorted(update_fields))
        tally.record(model, created=False, updated=True)
    return obj


def set_m2m(manager: Any, wanted: list[models.Model]) -> None:
    """Make a many-to-many relation hold exactly these rows, touching nothing when it already does."""
    if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in wanted}:
        manager.set(wanted)


def load_by_code(model: type[M], tally: Tally, rows: list[dict[str, Any]]) -> dict[str, M]:
    """Reference rows whose natural key is their `code`."""
    loaded = {}
    for row in rows:
        values = {name: value for name, value in row.items() if name != "code"}
        loaded[row["code"]] = upsert(model, tally, {"code": row["code"]}, values)
    return loaded
