"""The discussion around an inclusion request: its comments (shared with the desk, or internal to the
staff) and its attached files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import MarkedModel

from .models import CommentVisibility, InclusionRequest


class Comment(MarkedModel):
    """A remark on a request.

    Everyone involved is NATO staff, so visibility is about roles, not about the outside world:
    "internal" is read by reviewers, council secretaries and administrators only; "shared" is
    read by them and by the officers of the requesting desk (the partner's desk).
    """

    Visibility = CommentVisibility

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=CommentVisibility.values), name="comment_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(body__regex=r"\S"), name="comment_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """Private folder under MEDIA_ROOT (never served directly); the stored name is not the user's."""
    return f"private/requests/{instance.request_id}/{uuid.uuid4().hex}"


class Attachment(MarkedModel):
    """A file attached to a request: its type checked from its bytes, downloaded only via a view."""

    request = models.ForeignKey(InclusionRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="attachment_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
