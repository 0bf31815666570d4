"""URL patterns of the server-rendered web UI (the content calendar and friends).

Every page is a bookmarkable GET; every change is a POST (with CSRF) to an action URL.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from web.accounts import audit as audit_views
from web.accounts import login
from web.accounts import notifications as notification_views
from web.accounts import schedule as account_schedule
from web.accounts import settings as settings_views
from web.accounts import views as accounts_views
from web.accounts import workspaces as workspace_views
from web.campaigns import views as campaigns_views
from web.media import views as media_views
from web.posts import approvals, composer
from web.posts import comments as comment_views
from web.posts import imports as import_views
from web.posts import previews as preview_views
from web.posts import series as series_views
from web.posts import views as posts_views
from web.review import public as review_public
from web.review import views as review_views

urlpatterns = [
    path("", posts_views.calendar_view, name="calendar"),
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Posts
    path("posts/", posts_views.post_list_view, name="post-list"),
    path("posts/new/", composer.post_create_view, name="post-create"),
    path("posts/preview/", preview_views.post_preview_view, name="post-preview"),
    path("posts/import/", import_views.post_import_view, name="post-import"),
    path("posts/imports/<int:pk>/", import_views.post_import_job_view, name="post-import-job"),
    path("posts/imports/<int:pk>/run/", import_views.post_import_run_view, name="post-import-run"),
    path("posts/export.csv", import_views.post_export_view, name="post-export"),
    path("posts/<int:pk>/", posts_views.post_detail_view, name="post-detail"),
    path("posts/<int:pk>/edit/", composer.post_edit_view, name="post-edit"),
    path("posts/<int:pk>/reschedule/", posts_views.post_reschedule_view, name="post-reschedule"),
    path("posts/<int:pk>/cancel/", posts_views.post_cancel_view, name="post-cancel"),
    path("posts/<int:pk>/buffer/", posts_views.post_schedule_via_buffer_view, name="post-buffer"),
    path("posts/<int:pk>/delete/", posts_views.post_delete_view, name="post-delete"),
    path("posts/<int:pk>/series/end/", series_views.post_series_end_view, name="post-series-end"),
    path("posts/recurrence-preview/", series_views.recurrence_preview_view, name="recurrence-preview"),
    path("posts/<int:pk>/submit/", approvals.post_submit_view, name="post-submit"),
    path("posts/<int:pk>/approve/", approvals.post_approve_view, name="post-approve"),
    path("posts/<int:pk>/reject/", approvals.post_reject_view, name="post-reject"),
    path("approvals/", approvals.approvals_view, name="approvals"),
    path("posts/<int:pk>/comments/", comment_views.post_comment_create_view, name="post-comment-create"),
    # The media library (uploads go through the media API: static/js/media_upload.js)
    path("library/", media_views.media_library_view, name="media-library"),
    path("library/<int:pk>/", media_views.media_edit_view, name="media-edit"),
    path("library/<int:pk>/delete/", media_views.media_delete_view, name="media-delete"),
    # Campaigns
    path("campaigns/", campaigns_views.campaign_list_view, name="campaign-list"),
    path("campaigns/new/", campaigns_views.campaign_create_view, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns_views.campaign_detail_view, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaigns_views.campaign_edit_view, name="campaign-edit"),
    path("campaigns/<int:pk>/status/", campaigns_views.campaign_status_view, name="campaign-status"),
    # Accounts and settings
    path("accounts/", accounts_views.account_list_view, name="account-list"),
    path("accounts/connect/", accounts_views.account_connect_view, name="account-connect"),
    path("accounts/<int:pk>/test/", accounts_views.account_test_view, name="account-test"),
    path("accounts/<int:pk>/sync/", accounts_views.account_sync_view, name="account-sync"),
    path("accounts/<int:pk>/schedule/", account_schedule.account_schedule_view, name="account-schedule"),
    path(
        "accounts/<int:pk>/schedule/buffer/",
        account_schedule.account_schedule_buffer_view,
        name="account-schedule-buffer",
    ),
    path("accounts/<int:pk>/queue/shuffle/", account_schedule.account_queue_shuffle_view, name="account-queue-shuffle"),
    path("posts/<int:pk>/queue/top/", account_schedule.post_queue_top_view, name="post-queue-top"),
    path("accounts/buffer-config/", accounts_views.buffer_config_view, name="account-buffer-config"),
    path("settings/", settings_views.settings_view, name="settings"),
    path("settings/timezone/", settings_views.timezone_view, name="settings-timezone"),
    path("settings/notifications/", settings_views.notification_preferences_view, name="settings-notifications"),
    path("settings/apps/", settings_views.app_create_view, name="settings-app-create"),
    path("settings/apps/<int:pk>/revoke/", settings_views.app_revoke_view, name="settings-app-revoke"),
    path("settings/webhook-secret/", settings_views.webhook_secret_rotate_view, name="settings-webhook-secret"),
    path(
        "settings/webhook-secret/reveal/",
        settings_views.webhook_secret_reveal_view,
        name="settings-webhook-secret-reveal",
    ),
    path("settings/callbacks/<int:pk>/replay/", settings_views.callback_replay_view, name="settings-callback-replay"),
    # Workspaces: the current one (the switcher's choice), its members and invitations
    path("workspace/", workspace_views.workspace_view, name="workspace"),
    path("workspace/settings/", workspace_views.workspace_settings_view, name="workspace-settings"),
    path("workspace/delete/", workspace_views.workspace_delete_view, name="workspace-delete"),
    path("workspace/members/", workspace_views.member_add_view, name="workspace-member-add"),
    path("workspace/members/<int:pk>/role/", workspace_views.member_role_view, name="workspace-member-role"),
    path("workspace/members/<int:pk>/remove/", workspace_views.member_remove_view, name="workspace-member-remove"),
    path(
        "workspace/invitations/<int:pk>/revoke/",
        workspace_views.invitation_revoke_view,
        name="workspace-invitation-revoke",
    ),
    path("workspaces/new/", workspace_views.workspace_create_view, name="workspace-create"),
    path("workspaces/switch/", workspace_views.workspace_switch_view, name="workspace-switch"),
    path("invitations/<str:token>/", workspace_views.invitation_accept_view, name="invitation-accept"),
    # Client review links: the managers' page, and the public review page (no account; the token is the key)
    path("review-links/", review_views.review_links_view, name="review-links"),
    path("review-links/<int:pk>/revoke/", review_views.review_link_revoke_view, name="review-link-revoke"),
    path("review/<str:token>/", review_public.review_page_view, name="review-page"),
    path("review/<str:token>/posts/<int:pk>/", review_public.review_decision_view, name="review-decision"),
    # Notifications
    path("notifications/", notification_views.notifications_view, name="notifications"),
    path("notifications/read-all/", notification_views.notifications_read_all_view, name="notifications-read-all"),
    path("notifications/<int:pk>/open/", notification_views.notification_open_view, name="notification-open"),
    path("notifications/<int:pk>/read/", notification_views.notification_read_view, name="notification-mark-read"),
    path("settings/audit/", audit_views.audit_view, name="settings-audit"),
]
