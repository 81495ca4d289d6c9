"""Sentry: started only when SENTRY_DSN is set, for Django and Celery, with the request id on events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

REPO = Path(__file__).resolve().parents[2]

# Run in a fresh process: the SDK patches Django and Celery for the rest of the process it starts in.
PROBE = """
import json, django, sentry_sdk
django.setup()
from django.conf import settings
from django_guid import set_guid
client = sentry_sdk.get_client()
set_guid("rid-42")
event = client.options["before_send"]({}, {})
print(json.dumps({
    "active": client.is_active(),
    "integrations": sorted(client.integrations),
    "pii": client.options["send_default_pii"],
    "environment": client.options["environment"],
    "tags": event.get("tags", {}),
}))
"""


def test_sentry_is_off_without_a_dsn() -> None:
    assert not sentry_sdk.get_client().is_active()


def test_sentry_starts_for_django_and_celery_with_a_dsn() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        # Nothing listens there, and nothing is sent: no event is captured.
        "SENTRY_DSN": "http://publickey@127.0.0.1:9/1",
        "SENTRY_ENVIRONMENT": "staging",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["active"] is True
    assert {"django", "celery"} <= set(probe["integrations"])
    assert probe["pii"] is False
    assert probe["environment"] == "staging"
    assert probe["tags"] == {"request_id": "rid-42"}
