from django.contrib import admin

from campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "owner", "status", "start_date", "end_date", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "description", "owner__username", "owner__email")
    list_select_related = ("workspace", "owner")
    raw_id_fields = ("workspace", "owner")
    date_hierarchy = "start_date"
    readonly_fields = ("created_at", "updated_at")
