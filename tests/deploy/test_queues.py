"""Tasks, queues and the compose file agree: each task goes to a queue some worker consumes, and the
stack runs exactly one beat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from portal.celery import app as celery_app

REPO = Path(__file__).resolve().parents[2]


def queue_of(task_name: str) -> str:
    return str(celery_app.amqp.router.route({}, task_name)["queue"].name)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("portal.notifications.tasks.publish_event", "notifications"),
        ("portal.notifications.tasks.send_delivery", "notifications"),
        ("portal.notifications.tasks.outbox_sweep", "notifications"),
        ("portal.notifications.tasks.send_digests", "notifications"),
        ("portal.notifications.tasks.send_reminders", "notifications"),
        ("portal.reports.tasks.export_job_run", "exports"),
        ("portal.reports.tasks.exports_expire", "exports"),
        ("workprogrammes.silence_expire_due", "default"),
    ],
)
def test_each_task_goes_to_its_queue(task_name: str, queue: str) -> None:
    assert queue_of(task_name) == queue


def test_every_portal_task_goes_to_a_known_queue() -> None:
    celery_app.loader.import_default_modules()
    names = [name for name in celery_app.tasks if not name.startswith(("celery.", "tests."))]
    assert len(names) >= 8
    assert {queue_of(name) for name in names} <= set(settings.CELERY_QUEUE_NAMES)


def test_the_compose_workers_consume_every_queue(compose: dict[str, Any]) -> None:
    consumed: set[str] = set()
    for service in compose["services"].values():
        command = service.get("command") or []
        if "worker" in command and "-Q" in command:
            consumed |= set(command[command.index("-Q") + 1].split(","))
    assert consumed == set(settings.CELERY_QUEUE_NAMES)


def test_the_stack_runs_exactly_one_beat(compose: dict[str, Any]) -> None:
    services = compose["services"]
    beats = [name for name, service in services.items() if "beat" in (service.get("command") or [])]
    assert beats == ["beat"]
    assert compose["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_the_web_service_is_probed_on_healthz(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
