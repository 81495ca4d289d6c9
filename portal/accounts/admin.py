"""Admin of users (their roles, desks, clearance, language) and desks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.admin import (
    HISTORY_CHANGE_FORM_TEMPLATE,
    HISTORY_CHANGE_LIST_TEMPLATE,
    BilingualAdmin,
    WorkflowRecordAdmin,
)
from portal.core.i18n import localized_text

from .models import Delegation, Desk, Role, User
from .services import user_deactivate, user_password_set, user_roles_changed

# The user's roles before the change form was saved, kept on the request for save_related.
ROLES_BEFORE = "_portal_roles_before"


class PortalPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password" form, through the service that also revokes the user's API tokens."""

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        return user_password_set(user=self.user, password=password)


class DeskMembershipInline(admin.TabularInline):
    model = Desk.members.through
    extra = 0
    verbose_name = _("desk")
    verbose_name_plural = _("desks")


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    change_form_template = HISTORY_CHANGE_FORM_TEMPLATE
    change_list_template = HISTORY_CHANGE_LIST_TEMPLATE
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Portal"), {"fields": ("preferred_language", "clearance")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ("email", "groups", "preferred_language", "clearance")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role_list",
        "desk_list",
        "clearance",
        "preferred_language",
        "is_active",
    )
    list_filter = (
        "groups",
        "desks",
        "clearance",
        "preferred_language",
        "is_active",
        "is_staff",
        "is_superuser",
    )
    inlines = (DeskMembershipInline,)
    actions = ("deactivate_users",)
    change_password_form = PortalPasswordChangeForm

    @admin.action(description=_("Deactivate: end their sessions and revoke their API tokens"))
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            user_deactivate(user=user)
        self.message_user(request, _("%(count)d account(s) deactivated.") % {"count": len(users)})

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            setattr(request, ROLES_BEFORE, User.objects.get(pk=obj.pk).roles)
        super().save_model(request, obj, form, change)
        # Unticking "active" on the form does what the action does: no session or token outlives it.
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The roles (groups, the superuser flag) are saved by now: a lost role, or a gained one that
        # needs two-factor sign-in, revokes the user's API tokens.
        roles_before = getattr(request, ROLES_BEFORE, None)
        if change and roles_before is not None:
            user_roles_changed(user=form.instance, roles_before=roles_before)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                role_names=StringAgg("groups__name", ", ", distinct=True, order_by="groups__name"),
                # The desks' names in the reader's language.
                desk_names=StringAgg(
                    localized_text("desks__name"),
                    ", ",
                    distinct=True,
                    order_by=localized_text("desks__name"),
                ),
            )
        )

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name == "groups":
            # The portal's roles are groups; the label says so.
            field.label = _("Roles")
            field.help_text = _("What the user may do: %(roles)s.") % {
                "roles": ", ".join(str(label) for label in Role.labels)
            }
        return field

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return getattr(obj, "role_names", None) or ""

    @admin.display(description=_("desks"))
    def desk_list(self, obj: User) -> str:
        return getattr(obj, "desk_names", None) or ""


@admin.register(Desk)
class DeskAdmin(BilingualAdmin):
    list_display = ("name", "code", "head", "partner_list")
    list_select_related = ("head",)
    search_fields = (
        "code",
        "name_en",
        "name_fr",
        "partners__name_en",
        "partners__name_fr",
        "members__username",
    )
    list_filter = ("partners__region",)
    autocomplete_fields = ("head",)
    filter_horizontal = ("partners", "members")
    prepopulated_fields = {"code": ("name_en",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Desk]:
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("partners"))
    def partner_list(self, obj: Desk) -> str:
        return ", ".join(sorted(partner.iso_code for partner in obj.partners.all()))


@admin.register(Delegation)
class DelegationAdmin(WorkflowRecordAdmin):
    """Delegations are named and ended by their users (services check overlaps); the admin shows them."""

    list_display = ("principal", "delegate", "start_date", "end_date", "revoked_at", "reason")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("principal", "delegate")
    search_fields = ("principal__username", "delegate__username", "reason")
    date_hierarchy = "start_date"
