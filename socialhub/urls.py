from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView

from accounts.api import BufferProfilesView, MeView, SocialAccountViewSet
from accounts.audit_api import AuditEventListView
from accounts.notifications_api import (
    NotificationListView,
    NotificationPreferencesView,
    NotificationReadAllView,
    NotificationReadView,
)
from accounts.workspaces_api import WorkspaceInvitationViewSet, WorkspaceMemberViewSet, WorkspaceViewSet
from buffer_integration.api import BufferConfigViewSet
from kernel.api.exceptions import not_found_view
from kernel.api.routers import OptionalSlashRouter
from media_library.views import media_file
from socialhub.health import HealthView

router = OptionalSlashRouter()
router.register("social-accounts", SocialAccountViewSet, basename="social-account")
router.register("buffer/config", BufferConfigViewSet, basename="buffer-config")
router.register("workspaces", WorkspaceViewSet, basename="workspace")

_WORKSPACE = r"^workspaces/(?P<workspace_id>[0-9]+)"
workspace_routes = [
    re_path(
        rf"{_WORKSPACE}/members/?$",
        WorkspaceMemberViewSet.as_view({"get": "list", "post": "create"}),
        name="workspace-member-list",
    ),
    re_path(
        rf"{_WORKSPACE}/members/(?P<pk>[0-9]+)/?$",
        WorkspaceMemberViewSet.as_view({"put": "update", "delete": "destroy"}),
        name="workspace-member-detail",
    ),
    re_path(
        rf"{_WORKSPACE}/invitations/?$",
        WorkspaceInvitationViewSet.as_view({"get": "list"}),
        name="workspace-invitation-list",
    ),
    re_path(
        rf"{_WORKSPACE}/invitations/(?P<pk>[0-9]+)/?$",
        WorkspaceInvitationViewSet.as_view({"delete": "destroy"}),
        name="workspace-invitation-detail",
    ),
]

api_v1 = [
    path("auth/token", TokenObtainPairView.as_view(), name="token-obtain"),
    path("auth/token/refresh", TokenRefreshView.as_view(), name="token-refresh"),
    path("auth/token/verify", TokenVerifyView.as_view(), name="token-verify"),
    path("me", MeView.as_view(), name="me"),
    path("health", HealthView.as_view(), name="health"),
    path("buffer/profiles", BufferProfilesView.as_view(), name="buffer-profiles"),
    path("notifications", NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all", NotificationReadAllView.as_view(), name="notification-read-all"),
    path("notifications/preferences", NotificationPreferencesView.as_view(), name="notification-preferences"),
    path("notifications/<int:pk>/read", NotificationReadView.as_view(), name="notification-read"),
    path("audit", AuditEventListView.as_view(), name="audit-list"),
    path("", include("media_library.urls")),
    path("", include("posts.urls")),
    path("", include("campaigns.urls")),
    path("", include("analytics.urls")),
    path("publisher/", include("publisher.urls")),
    *workspace_routes,
    *router.urls,
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    # Any other path under /api/ is a JSON 404 even with DEBUG on, where Django would answer its
    # HTML page listing every URL; csrf_exempt so an unknown POST is a 404, not a CSRF 403.
    re_path(r"^api/", csrf_exempt(not_found_view), name="api-not-found"),
    # The split view serves Swagger UI's start-up script as a file, so /docs runs under a CSP without inline script.
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
    # Uploaded files when they are local (MEDIA_SERVE_LOCAL): Buffer fetches them from MEDIA_PUBLIC_BASE_URL.
    path("media/<path:name>", media_file, name="media-file"),
    path("", include("web.urls")),
]

handler404 = "kernel.api.exceptions.not_found_view"
handler500 = "kernel.api.exceptions.server_error_view"
