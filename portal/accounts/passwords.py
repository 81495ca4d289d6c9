"""A changed password revokes the account's API tokens, whichever way it was changed.

Django calls `password_changed` of every entry of AUTH_PASSWORD_VALIDATORS when a user whose password
was set with `set_password` is saved (AbstractBaseUser.save). Every way of changing a password goes
through that save: the admin's forms (a user's "Change password" and the administrator's own), Django's
`manage.py changepassword`, `accounts.services.user_password_set`, a shell. Revoking the tokens here
makes the rule hold on all of them, including the ones the portal does not write itself. It refuses
no password; its help text tells the person choosing one what the change does.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import User
from .services import tokens_revoke_all


class PasswordChangeRevokesApiTokens:
    """Not a rule on the password itself: the hook Django gives for "this user's password has changed"."""

    def validate(self, password: str, user: User | None = None) -> None:
        return None

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None and user.pk is not None:
            tokens_revoke_all(user=user, reason="password_changed")

    def get_help_text(self) -> str:
        return _("A new password revokes the account's API tokens.")
