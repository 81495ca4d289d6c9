"""Users, their roles (Django groups named after `Role`) and desks (which partners an officer handles)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.models import Marking


class RequestContextRow(Protocol):
    """A row read with accounts.selectors.request_context_annotations."""

    group_names: list[str]
    is_delegate_today: bool
    desk_partner_ids_read: list[int]
    heads_a_desk_read: bool


class Role(models.TextChoices):
    VIEWER = "viewer", _("Staff (viewer)")
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("en", "English"), ("fr", "Français")], default="en"
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Marking.choices, default=Marking.NATO_UNCLASSIFIED
    )

    # Annotations of the query that reads a request's user (accounts.selectors.request_context_annotations),
    # handed to remember_request_context.
    group_names: list[str]
    is_delegate_today: bool
    desk_partner_ids_read: list[int]
    heads_a_desk_read: bool

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's role codes; administrators flagged superuser hold every role."""
        if not self.is_active or self.is_superuser:
            return self._roles_of([])
        return self._roles_of(g.name for g in self.groups.all())

    def _roles_of(self, group_names: Iterable[str]) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        if self.is_superuser:
            return frozenset(Role.values)
        return frozenset(set(group_names) & set(Role.values))

    def remember_group_names(self, group_names: Iterable[str]) -> None:
        """Set the roles from group names read with the user (e.g. by the API token's query)."""
        self.__dict__["roles"] = self._roles_of(group_names)

    def remember_request_context(self, row: RequestContextRow) -> None:
        """Set what the query that read the user also read (accounts.selectors.request_context_annotations,
        on this user or on the row that brought it, e.g. the API token): the roles, the desks' partners,
        whether they head a desk, and, when no one has named them delegate today, that they act for no one."""
        self.remember_group_names(row.group_names)
        self.__dict__["desk_partner_ids"] = frozenset(row.desk_partner_ids_read)
        self.__dict__["heads_a_desk"] = row.heads_a_desk_read
        if not row.is_delegate_today:
            self.__dict__["acting_for_today"] = ()

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.roles]

    @cached_property
    def acting_for_today(self) -> tuple[User, ...]:
        """The active users this user is the delegate of today (read once per request, roles loaded)."""
        from .selectors import delegation_principals  # the selectors stand on this module

        if not self.is_authenticated or not self.is_active or self.pk is None:
            return ()
        return tuple(delegation_principals(delegate=self).prefetch_related("groups"))

    @cached_property
    def heads_a_desk(self) -> bool:
        """The user leads a desk (its head)."""
        return self.is_authenticated and self.headed_desks.exists()

    @cached_property
    def desk_partner_ids(self) -> frozenset[int]:
        """Ids of the partners on the desks this user belongs to or heads."""
        on_desks = Desk.partners.through.objects.filter(
            models.Q(desk__members=self) | models.Q(desk__head=self)
        )
        return frozenset(on_desks.values_list("partner_id", flat=True).distinct())


class Desk(models.Model):
    """A desk of the International Staff: the officers who handle a set of partners.

    Its name is bilingual (`name_en`, `name_fr`; accounts/translation.py). History is tracked from the
    app's ready(), once the translated columns exist, so that the events snapshot them too.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    partners = models.ManyToManyField("partners.Partner", related_name="desks", blank=True)
    members = models.ManyToManyField(User, related_name="desks", blank=True)
    head = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="headed_desks"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Delegation(models.Model):
    """A user (principal) names a delegate who acts for them, and receives their notifications, for a while.

    Ending a delegation early sets `revoked_at`; the dates stay as they were agreed, for the record.
    """

    principal = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="delegations_given", verbose_name=_("principal")
    )
    delegate = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="delegations_received", verbose_name=_("delegate")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ended early"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [
            models.Index(fields=["delegate", "start_date", "end_date"], name="delegation_delegate_idx"),
            models.Index(fields=["principal", "start_date", "end_date"], name="delegation_principal_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="delegation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("delegate")), name="delegation_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} for {self.principal} ({self.start_date} – {self.end_date})"


# Audited changes of access besides the user row itself: role grants (a user's groups), desk membership
# and authenticators (django-otp's TOTP devices, without their secret key). Proxies of the models whose
# rows change, so that the history's triggers are installed by this app's migrations.


@pghistory.track(
    pghistory.InsertEvent("role.granted"),
    pghistory.DeleteEvent("role.removed"),
    obj_field=None,
    model_name="UserRoleEvent",
)
class UserRole(User.groups.through):  # type: ignore[name-defined]
    class Meta:
        proxy = True
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")


@pghistory.track(
    pghistory.InsertEvent("desk.joined"),
    pghistory.DeleteEvent("desk.left"),
    obj_field=None,
    model_name="DeskMembershipEvent",
)
class DeskMembership(Desk.members.through):  # type: ignore[name-defined]
    class Meta:
        proxy = True
        verbose_name = _("desk membership")
        verbose_name_plural = _("desk memberships")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange("user", "name", "confirmed")),
    pghistory.DeleteEvent(),
    fields=["user", "name", "confirmed"],
    obj_field=None,
    model_name="AuthenticatorEvent",
)
class Authenticator(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")
