from django.contrib import admin

from buffer_integration.models import BufferConfig


@admin.register(BufferConfig)
class BufferConfigAdmin(admin.ModelAdmin):
    """Tokens are entered through the API or UI, where they are validated; here they are never shown."""

    list_display = ("id", "owner", "api", "is_active", "buffer_user_id", "last_validated_at", "has_token")
    list_filter = ("api", "is_active")
    search_fields = ("owner__username", "owner__email", "buffer_user_id")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = (
        "buffer_user_id",
        "buffer_timezone",
        "buffer_plan",
        "last_validated_at",
        "created_at",
        "updated_at",
    )
    exclude = ("access_token_encrypted",)

    @admin.display(boolean=True, description="Token stored")
    def has_token(self, obj: BufferConfig) -> bool:
        return obj.has_access_token
