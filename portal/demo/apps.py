from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that `manage.py load_demo` is found: the demo data set has no tables of its own."""

    name = "portal.demo"
    label = "demo"
    verbose_name = "Demo data"
