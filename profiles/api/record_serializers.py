"""API inputs for keeping a partner's record current, validated by the very forms the pages use.

Each input serializer lists the fields its service writes (partners/services.py, operations/services.py)
so the schema documents them; its validation then runs the page's form (partners/forms.py,
operations/forms.py) on the record's current values merged with what was sent, so the rules a form adds
(a required English title, operations still running, a currency in capitals) exist once.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from operations.forms import ContributionForm
from operations.models import Contribution, Operation
from operations.services import CONTRIBUTION_FIELDS
from partners.forms import DialogueMeetingForm, LiaisonArrangementForm, MilestoneForm
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    PartnerEngagementLevel,
)
from partners.services import DIALOGUE_MEETING_FIELDS, LIAISON_ARRANGEMENT_FIELDS, MILESTONE_FIELDS
from portal.api.serializers import StrictInputSerializer
from portal.api.serializers import translated as translated_fields


def _form_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class FormValidatedInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """Validates with the page's form; `validated_data` holds the form's cleaned values of the fields sent
    (all of the form's fields when creating)."""

    form_class: ClassVar[type[forms.ModelForm]]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fields = list(self.form_class._meta.fields or [])
        data = forms.model_to_dict(self.instance, fields=fields) if self.instance is not None else {}
        data = {name: _form_value(value) for name, value in data.items() if value is not None}
        data.update({name: _form_value(value) for name, value in attrs.items()})
        form = self.form_class(data=data, instance=self.instance)
        if not form.is_valid():
            raise serializers.ValidationError(_form_errors(form))
        sent = set(attrs) if self.instance is not None else set(fields)
        return {name: value for name, value in form.cleaned_data.items() if name in sent}


def _form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == "__all__" else name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


class MilestoneInputSerializer(FormValidatedInputSerializer):
    form_class = MilestoneForm

    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)


class DialogueMeetingInputSerializer(FormValidatedInputSerializer):
    form_class = DialogueMeetingForm

    class Meta:
        model = DialogueMeeting
        fields = list(DIALOGUE_MEETING_FIELDS)


class LiaisonArrangementInputSerializer(FormValidatedInputSerializer):
    form_class = LiaisonArrangementForm
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Operation.objects.alive(),
        required=False,
        allow_null=True,
        help_text=_("Operation code, e.g. isaf, when posted to an operational HQ."),
    )

    class Meta:
        model = LiaisonArrangement
        fields = list(LIAISON_ARRANGEMENT_FIELDS)


class ContributionInputSerializer(FormValidatedInputSerializer):
    form_class = ContributionForm
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", queryset=Operation.objects.alive(), help_text=_("Operation code, e.g. isaf.")
    )

    class Meta:
        model = Contribution
        fields = list(CONTRIBUTION_FIELDS)


class ContributionRecordSerializer(serializers.ModelSerializer):
    """A contribution as its partner's record keeps it (every field the officer writes)."""

    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            *CONTRIBUTION_FIELDS,
            *translated_fields("command_arrangement", "decision_making_association", "description"),
            "updated_at",
        ]
        fields = list(dict.fromkeys(fields))
        read_only_fields = fields


class CooperationInputSerializer(StrictInputSerializer):
    """The areas the partner chose and its engagement level, both given in full."""

    engagement_level = serializers.ChoiceField(choices=PartnerEngagementLevel.choices)
    areas: serializers.SlugRelatedField[CooperationArea] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CooperationArea.objects.all(),
        many=True,
        help_text=_("Codes of every area the partner chose (those left out are dropped)."),
    )


class HistoryChangeSerializer(serializers.Serializer):
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    old = serializers.CharField(read_only=True)
    new = serializers.CharField(read_only=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One change to the partner's record (record_selectors.HistoryEntry)."""

    at = serializers.DateTimeField(read_only=True)
    user = serializers.SerializerMethodField()
    record_kind = serializers.CharField(read_only=True)
    record_title = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    changes = HistoryChangeSerializer(many=True, read_only=True)

    def get_user(self, entry: Any) -> str | None:
        """The username of who made the change; empty for changes the portal made itself."""
        return entry.user.get_username() if entry.user is not None else None
