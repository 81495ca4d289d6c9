"""Admin building blocks shared by the apps: bilingual editing and links to a record's history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

# Templates that add an "Events" link (pghistory) to the change list and to each record's change form.
HISTORY_CHANGE_FORM_TEMPLATE = "admin/portal/change_form.html"
HISTORY_CHANGE_LIST_TEMPLATE = "admin/portal/change_list.html"


class PortalModelAdmin(admin.ModelAdmin):
    """Admin of a history-tracked model without bilingual fields."""

    change_form_template = HISTORY_CHANGE_FORM_TEMPLATE
    change_list_template = HISTORY_CHANGE_LIST_TEMPLATE


class BilingualAdmin(TabbedTranslationAdmin):
    """Admin of a history-tracked model with English and French tabs for its bilingual fields.

    modeltranslation's tabbed admin loads jQuery UI from a CDN by default; the portal runs on closed
    networks, so it serves its own copy (static/vendor/jquery-ui) and replaces the media outright.
    """

    change_form_template = HISTORY_CHANGE_FORM_TEMPLATE
    change_list_template = HISTORY_CHANGE_LIST_TEMPLATE

    class Media:
        extend = False
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            "vendor/jquery-ui/jquery-ui.min.js",
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}


class WorkflowRecordAdmin(PortalModelAdmin):
    """Records written only by the workflow's services (their rules and history live there): view only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BilingualTabularInline(TranslationTabularInline):
    """Inline rows with their English and French columns."""


class RetirableBilingualAdmin(BilingualAdmin):
    """Soft-deleted bilingual models: rows that history refers to are retired, never deleted."""

    actions = ["retire_selected"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Retire the selected rows"), permissions=["change"])
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = 0
        for obj in queryset.filter(deleted_at__isnull=True):
            obj.retire()
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d row retired.", "%(count)d rows retired.", count) % {"count": count},
            messages.SUCCESS,
        )


class RetiredFilter(admin.SimpleListFilter):
    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", str(_("In use"))), ("yes", str(_("Retired")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset
