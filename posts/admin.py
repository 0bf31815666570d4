"""Operators see and search every post; status changes and deletes go through the same services as the API."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.text import Truncator

from buffer_integration.exceptions import BufferError
from kernel.errors import DomainError
from posts import groups, services
from posts.models import BufferPollState, Post, PostGroup, PostSeries, PublishAttempt, ReviewLink, ReviewLinkUse
from posts.review_links import review_link_revoke


class PublishAttemptInline(admin.TabularInline):
    """Every call the publishing engine made to Buffer for this post (read-only history)."""

    model = PublishAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "started_at", "finished_at", "outcome", "error", "buffer_update_id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


CONTENT_EXCERPT = 80


def _set_or_blank_filter(field: str, *, title: str, parameter: str, labels: tuple[str, str]):
    """A yes/no list filter on whether a text field is filled in (no query to build its choices)."""

    class SetOrBlankFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return [("yes", labels[0]), ("no", labels[1])]

        def queryset(self, request, queryset):
            if self.value() == "yes":
                return queryset.exclude(**{field: ""})
            if self.value() == "no":
                return queryset.filter(**{field: ""})
            return queryset

    SetOrBlankFilter.title, SetOrBlankFilter.parameter_name = title, parameter
    return SetOrBlankFilter


# Whether Buffer holds the post (scheduled there, or published through it), and whether it has an error.
HandedToBufferFilter = _set_or_blank_filter(
    "buffer_update_id", title="handed to Buffer", parameter="at_buffer", labels=("Yes", "No")
)
HasErrorFilter = _set_or_blank_filter(
    "last_error", title="last error", parameter="has_error", labels=("Has an error", "No error")
)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "excerpt",
        "workspace",
        "owner",
        "social_account",
        "platform",
        "status",
        "scheduled_time",
        "campaign",
        "attempts",
    )
    list_display_links = ("id", "excerpt")
    list_filter = ("status", "platform", HandedToBufferFilter, HasErrorFilter, "scheduled_time", "created_at")
    inlines = [PublishAttemptInline]
    search_fields = ("content", "buffer_update_id", "owner__username", "social_account__account_name", "campaign__name")
    list_select_related = ("workspace", "owner", "social_account", "campaign")
    date_hierarchy = "scheduled_time"
    actions = ["cancel_posts"]
    # Editing here would skip the network rules and Buffer: posts change through the API or the actions.
    readonly_fields = [field.name for field in Post._meta.fields]

    @admin.display(description="content", ordering="content")
    def excerpt(self, obj: Post) -> str:
        return Truncator(obj.content).chars(CONTENT_EXCERPT)

    def has_add_permission(self, request) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would leave their updates at Buffer
        return actions

    def delete_model(self, request, obj: Post) -> None:
        services.post_delete(post=obj)

    @admin.action(description="Cancel selected posts (withdrawn from Buffer)")
    def cancel_posts(self, request, queryset) -> None:
        cancelled, failures = 0, []
        for post in queryset.select_related("owner", "social_account", "campaign"):
            try:
                services.post_cancel(post=post)
                cancelled += 1
            except (DomainError, BufferError) as exc:
                failures.append(f"#{post.pk}: {exc.message}")
        if cancelled:
            self.message_user(request, f"Cancelled {cancelled} post(s).", messages.SUCCESS)
        if failures:
            self.message_user(request, "Not cancelled: " + "; ".join(failures), messages.WARNING)


@admin.register(BufferPollState)
class BufferPollStateAdmin(admin.ModelAdmin):
    """Why a key is (not) being polled: its backoff and when it next asks. Written by the polling only."""

    list_display = ("key", "organization_id", "stream", "next_poll_at", "interval_seconds", "polls", "last_changed_at")
    list_filter = ("stream",)
    search_fields = ("organization_id",)
    readonly_fields = [field.name for field in BufferPollState._meta.fields]

    @admin.display(description="API key (hash)")
    def key(self, obj: BufferPollState) -> str:
        return obj.key_digest[:12]

    def has_add_permission(self, request) -> bool:
        return False


class ReviewLinkUseInline(admin.TabularInline):
    model = ReviewLinkUse
    fields = ("at", "action", "post", "reviewer_name", "comment", "client_ip")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-at", "-id")
    max_num = 0  # the log is written by the review page only

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post")


@admin.register(ReviewLink)
class ReviewLinkAdmin(admin.ModelAdmin):
    """Client review links and their use log. The token is not stored, so nothing here can show it."""

    list_display = ("id", "workspace", "campaign", "start_date", "end_date", "expires_at", "revoked_at", "created_by")
    list_select_related = ("workspace", "campaign", "created_by")
    list_filter = ("revoked_at",)
    search_fields = ("workspace__name", "campaign__name")
    readonly_fields = [field.name for field in ReviewLink._meta.fields if field.name != "token_hash"]
    exclude = ("token_hash",)
    inlines = [ReviewLinkUseInline]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # made by managers (API or pages), where the URL is shown once

    @admin.action(description="Revoke the selected review links")
    def revoke(self, request, queryset) -> None:
        for link in queryset:
            review_link_revoke(link=link)
        self.message_user(request, f"Revoked {queryset.count()} review link(s).", messages.SUCCESS)


class GroupPostInline(admin.TabularInline):
    """A group's deliveries (read-only: each is a post, changed through the API, the pages or Post admin)."""

    model = Post
    fields = readonly_fields = ("social_account", "platform", "status", "scheduled_time", "content")
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ("id",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("social_account")


@admin.register(PostGroup)
class PostGroupAdmin(admin.ModelAdmin):
    list_display = ("id", "excerpt", "workspace", "owner", "created_at")
    list_select_related = ("workspace", "owner")
    search_fields = ("content", "owner__username", "workspace__name")
    readonly_fields = [field.name for field in PostGroup._meta.fields]
    inlines = [GroupPostInline]

    @admin.display(description="content", ordering="content")
    def excerpt(self, obj: PostGroup) -> str:
        return Truncator(obj.content).chars(CONTENT_EXCERPT)

    def has_add_permission(self, request) -> bool:
        return False  # made by the API or the composer, through posts.groups

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting goes through posts.groups.group_delete, one by one
        return actions

    def delete_model(self, request, obj: PostGroup) -> None:
        groups.group_delete(group=obj)


@admin.register(PostSeries)
class PostSeriesAdmin(admin.ModelAdmin):
    """Recurring posts (posts.recurrence): read-only here; they are made, split and ended by its services."""

    list_display = ("id", "workspace", "social_account", "rule", "timezone", "materialised_until", "ended_at")
    list_select_related = ("workspace", "social_account")
    search_fields = ("rule", "content")
    readonly_fields = [field.name for field in PostSeries._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
