from django.contrib import admin
from django.utils.html import format_html, format_html_join

from buffer_integration.budget import config_report
from buffer_integration.models import BufferConfig


@admin.register(BufferConfig)
class BufferConfigAdmin(admin.ModelAdmin[BufferConfig]):
    """Tokens are entered through the API or UI, where they are validated; here they are never shown."""

    list_display = (
        "id",
        "workspace",
        "owner",
        "api",
        "plan",
        "is_active",
        "buffer_user_id",
        "last_validated_at",
        "has_token",
        "budget",
    )
    list_filter = ("api", "plan", "is_active")
    search_fields = ("owner__username", "owner__email", "buffer_user_id")
    list_select_related = ("workspace", "owner")
    raw_id_fields = ("workspace", "owner")
    readonly_fields = (
        "buffer_user_id",
        "buffer_timezone",
        "buffer_plan",
        "last_validated_at",
        "created_at",
        "updated_at",
        "budget",
    )
    exclude = ("access_token_encrypted",)

    @admin.display(boolean=True, description="Token stored")
    def has_token(self, obj: BufferConfig) -> bool:
        return obj.has_access_token

    @admin.display(description="Request budget (used / limit per window, refills)")
    def budget(self, obj: BufferConfig) -> str:
        """The key's request use, as the health endpoint and the accounts page show it."""
        report = config_report(obj)
        if report is None:
            return "-"
        rows = format_html_join(
            "; ",
            "{}: {}/{}{}",
            (
                (
                    w["window"],
                    w["used"],
                    w["limit"],
                    f" (refills {w['refills_at']:%Y-%m-%d %H:%M} UTC)" if w["refills_at"] else "",
                )
                for w in report["windows"]
            ),
        )
        if report["blocked_until"]:
            return format_html("{} — blocked by Buffer until {:%Y-%m-%d %H:%M:%S} UTC", rows, report["blocked_until"])
        return rows
