"""The one-time code form of the two-factor pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
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


class SignInForm(AuthenticationForm):
    """Django's sign-in form, warning after a wrong password when the next one would lock (lockout.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is wrong. Check both and try again; capital letters count."
        ),
        "inactive": _("This account is closed. Ask a portal administrator to open it again."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            from .lockout import last_attempt_warning

            if self.request is not None and self.cleaned_data.get("username"):
                warning = last_attempt_warning(self.request, {"username": self.cleaned_data["username"]})
                if warning:
                    raise forms.ValidationError([*error.error_list, forms.ValidationError(warning)]) from None
            raise
