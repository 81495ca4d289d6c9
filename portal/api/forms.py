"""The form on the API tokens page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import RequiredMessagesMixin

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In one year")),
    ("never", _("Never")),
]


class ApiTokenForm(RequiredMessagesMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires"]
        return None if value == "never" else int(value)
