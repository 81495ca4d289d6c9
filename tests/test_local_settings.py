"""`make run`'s settings: found once by portal/ops/local_services.py, read by portal/settings/local.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings

from portal.ops import local_services as services

IMPORT_WITHOUT_NETWORK = """
import socket, subprocess

def refused(*args, **kwargs):
    raise AssertionError("importing the settings opened a connection or started a process")

socket.socket.connect = refused
socket.create_connection = refused
subprocess.Popen.__init__ = refused
import portal.settings.local as local
print(local.DATABASES["default"]["USER"], local.DATABASES["default"]["NAME"], local.CELERY_TASK_ALWAYS_EAGER)
"""


def test_importing_the_local_settings_connects_to_nothing_and_starts_nothing() -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "DJANGO_SETTINGS_MODULE"))
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_NETWORK],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["ccportal_app", "ccportal"]


def test_urls_name_the_server_by_address_or_by_socket_directory() -> None:
    env = environ.Env()
    tcp = env.db_url_config(services.Server("127.0.0.1:5432", "", {}).url(services.APP_ROLE))
    assert (tcp["USER"], tcp["HOST"], tcp["PORT"], tcp["NAME"]) == (
        "ccportal_app",
        "127.0.0.1",
        5432,
        "ccportal",
    )
    socket_dir = "/srv/portal/var/pgdata"
    embedded = env.db_url_config(services.Server("", socket_dir, {}).url(services.OWNER_ROLE))
    assert (embedded["USER"], embedded["HOST"], embedded["NAME"]) == ("ccportal_owner", "", "ccportal")
    assert embedded["OPTIONS"]["host"] == socket_dir  # libpq's host: the socket directory


def test_without_redis_tasks_run_eagerly_and_the_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example.org/portal")  # the database: given
    monkeypatch.delenv("CELERY_TASK_ALWAYS_EAGER", raising=False)
    monkeypatch.setattr(services, "answers", lambda host, port: False)

    found = services.local_services(tmp_path)

    assert found == {"CELERY_TASK_ALWAYS_EAGER": "true"}
    lines = services.env_file(tmp_path).read_text().splitlines()
    assert lines[0].startswith("#") and lines[1:] == ["CELERY_TASK_ALWAYS_EAGER=true"]


def test_with_redis_the_file_names_no_eager_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example.org/portal")
    monkeypatch.delenv("CELERY_TASK_ALWAYS_EAGER", raising=False)
    monkeypatch.setattr(services, "answers", lambda host, port: port == 6379)

    assert services.local_services(tmp_path) == {}
    assert services.env_file(tmp_path).read_text().splitlines()[1:] == []
