"""The audit log in Django admin: read only — nobody adds, edits or deletes an event, not even a superuser."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "actor_label", "action", "object_type", "object_id", "object_repr", "workspace_id")
    list_filter = ("action", "object_type", "created_at")
    search_fields = ("actor_label", "object_repr", "=object_id")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False  # the log only grows: no COUNT(*) of all of it on every page
    fields = (
        "created_at",
        "workspace_id",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changes_text",
    )
    readonly_fields = fields

    @admin.display(description="Changes")
    def changes_text(self, event: AuditEvent) -> str:
        return json.dumps(event.changes, indent=2, ensure_ascii=False, sort_keys=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
