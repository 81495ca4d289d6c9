from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkprogrammesConfig(AppConfig):
    """One app (label "workprogrammes") in four parts: catalogue/, programmes/, requests/ and council/."""

    name = "workprogrammes"
    verbose_name = _("Work programmes")

    def ready(self) -> None:
        # History snapshots every column, including the _en/_fr ones modeltranslation adds in its ready().
        from portal.core.history import track_history

        from .models import HISTORY_TRACKED

        track_history(*HISTORY_TRACKED)
        # Registers the django-rules permissions (user.has_perm("workprogrammes....")) of each part, the
        # parts' admin pages (the admin looks for workprogrammes.admin only), and the Council's beat task
        # (Celery looks for workprogrammes.tasks only).
        from .catalogue import admin as catalogue_admin  # noqa: F401
        from .catalogue import permissions as catalogue_permissions  # noqa: F401
        from .council import admin as council_admin  # noqa: F401
        from .council import permissions as council_permissions  # noqa: F401
        from .council import tasks  # noqa: F401
        from .programmes import admin as programmes_admin  # noqa: F401
        from .programmes import permissions as programmes_permissions  # noqa: F401
        from .requests import admin as requests_admin  # noqa: F401
        from .requests import discussion_permissions  # noqa: F401
        from .requests import permissions as requests_permissions  # noqa: F401
