from django.contrib import admin

from analytics.models import AnalyticsSyncJob, PostAnalytics


@admin.register(PostAnalytics)
class PostAnalyticsAdmin(admin.ModelAdmin):
    list_display = ("post", "recorded_at", "views", "likes", "shares", "comments", "engagement_rate", "source")
    list_filter = ("source", "post__platform")
    search_fields = ("post__content", "post__owner__username", "post__buffer_update_id")
    list_select_related = ("post",)
    raw_id_fields = ("post",)
    date_hierarchy = "recorded_at"
    readonly_fields = ("created_at", "updated_at")


@admin.register(AnalyticsSyncJob)
class AnalyticsSyncJobAdmin(admin.ModelAdmin):
    """Jobs are written by the sync; admin shows them for diagnosis only."""

    list_display = (
        "id",
        "workspace",
        "owner",
        "status",
        "posts_checked",
        "snapshots_created",
        "posts_failed",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)
    search_fields = ("owner__username", "owner__email", "error")
    list_select_related = ("workspace", "owner")
    raw_id_fields = ("workspace", "owner")
    readonly_fields = [field.name for field in AnalyticsSyncJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
