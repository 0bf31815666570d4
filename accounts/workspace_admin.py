"""Admin for workspaces (members inline) and invitations; an invitation's token hash is never shown."""

from __future__ import annotations

from django.contrib import admin

from accounts import workspaces as services
from accounts.models import Invitation, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "timezone", "approval_required", "personal_for", "created_at")
    list_filter = ("approval_required",)
    search_fields = ("name", "personal_for__username", "memberships__user__username")
    list_select_related = ("personal_for",)
    raw_id_fields = ("personal_for",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipInline]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # each delete goes through the service's checks
        return actions

    def has_delete_permission(self, request, obj: Workspace | None = None) -> bool:
        """Not a personal workspace, nor one with social accounts (their delete withdraws posts from Buffer)."""
        if obj is not None and services.workspace_delete_problem(obj) is not None:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj: Workspace) -> None:
        services.workspace_destroy(workspace=obj)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made from the workspace (which emails the link); deleting one revokes it."""

    list_display = ("email", "workspace", "role", "invited_by", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "workspace__name")
    list_select_related = ("workspace", "invited_by")
    fields = ("workspace", "email", "role", "invited_by", "expires_at", "accepted_at", "accepted_by", "created_at")
    readonly_fields = fields
    exclude = ("token_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
