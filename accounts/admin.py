import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect

from accounts import (
    posting_schedule,
    services,
    workspace_admin,  # noqa: F401  # registers Workspace (members inline) and Invitation
)
from accounts.models import Notification, SocialAccount, User
from buffer_integration.exceptions import BufferError
from kernel.errors import DomainError, InvalidInput


class SocialAccountAdminForm(forms.ModelForm):
    class Meta:
        model = SocialAccount
        fields = ["queue_schedule"]  # the admin adds the others (all but the token: `exclude` below)
        help_texts = {
            "queue_schedule": 'The queue\'s time slots: {"days": {"mon": ["09:00", "17:30"], ...}, "paused_days": '
            '["sun"]}, local times of the account\'s timezone. Saving a change here keeps it through later syncs.',
        }

    def clean_queue_schedule(self):
        """The API's and the pages' rules (`accounts.posting_schedule.clean_schedule`), stored in their shape."""
        try:
            return posting_schedule.clean_schedule(self.cleaned_data["queue_schedule"]).to_json()
        except InvalidInput as exc:
            raise forms.ValidationError(exc.detail) from None


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Preferences", {"fields": ("timezone",)}))
    list_display = ("username", "email", "timezone", "is_staff", "is_active")


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    """The token is never shown: only whether one is stored."""

    form = SocialAccountAdminForm
    list_display = (
        "account_name",
        "platform",
        "workspace",
        "owner",
        "is_active",
        "connection_status",
        "last_checked_at",
        "has_token",
    )
    list_filter = ("platform", "is_active", "connection_status")
    search_fields = ("account_name", "buffer_profile_id", "service_username", "owner__username", "owner__email")
    list_select_related = ("workspace", "owner")
    raw_id_fields = ("workspace", "owner")
    readonly_fields = (
        "connection_status",
        "last_checked_at",
        "last_error",
        "service_type",
        "service_username",
        "avatar_url",
        "profile_timezone",
        "posting_schedule",
        "schedule_summary",
        "queue_schedule_buffer",
        "queue_schedule_edited_at",
        "last_synced_at",
        "created_at",
        "updated_at",
    )
    exclude = ("access_token_encrypted",)

    @admin.display(description="Queue slots")
    def schedule_summary(self, obj: SocialAccount) -> str:
        return posting_schedule.schedule_summary(posting_schedule.account_schedule(obj))

    def save_model(self, request, obj: SocialAccount, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "queue_schedule" in form.changed_data:  # an edit here: syncs keep it, as the API's PUT
            schedule = posting_schedule.PostingSchedule.from_json(obj.queue_schedule)
            posting_schedule.account_schedule_set(account=obj, schedule=schedule)

    @admin.display(boolean=True, description="Token stored")
    def has_token(self, obj: SocialAccount) -> bool:
        return obj.has_access_token

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the post rules
        return actions

    def delete_model(self, request, obj: SocialAccount) -> None:
        services.social_account_delete(account=obj)

    def delete_view(self, request, object_id, extra_context=None):
        """Django's confirmation page; the confirmed delete is the service's, outside Django's transaction.

        The service deletes the account's posts one by one as Buffer lets each go (withdrawn there
        first): when it refuses or Buffer fails half way, what it deleted must stay deleted, and the
        page says why on the account's change page.
        """
        account = self.get_object(request, unquote(object_id)) if request.method == "POST" else None
        if account is None or not self.has_delete_permission(request, account):
            return super().delete_view(request, object_id, extra_context)
        _, _, perms_needed, protected = self.get_deleted_objects([account], request)
        if perms_needed or protected:
            return super().delete_view(request, object_id, extra_context)  # Django's "cannot delete"
        deleted = copy.copy(account)  # keeps its pk for the log and the message
        try:
            services.social_account_delete(account=account)
        except (DomainError, BufferError) as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return redirect("admin:accounts_socialaccount_change", deleted.pk)
        self.log_deletions(request, [deleted])  # type: ignore[arg-type]  # the row is gone: a list, not a queryset
        return self.response_delete(request, str(deleted), deleted.pk)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by `accounts.notifications.notify` only."""

    list_display = ("created_at", "recipient", "workspace", "kind", "text", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username", "text")
    list_select_related = ("recipient", "workspace")
    readonly_fields = ("recipient", "workspace", "kind", "text", "url", "created_at", "read_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
