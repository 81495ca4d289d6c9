"""Forms of the notifications pages: the list filter, preferences, and naming a delegate."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.services import DELEGATION_MAX_DAYS
from portal.core.dates import DayMonthYearField
from portal.core.forms import RequiredMessagesMixin

from .models import NotificationMode
from .registry import ROUTES


class NotificationFilterForm(forms.Form):
    STATE_CHOICES = [("", _("All")), ("unread", _("Unread")), ("read", _("Read"))]

    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("All kinds"))] + [(kind, route.label) for kind, route in ROUTES.items()]

    @property
    def selected_unread(self) -> bool | None:
        state = self.cleaned_data.get("state") if self.is_valid() else ""
        return {"unread": True, "read": False}.get(state or "")

    @property
    def selected_kind(self) -> str:
        return (self.cleaned_data.get("kind") or "") if self.is_valid() else ""


class NotificationPreferencesForm(RequiredMessagesMixin, forms.Form):
    """One radio group per kind of notification: immediately, daily digest, or off."""

    def __init__(self, *args: Any, preferences: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = preferences
        for row in preferences:
            self.fields[row["kind"]] = forms.ChoiceField(
                label=row["label"],
                choices=NotificationMode.choices,
                initial=row["mode"],
                required=False,
                widget=forms.RadioSelect,
                help_text=(
                    _("Always shown in the portal, since it asks something of you; this sets the e-mail.")
                    if row["action_owed"]
                    else ""
                ),
            )

    def modes(self) -> dict[str, str]:
        """The mode chosen per kind; a kind left out of the form keeps its current mode."""
        current = {row["kind"]: row["mode"] for row in self.rows}
        return {kind: str(mode or current[kind]) for kind, mode in self.cleaned_data.items()}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else str(obj.username)


class DelegationForm(RequiredMessagesMixin, forms.Form):
    delegate = UserChoiceField(
        label=_("Delegate"),
        queryset=User.objects.none(),
        help_text=_("The colleague who acts for you and receives your notifications."),
    )
    start_date = DayMonthYearField(label=_("From"))
    end_date = DayMonthYearField(label=_("Until (inclusive)"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False, help_text=_("Optional."))

    def __init__(self, *args: Any, principal: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delegate_field = self.fields["delegate"]
        assert isinstance(delegate_field, forms.ModelChoiceField)
        delegate_field.queryset = (
            User.objects.filter(is_active=True).exclude(pk=principal.pk).order_by("last_name", "first_name")
        )

        self.fields["start_date"].help_text = _("No later than a year from today.")
        self.fields["end_date"].help_text = _(
            "A delegation lasts at most %(days)s days, its first and last day included."
        ) % {"days": DELEGATION_MAX_DAYS}
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())
            self.initial.setdefault("end_date", timezone.localdate() + datetime.timedelta(days=7))
