"""History tracking for domain models.

Bilingual models get their `_en`/`_fr` columns from django-modeltranslation, which adds them when the
app's `translation` module registers the model. History has to snapshot those columns too, so each
app's models module registers its translations first and then calls `track_history` for its models.
"""

import pghistory
from django.db import models


def track_history(*model_classes: type[models.Model]) -> None:
    """Record every insert and update of these models in their event tables (database triggers)."""
    for model_class in model_classes:
        pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())(
            model_class
        )
