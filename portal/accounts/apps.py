from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The apps whose permissions the roles hold; each one's post_migrate refreshes the roles, so the last of
# them to migrate leaves every role complete.
ROLE_PERMISSION_APPS = frozenset({"accounts", "partners", "operations", "workprogrammes"})


def roles_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Keep the role groups (reference data) in step with the permissions after every migrate."""
    if sender.label not in ROLE_PERMISSION_APPS:
        return
    from .services import roles_ensure

    roles_ensure(using=using)


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(roles_after_migrate, dispatch_uid="accounts.roles_after_migrate")
        # History snapshots every column, including the _en/_fr ones modeltranslation adds in its ready().
        import pghistory

        from .models import Desk

        pghistory.track()(Desk)
