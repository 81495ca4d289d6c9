"""Settings of the Celery worker that the notification tests start: the test settings, plus a mailbox
file the test can read, and the queue and broker options the test chose for its run."""

import json
import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

# The test's mailbox file, unless the test points the worker at a mail server of its own (EMAIL_URL).
if "NOTIF_TEST_SMTP" in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "tests.notifications.mailbox.EmailBackend"
# Connections kept from task to task, as in production (the test settings close them after each request).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("NOTIF_TEST_QUEUE", "celery")
# Tasks queued by the worker go to the test's queue too, not to the queues the settings route them to.
CELERY_TASK_ROUTES: dict = {}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    **json.loads(os.environ.get("NOTIF_TEST_TRANSPORT_OPTIONS", "{}")),
}
