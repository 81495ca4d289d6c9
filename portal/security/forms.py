"""The one-time code form of the two-factor pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import RequiredMessagesMixin


class TokenForm(RequiredMessagesMixin, forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        help_text=_("The code your authenticator app shows now; it changes every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
        ),
    )

    def add_service_errors(self, error: forms.ValidationError) -> None:
        """Put a service's ValidationError on the form: by field where the form has it, else on top."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
