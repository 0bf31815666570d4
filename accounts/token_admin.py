"""Admin for simplejwt's blacklist tables, replacing the package's own: jti, user and times only.

The package's change page lists every field, the stored token included. Ours never shows `token`
(which holds only a fingerprint for our tokens, but may hold a raw token written before that), and
is read-only. Registered from `AccountsConfig.ready()`, after the package's admin module has run.
"""

from __future__ import annotations

from django.contrib import admin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OutstandingTokenAdmin(ReadOnlyAdmin):
    list_display = ("jti", "user", "created_at", "expires_at")
    fields = ("jti", "user", "created_at", "expires_at")
    readonly_fields = fields
    search_fields = ("jti", "user__username")
    list_select_related = ("user",)
    ordering = ("-created_at",)


class BlacklistedTokenAdmin(ReadOnlyAdmin):
    list_display = ("jti", "user", "expires_at", "blacklisted_at")
    fields = ("jti", "user", "expires_at", "blacklisted_at")
    readonly_fields = fields
    search_fields = ("token__jti", "token__user__username")
    list_select_related = ("token__user",)
    ordering = ("-blacklisted_at",)

    @admin.display(description="jti", ordering="token__jti")
    def jti(self, obj: BlacklistedToken) -> str:
        return obj.token.jti

    @admin.display(description="user", ordering="token__user")
    def user(self, obj: BlacklistedToken):
        return obj.token.user

    @admin.display(description="expires at", ordering="token__expires_at")
    def expires_at(self, obj: BlacklistedToken):
        return obj.token.expires_at


def register(site: admin.AdminSite = admin.site) -> None:
    for model, model_admin in ((OutstandingToken, OutstandingTokenAdmin), (BlacklistedToken, BlacklistedTokenAdmin)):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)
