"""Writes about users: roles (groups and their permissions), accounts, delegations ("acting for")."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable

import pghistory.models
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import Marking

from .models import Delegation, Desk, Role, User

security_log = logging.getLogger("portal.security")


# A delegation covers an absence (leave, a mission), not a standing transfer of rights: it lasts at
# most DELEGATION_MAX_DAYS days and starts within DELEGATION_START_WINDOW_DAYS from today.
DELEGATION_MAX_DAYS = 90
DELEGATION_START_WINDOW_DAYS = 365


@transaction.atomic
def delegation_create(
    *, principal: User, delegate: User, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> Delegation:
    """Name a delegate for a date range; refuses oneself, inactive users, past, distant or over-long
    ranges, and overlaps."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if delegate.pk == principal.pk:
        errors["delegate"] = _("You cannot delegate to yourself.")
    elif not delegate.is_active:
        errors["delegate"] = _("This user account is disabled.")
    if start_date > today + datetime.timedelta(days=DELEGATION_START_WINDOW_DAYS):
        errors["start_date"] = _("A delegation starts within a year from today.")
    if end_date < start_date:
        errors["end_date"] = _("The end date must be on or after the start date.")
    elif end_date < today:
        errors["end_date"] = _("The delegation would already be over.")
    elif (end_date - start_date).days + 1 > DELEGATION_MAX_DAYS:
        errors["end_date"] = _("A delegation lasts at most %(days)s days; name it again when it ends.") % {
            "days": DELEGATION_MAX_DAYS
        }
    if errors:
        raise ValidationError(errors)
    # Serialise concurrent creations by the same principal so the overlap check holds.
    User.objects.select_for_update().filter(pk=principal.pk).get()
    overlapping = Delegation.objects.filter(
        principal=principal,
        delegate=delegate,
        revoked_at__isnull=True,
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if overlapping.exists():
        raise ValidationError({"start_date": _("This person is already your delegate during these dates.")})
    return Delegation.objects.create(
        principal=principal, delegate=delegate, start_date=start_date, end_date=end_date, reason=reason
    )


@transaction.atomic
def delegation_end(*, delegation: Delegation, by: User) -> Delegation:
    """End a delegation now; only its principal (or the delegate, stepping down) may do so."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if by.pk not in (delegation.principal_id, delegation.delegate_id):
        raise PermissionError("Only the principal or the delegate may end a delegation.")
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    return delegation


# Roles: the Django groups named after `Role`, with the model permissions each role needs (reference data).

DOMAIN_APPS: tuple[str, ...] = ("partners", "operations", "workprogrammes")
# Officers record what happens on their desk's partners: programmes and their activities, contributions,
# liaison, dialogue and milestones. Everything else they only read.
OFFICER_EDITABLE_MODELS: frozenset[tuple[str, str]] = frozenset(
    {
        ("workprogrammes", "workprogramme"),
        ("workprogrammes", "programmeactivity"),
        ("operations", "contribution"),
        ("partners", "liaisonarrangement"),
        ("partners", "dialoguemeeting"),
        ("partners", "milestone"),
    }
)


# Administrators unlock accounts locked after failed sign-ins (django-axes) and remove a lost
# authenticator (django-otp's TOTP devices) in the admin.
SECURITY_ADMIN_APPS: tuple[str, ...] = ("axes", "otp_totp")


def _history_models() -> set[tuple[str, str]]:
    """(app label, model name) of pghistory's event models: their rows are written by triggers only."""
    return {
        (model._meta.app_label, model._meta.model_name or "")
        for model in django_apps.get_models(include_auto_created=True)
        if issubclass(model, pghistory.models.Event)
    }


def _role_permissions(*, using: str) -> dict[str, set[int]]:
    """The permission ids each role should hold, computed from the permissions that exist now."""
    history = _history_models()
    rows = Permission.objects.using(using).filter(
        content_type__app_label__in=(*DOMAIN_APPS, "accounts", "pghistory", *SECURITY_ADMIN_APPS)
    )
    view: set[int] = set()
    officer: set[int] = set()
    administrator: set[int] = set()
    for pk, app_label, model, codename in rows.values_list(
        "pk", "content_type__app_label", "content_type__model", "codename"
    ):
        action = codename.split("_", 1)[0]
        if app_label == "pghistory":
            # The admin's aggregated "Events" pages, which the administrator's history links lead to.
            if action == "view":
                administrator.add(pk)
            continue
        if app_label in DOMAIN_APPS and action == "view":
            view.add(pk)
            if (app_label, model) in OFFICER_EDITABLE_MODELS:
                officer.add(pk)
        if (app_label, model) in OFFICER_EDITABLE_MODELS and action in ("add", "change"):
            officer.add(pk)
        if (app_label, model) in history and action != "view":
            continue
        administrator.add(pk)
    return {
        Role.VIEWER: view,
        Role.OFFICER: view | officer,
        Role.REVIEWER: set(view),
        Role.COUNCIL_SECRETARY: set(view),
        Role.ANALYST: set(view),
        Role.ADMINISTRATOR: administrator,
    }


def roles_ensure(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Group]:
    """Create the role groups and give each exactly its permissions; running it again changes nothing.

    The code is the reference for what a role may do: permissions added to a role group by hand are
    removed on the next run (after every `migrate`).
    """
    with transaction.atomic(using=using):
        wanted = _role_permissions(using=using)
        groups: dict[str, Group] = {}
        for role in Role:
            group, _created = Group.objects.using(using).get_or_create(name=role.value)
            held = set(group.permissions.values_list("pk", flat=True))
            if held != wanted[role]:
                group.permissions.set(wanted[role])
            groups[role.value] = group
        return groups


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    roles: Iterable[str],
    desks: Iterable[Desk] = (),
    clearance: int = Marking.NATO_UNCLASSIFIED,
    preferred_language: str = "en",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user with roles and desks; refuses a taken username, an unknown role or a weak password."""
    role_names = set(roles)
    unknown = role_names - set(Role.values)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValidationError({"roles": _("Unknown role: %(roles)s.") % {"roles": names}})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with this username already exists.")})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        clearance=clearance,
        preferred_language=preferred_language,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    groups = list(Group.objects.filter(name__in=role_names))
    if len(groups) != len(role_names):
        # The role groups are made after `migrate`; a fresh test database may not have them yet.
        all_groups = roles_ensure()
        groups = [all_groups[name] for name in role_names]
    user.groups.set(groups)
    for desk in desks:
        desk.members.add(user)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the user's language for the pages and e-mails; refuses a language the portal lacks."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not available.")})
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def _session_keys_of(user: User) -> list[str]:
    """Keys of the unexpired sessions signed in as this user (database sessions, decoded one by one)."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            keys.append(session.session_key)
    return keys


# Secrets other apps keep for a user outside the sign-in (the calendar feed's URL): each app registers
# the function that revokes its own (in its AppConfig.ready), and deactivating an account calls them all.
CredentialRevoker = Callable[[User], int]
_credential_revokers: dict[str, CredentialRevoker] = {}


def credential_revoker_register(*, name: str, revoker: CredentialRevoker) -> None:
    """Have `revoker(user)` called (returning how many secrets it revoked) when an account is deactivated."""
    _credential_revokers[name] = revoker


# API tokens stand for the user's sign-in: the API registers (in its AppConfig.ready) the function that
# revokes all of a user's tokens still in force, recording why ("deactivated", "password_changed",
# "role_lost", "role_gained" or "device_removed"), and returning how many; the changes to an account
# below call it, and so do a password saved anywhere (accounts.passwords) and a removed authenticator
# (security.signals).
TokenRevoker = Callable[[User, str], int]
_token_revokers: dict[str, TokenRevoker] = {}


def token_revoker_register(*, name: str, revoker: TokenRevoker) -> None:
    """Have `revoker(user, reason)` revoke the user's tokens when an account loses rights it had."""
    _token_revokers[name] = revoker


def tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke the user's API tokens still in force, recording why; how many (see token_revoker_register)."""
    return sum(revoke(user, reason) for _name, revoke in sorted(_token_revokers.items()))


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Disable an account: it cannot sign in, its open sessions end, its API tokens and other secrets
    (the calendar feed's URL) are revoked now, and reactivating the account brings none of them back."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    sessions, _ = Session.objects.filter(session_key__in=_session_keys_of(locked)).delete()
    tokens = tokens_revoke_all(user=locked, reason="deactivated")
    others = {name: revoke(locked) for name, revoke in sorted(_credential_revokers.items())}
    security_log.warning(
        "User deactivated user=%s sessions_ended=%s tokens_revoked=%s %s",
        locked.pk,
        sessions,
        tokens,
        " ".join(f"{name}_revoked={count}" for name, count in others.items()),
    )
    return locked


@transaction.atomic
def user_password_set(*, user: User, password: str | None) -> User:
    """Give the user a new password (None: no usable password); their API tokens are revoked.

    The password is checked against the validators (AUTH_PASSWORD_VALIDATORS) first.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if password is None:
        locked.set_unusable_password()
    else:
        password_validation.validate_password(password, locked)
        locked.set_password(password)
    locked.save(update_fields=["password"])
    # Saving a new password revokes the tokens already (accounts.passwords, for every way of changing
    # one); an unusable password is no "change" to Django's hook, so it is revoked here in both cases.
    tokens_revoke_all(user=locked, reason="password_changed")
    user.password = locked.password
    return locked


def _roles_now(user: User) -> frozenset[str]:
    return User.objects.get(pk=user.pk).roles


@transaction.atomic
def user_roles_changed(*, user: User, roles_before: frozenset[str]) -> frozenset[str]:
    """After the user's roles changed (groups, or the superuser flag), revoke their API tokens when a role
    was lost or a role that needs two-factor sign-in was gained; returns the roles now."""
    roles_after = _roles_now(user)
    needing_otp = set(getattr(settings, "OTP_REQUIRED_ROLES", ()))
    if roles_before - roles_after:
        tokens_revoke_all(user=user, reason="role_lost")
    elif (roles_after - roles_before) & needing_otp:
        tokens_revoke_all(user=user, reason="role_gained")
    user.__dict__.pop("roles", None)
    return roles_after


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[str]) -> frozenset[str]:
    """Give the user exactly these roles; tokens are revoked as `user_roles_changed` says."""
    role_names = set(roles)
    unknown = role_names - set(Role.values)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValidationError({"roles": _("Unknown role: %(roles)s.") % {"roles": names}})
    locked = User.objects.select_for_update().get(pk=user.pk)
    roles_before = locked.roles
    groups = {group.name: group for group in Group.objects.filter(name__in=role_names)}
    if len(groups) != len(role_names):
        groups = roles_ensure()
    locked.groups.set([groups[name] for name in role_names])
    return user_roles_changed(user=user, roles_before=roles_before)
