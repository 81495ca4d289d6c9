"""Uploaded files are never executed nor shown inline: downloaded as attachments, sandboxed, not guessed,
stored where no URL serves them; and their type is judged from their bytes (more in
tests/workprogrammes/requests/test_attachments_and_comments.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.security.world import PDF_BYTES, World, build_world
from workprogrammes.requests import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_attachments_download_as_files_in_a_sandbox(world: World) -> None:
    client = Client()
    client.force_login(world.users["reviewer"])
    for path in (
        f"/requests/attachments/{world.attachment.pk}/",
        f"/api/v1/attachments/{world.attachment.pk}/download/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Disposition"].startswith("attachment;"), path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("report.pdf.html", PDF_BYTES),
    ],
)
def test_script_capable_or_disguised_files_are_refused(world: World, name: str, content: bytes) -> None:
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.users["officer"], request=world.request, upload=SimpleUploadedFile(name, content)
        )


def test_stored_files_have_no_url(world: World) -> None:
    stored = Path(world.attachment.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() in stored.parents
    assert Path(settings.STATIC_ROOT).resolve() not in stored.parents
    client = Client()
    client.force_login(world.users["administrator"])
    relative = stored.relative_to(Path(settings.MEDIA_ROOT).resolve())
    for prefix in (settings.MEDIA_URL, "/media/"):
        assert client.get(f"/{prefix.strip('/')}/{relative}").status_code == 404
