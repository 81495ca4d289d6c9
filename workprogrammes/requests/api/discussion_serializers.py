"""API representations of what surrounds a request: its revisions and their differences, its comments and
its attached files (with the inputs to add them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.accounts.serializers import UserRefSerializer
from portal.api.serializers import StrictInputSerializer
from portal.core.models import Marking

from ..discussion_models import Attachment, Comment
from ..models import CommentVisibility, RequestRevision


class RevisionSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    snapshot = serializers.DictField(child=serializers.CharField(allow_blank=True), read_only=True)

    class Meta:
        model = RequestRevision
        fields = ["number", "snapshot", "created_by", "created_at"]
        read_only_fields = fields


class FieldDifferenceSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    pieces = serializers.ListField(
        child=serializers.ListField(
            child=serializers.CharField(allow_blank=True), min_length=2, max_length=2
        ),
        read_only=True,
        help_text=_('[kind, text] pairs; kind is "same", "removed" or "added".'),
    )


class RevisionDifferenceSerializer(serializers.Serializer):
    before = serializers.IntegerField(source="before.number", read_only=True)
    after = serializers.IntegerField(source="after.number", read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    fields = FieldDifferenceSerializer(many=True, read_only=True)  # type: ignore[assignment]


class RevisionsSerializer(serializers.Serializer):
    revisions = RevisionSerializer(many=True, read_only=True)
    differences = RevisionDifferenceSerializer(many=True, read_only=True)


class CommentSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "visibility", "marking", "releasability", "created_at"]
        read_only_fields = fields


class CommentInputSerializer(StrictInputSerializer):
    body = serializers.CharField(max_length=10000)
    visibility = serializers.ChoiceField(choices=CommentVisibility.choices, default=CommentVisibility.SHARED)
    marking = serializers.ChoiceField(choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED)


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "marking",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        return f"/api/v1/attachments/{obj.pk}/download/"


class AttachmentInputSerializer(StrictInputSerializer):
    file = serializers.FileField(
        help_text=_("The file (multipart/form-data); its type is checked from its bytes.")
    )
    marking = serializers.ChoiceField(choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED)
