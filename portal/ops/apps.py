from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "portal.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import metrics, request_id

        # Tasks run in workers, and eagerly in web processes: both need the request id handlers.
        request_id.connect_celery_signals()
        metrics.connect_celery_signals()
