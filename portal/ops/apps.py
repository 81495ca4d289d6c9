from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "portal.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import metrics, request_id

        # Publishing happens in web processes and workers alike: both need the request id handlers.
        request_id.connect_celery_signals()
        metrics.connect_celery_signals()
