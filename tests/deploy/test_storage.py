"""Uploads on several hosts: STORAGE_BACKEND=s3 puts them in a private bucket (django-storages)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "class": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "bucket": default_storage.bucket_name,
    "endpoint": default_storage.endpoint_url,
    "region": default_storage.region_name,
    "acl": default_storage.default_acl,
    "signed_urls": default_storage.querystring_auth,
    "overwrite": default_storage.file_overwrite,
}))
"""


def _settings_process(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "PYTHONPATH": str(REPO),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_default_is_the_file_system() -> None:
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_keeps_files_private_behind_signed_links() -> None:
    result = _settings_process(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="ccportal-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="",  # as docker-compose passes an unset variable
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {
        "class": "storages.backends.s3.S3Storage",
        "bucket": "ccportal-files",
        "endpoint": "https://s3.example.org",
        "region": None,
        "acl": "private",
        "signed_urls": True,
        "overwrite": False,
    }


def test_an_unknown_backend_stops_the_start() -> None:
    result = _settings_process(STORAGE_BACKEND="ftp")
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be filesystem or s3" in result.stderr
