from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import SocialAccount, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Preferences", {"fields": ("timezone",)}))
    list_display = ("username", "email", "timezone", "is_staff", "is_active")


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    """The token is never shown: only whether one is stored."""

    list_display = (
        "account_name",
        "platform",
        "owner",
        "is_active",
        "connection_status",
        "last_checked_at",
        "has_token",
    )
    list_filter = ("platform", "is_active", "connection_status")
    search_fields = ("account_name", "buffer_profile_id", "service_username", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = (
        "connection_status",
        "last_checked_at",
        "last_error",
        "service_type",
        "service_username",
        "avatar_url",
        "profile_timezone",
        "posting_schedule",
        "last_synced_at",
        "created_at",
        "updated_at",
    )
    exclude = ("access_token_encrypted",)

    @admin.display(boolean=True, description="Token stored")
    def has_token(self, obj: SocialAccount) -> bool:
        return obj.has_access_token
