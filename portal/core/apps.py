from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # The rules (django-rules) live in each app's permissions.py, which the rules app's own
        # autodiscovery (it looks for rules.py) does not import; without this, `portal.browse` and the
        # apps' object rules would not exist and every has_perm() would answer False.
        autodiscover_modules("permissions")
