"""`/api/v1/notifications`: the caller's notifications (every workspace), marking them read, and the
caller's choices per kind in the workspace the request acts in (`X-Workspace`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import notifications
from accounts.models import Notification, NotificationKind
from accounts.roles import Capability
from accounts.scoping import request_membership
from kernel.api.strict import StrictSerializer
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView
from kernel.users import request_user

UNREAD_HEADER = "X-Unread-Count"
ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such notification for this user (other users' included).")}


class NotificationSerializer(serializers.ModelSerializer):
    workspace_id = serializers.IntegerField(read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "workspace_id", "kind", "text", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notifications were marked read.")
    unread_count = serializers.IntegerField()


class PreferenceSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class PreferencesSerializer(serializers.Serializer):
    workspace_id = serializers.IntegerField(read_only=True)
    preferences = PreferenceSerializer(many=True)


class PreferencesUpdateSerializer(StrictSerializer):
    preferences = PreferenceSerializer(many=True, help_text="Kinds left out keep their current choice.")

    def validate_preferences(self, value: list[dict]) -> list[dict]:
        kinds = [item["kind"] for item in value]
        if len(kinds) != len(set(kinds)):
            raise serializers.ValidationError("Each kind at most once.")
        return value


def _unread_filter(request: Request) -> bool | None:
    """`?unread=true|false`, or None when left out; anything else (an empty value too) is a 400."""
    raw = request.query_params.get("unread")
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise serializers.ValidationError({"unread": ["Must be true or false."]})
    return raw == "true"


def _unread_headers(request: Request) -> dict[str, str]:
    return {UNREAD_HEADER: str(notifications.notification_unread_count(user=request_user(request)))}


@extend_schema(
    summary="List your notifications, newest first",
    description="Every workspace's, paginated (skip/limit, X-Total-Count, Link); `X-Unread-Count` is how many "
    "of yours are unread in all.",
    parameters=[
        OpenApiParameter(
            "unread", bool, description="true: only unread ones; false: only read ones; leave out for all."
        )
    ],
    responses={200: NotificationSerializer(many=True), **ERRORS},
    tags=["notifications"],
)
class NotificationListView(UserTimezoneMixin, generics.ListAPIView):
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = _unread_filter(self.request)
        return notifications.notifications_for(user=request_user(self.request), unread=unread)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        for name, value in _unread_headers(request).items():
            response[name] = value
        return response


class NotificationReadView(UserTimezoneMixin, APIView):
    @extend_schema(
        summary="Mark one of your notifications read",
        request=None,
        responses={200: NotificationSerializer, **ERRORS, **NOT_FOUND},
        tags=["notifications"],
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = notifications.notification_mark_read(user=request_user(request), notification_id=pk)
        return Response(NotificationSerializer(notification).data, headers=_unread_headers(request))


class NotificationReadAllView(APIView):
    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses={200: ReadAllSerializer, **ERRORS},
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        marked = notifications.notifications_mark_all_read(user=request_user(request))
        return Response({"marked": marked, "unread_count": 0}, headers={UNREAD_HEADER: "0"})


def _preferences_body(membership) -> dict:
    choices = notifications.notification_preferences_for(membership=membership)
    return {
        "workspace_id": membership.workspace_id,
        "preferences": [
            {"kind": kind, "in_app": choice.in_app, "email": choice.email} for kind, choice in choices.items()
        ],
    }


class NotificationPreferencesView(WorkspaceScopedView, APIView):
    """The caller's own choices, in the workspace the request acts in: every member sets theirs."""

    capabilities = {"put": Capability.VIEW}  # a write, but of the caller's own choices (not MANAGE's default)

    @extend_schema(
        summary="Your notification choices in this workspace",
        description="Per kind: in-app (the bell) and/or email. The workspace is the one the request acts in "
        "(`X-Workspace`, default your personal one).",
        responses={200: PreferencesSerializer, **ERRORS},
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response(_preferences_body(request_membership(request)))

    @extend_schema(
        summary="Change your notification choices in this workspace (kinds left out are kept)",
        request=PreferencesUpdateSerializer,
        responses={200: PreferencesSerializer, **ERRORS},
        tags=["notifications"],
    )
    def put(self, request: Request) -> Response:
        membership = request_membership(request)
        body = PreferencesUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        choices = {
            item["kind"]: notifications.Delivery(in_app=item["in_app"], email=item["email"])
            for item in body.validated_data["preferences"]
        }
        notifications.notification_preferences_set(membership=membership, preferences=choices)
        return Response(_preferences_body(membership))
