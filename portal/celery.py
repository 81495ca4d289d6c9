"""The Celery application: settings under the CELERY_ namespace, tasks autodiscovered from the apps."""

import os

from celery import Celery

from portal.ops.worker import install as install_operations

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The workers' heartbeat (read by /readyz) and the portal's JSON logging in workers and beat.
install_operations(app)
