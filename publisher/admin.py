"""Admin for the Publisher API. Secrets are never shown, only whether one is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages

from posts.network_options import clean_network_options, network_option_errors
from publisher.models import (
    CallbackAttempt,
    CallbackDelivery,
    Channel,
    Delivery,
    IntegratorApp,
    PostType,
    PublisherPost,
    WebhookSecret,
)
from publisher.outbox import callback_replay


class PostTypeAdminForm(forms.ModelForm):
    """network_options checked by the same rules as the API's post types (posts.network_options)."""

    class Meta:
        model = PostType
        fields = (
            "workspace",
            "owner",
            "network_target",
            "kind",
            "name",
            "description",
            "is_default",
            "network_options",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        account = cleaned.get("network_target")
        options = cleaned.get("network_options") or {}
        workspace = cleaned.get("workspace")
        if account is not None and workspace is not None and account.workspace_id != workspace.pk:
            self.add_error("network_target", "This account belongs to another workspace.")
        if account is not None:
            for key, messages_ in network_option_errors(account=account, options=options, complete=False).items():
                self.add_error("network_options", f"{key}: {' '.join(messages_)}")
            cleaned["network_options"] = clean_network_options(options) if isinstance(options, dict) else options
        return cleaned


@admin.register(PostType)
class PostTypeAdmin(admin.ModelAdmin):
    form = PostTypeAdminForm
    list_display = ("name", "kind", "network_target", "is_default", "workspace", "owner")
    list_filter = ("kind", "is_default")
    search_fields = ("name", "network_target__account_name", "owner__username")
    list_select_related = ("network_target", "owner")
    raw_id_fields = ("workspace", "owner", "network_target")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "owner", "created_at")
    search_fields = ("name", "owner__username")
    raw_id_fields = ("workspace", "owner")
    filter_horizontal = ("posttypes",)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("network_target", "post_type", "requested_kind", "kind", "post", "warnings", "errors")
    readonly_fields = fields


@admin.register(PublisherPost)
class PublisherPostAdmin(admin.ModelAdmin):
    list_display = ("public_id", "workspace", "owner", "status", "scheduled_at", "strict", "fail_on", "created_at")
    list_filter = ("status", "strict", "fail_on")
    search_fields = ("public_id", "owner__username")
    # What an integrator sent and what became of it: a record, not something to edit here.
    readonly_fields = [field.name for field in PublisherPost._meta.fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False


class CallbackAttemptInline(admin.TabularInline):
    model = CallbackAttempt
    extra = 0
    can_delete = False
    fields = ("number", "is_replay", "started_at", "duration_ms", "status_code", "error", "response_excerpt")
    readonly_fields = fields


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "method", "url", "state", "attempts", "next_attempt_at", "last_status_code")
    list_filter = ("state", "stream", "method")
    search_fields = ("webhook_id", "publisher_post__public_id", "url")
    list_select_related = ("publisher_post",)
    raw_id_fields = ("workspace", "owner", "publisher_post")
    readonly_fields = [field.name for field in CallbackDelivery._meta.fields]
    inlines = [CallbackAttemptInline]
    actions = ["replay"]

    @admin.action(description="Replay the selected callbacks now")
    def replay(self, request, queryset):
        for callback in queryset:
            attempt = callback_replay(callback=callback)
            outcome = attempt.status_code or attempt.error
            level = messages.SUCCESS if attempt.succeeded else messages.WARNING
            self.message_user(request, f"Callback {callback.pk}: {outcome}", level)


@admin.register(IntegratorApp)
class IntegratorAppAdmin(admin.ModelAdmin):
    """Create apps through the API (the secret is shown once there); here they can be looked at and revoked."""

    list_display = ("name", "app_id", "workspace", "owner", "created_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "app_id", "owner__username")
    raw_id_fields = ("workspace", "owner")
    readonly_fields = ("app_id", "created_at", "last_used_at")
    exclude = ("secret_encrypted",)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookSecret)
class WebhookSecretAdmin(admin.ModelAdmin):
    list_display = ("workspace", "owner", "created_at", "rotated_at")
    raw_id_fields = ("workspace", "owner")
    readonly_fields = ("created_at", "rotated_at")
    exclude = ("secret_encrypted",)

    def has_add_permission(self, request) -> bool:
        return False
