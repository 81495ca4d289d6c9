"""Administrators see and revoke any user's API tokens (never their text, which is not stored)."""

from django.contrib import admin
from knox.models import AuthToken

from .models import ApiToken

# knox registers its own model, which this portal replaces with the named ApiToken.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "token_key",
        "created",
        "expiry",
        "second_factor",
        "revoked_at",
        "revoked_reason",
    )
    list_filter = ("created", "expiry", "second_factor", "revoked_reason")
    search_fields = ("name", "token_key", "user__username")
    raw_id_fields = ("user",)
    readonly_fields = (
        "digest",
        "token_key",
        "user",
        "created",
        "second_factor",
        "revoked_at",
        "revoked_reason",
    )
    fields = (
        "name",
        "user",
        "token_key",
        "digest",
        "created",
        "expiry",
        "second_factor",
        "revoked_at",
        "revoked_reason",
    )

    def has_add_permission(self, request: object) -> bool:
        # A token's text is shown only to its owner, on the tokens page.
        return False
