from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from . import celery_context
        from .protection import protect_after_migrate

        post_migrate.connect(protect_after_migrate, dispatch_uid="audit.protect_after_migrate")
        celery_context.connect()
