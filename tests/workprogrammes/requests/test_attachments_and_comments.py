"""Attachments checked by their bytes and size; comments and their visibility."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from portal.notifications.models import Event
from workprogrammes.requests import services
from workprogrammes.requests.discussion_models import Attachment
from workprogrammes.requests.models import CommentVisibility, InclusionRequest
from workprogrammes.requests.selectors import comments_visible_to

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.bin", "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("agenda.pdf", PDF, "application/pdf"),
        ("map.png", PNG, "image/png"),
        (
            "letter.docx",
            _ooxml("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", _ooxml("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notes.txt", "Réunion à Mons, 14 h.".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_allowed_types_are_recognised_by_their_bytes(
    name: str, content: bytes, content_type: str, officer: User, make_request: MakeRequest
) -> None:
    attachment = services.attachment_add(
        actor=officer, request=make_request("draft"), upload=SimpleUploadedFile(name, content)
    )
    assert (attachment.content_type, attachment.size, attachment.original_name) == (
        content_type,
        len(content),
        name,
    )
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert stored.name != name  # the stored name is never the user's
    assert len(attachment.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", EXE),  # a program renamed .pdf
        ("invoice.exe", EXE),
        ("archive.docx", _plain_zip()),  # a zip that is not an Office document
        ("archive.zip", _ooxml("word/")),
        ("notes.txt", b"\xff\xfe\x00binary\x00"),
        ("notes.csv", b"a,b\n1,2\n"),
        ("image.pdf", PNG),  # right type, wrong name
    ],
)
def test_other_types_are_refused_whatever_their_name(
    name: str, content: bytes, officer: User, make_request: MakeRequest
) -> None:
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=officer, request=make_request("draft"), upload=SimpleUploadedFile(name, content)
        )
    assert "file" in error.value.message_dict
    assert not Attachment.objects.exists()


def test_files_over_the_limit_are_refused(
    officer: User, make_request: MakeRequest, settings: pytest.FixtureRequest
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=r"at most 1\.0"):
        services.attachment_add(
            actor=officer,
            request=make_request("draft"),
            upload=SimpleUploadedFile("big.pdf", PDF + b" " * 1024),
        )


def test_another_desks_officer_cannot_attach(other_officer: User, make_request: MakeRequest) -> None:
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=other_officer, request=make_request("draft"), upload=SimpleUploadedFile("a.pdf", PDF)
        )


def test_comment_visibility_internal_and_shared(
    officer: User, reviewer: User, viewer: User, make_request: MakeRequest
) -> None:
    request = make_request("under_review")
    services.comment_add(actor=reviewer, request=request, body="Check with J5 first.", visibility="internal")
    services.comment_add(actor=reviewer, request=request, body="Please add the dates.", visibility="shared")
    services.comment_add(actor=officer, request=request, body="Dates added.")
    assert [c.body for c in comments_visible_to(user=reviewer, request=request)] == [
        "Check with J5 first.",
        "Please add the dates.",
        "Dates added.",
    ]
    assert [c.body for c in comments_visible_to(user=officer, request=request)] == [
        "Please add the dates.",
        "Dates added.",
    ]
    assert list(comments_visible_to(user=viewer, request=request)) == []
    assert Event.objects.filter(kind="request.commented").count() == 3


def test_officer_cannot_write_internal_comments(
    officer: User, viewer: User, make_request: MakeRequest
) -> None:
    request = make_request("under_review")
    with pytest.raises(ValidationError) as error:
        services.comment_add(
            actor=officer, request=request, body="Psst", visibility=CommentVisibility.INTERNAL
        )
    assert "visibility" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=viewer, request=request, body="Looks fine")
