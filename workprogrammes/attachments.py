"""What an uploaded attachment really is, judged from its bytes (magic numbers), not from its name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain; charset=utf-8"

# Types recognised by their magic bytes, with the file name endings that may carry them.
MAGIC_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}
# Office Open XML files are zip archives; the extension says which one, the archive must agree.
OOXML_TYPES: dict[str, tuple[str, str]] = {".docx": (DOCX, "word/"), ".xlsx": (XLSX, "xl/")}
ZIP_GUESSES = frozenset({"application/zip", DOCX, XLSX})


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """The file's real type, size and digest; ValidationError if it is too big or not an allowed type."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                _("Attachments may be at most %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_big"
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    content_type = _content_type(upload, PurePath(upload.name or "").suffix.lower())
    upload.seek(0)
    return CheckedFile(content_type=content_type, size=size, sha256=digest.hexdigest())


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "This type of file cannot be attached. Attach a PDF, PNG or JPEG file, a Word (.docx) or "
            "Excel (.xlsx) document, or a plain text file (.txt)."
        ),
        code="type_not_allowed",
    )


def _content_type(upload: UploadedFile, suffix: str) -> str:
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None:
        # Plain text has no magic number: accept it only as .txt that is valid UTF-8 without NULs.
        if suffix != ".txt":
            raise _refuse()
        upload.seek(0)
        data = upload.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse() from None
        if "\x00" in text:
            raise _refuse()
        return TEXT
    if kind.mime in MAGIC_TYPES:
        if suffix not in MAGIC_TYPES[kind.mime]:
            raise ValidationError(
                _("The file's name does not match its content (%(type)s).") % {"type": kind.mime},
                code="name_mismatch",
            )
        return kind.mime
    if kind.mime in ZIP_GUESSES and suffix in OOXML_TYPES:
        mime, folder = OOXML_TYPES[suffix]
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            raise _refuse() from None
        if "[Content_Types].xml" in names and any(name.startswith(folder) for name in names):
            return mime
    raise _refuse()
