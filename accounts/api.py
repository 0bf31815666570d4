from __future__ import annotations

import dataclasses
from dataclasses import asdict

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import posting_schedule, services
from accounts.models import SocialAccount
from accounts.schedule_serializers import ScheduleInputSerializer, ScheduleSerializer
from accounts.scoping import request_membership
from accounts.serializers import ConnectionCheckSerializer, MeSerializer, SocialAccountSerializer
from buffer_integration.api import ERRORS as BUFFER_CONFIG_ERRORS
from buffer_integration.platforms import can_publish, platform_for_service
from buffer_integration.serializers import BufferProfileSerializer
from kernel.api.views import OwnedModelViewSet, UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView
from kernel.users import request_user

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such account in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
BUFFER_ERRORS = {
    **ERRORS,
    503: OpenApiResponse(
        description="Buffer is unreachable or failing, or your Buffer key's request budget has no room before "
        "`Retry-After` (seconds)."
    ),
}


@extend_schema_view(
    list=extend_schema(summary="List social accounts", responses={200: SocialAccountSerializer(many=True), **ERRORS}),
    # A buffer_profile_id is checked with Buffer first: 503 when Buffer cannot be asked.
    create=extend_schema(summary="Connect a social account", responses={201: SocialAccountSerializer, **BUFFER_ERRORS}),
    retrieve=extend_schema(summary="Get a social account", responses={200: SocialAccountSerializer, **ERRORS}),
    update=extend_schema(
        summary="Update a social account (fields left out are kept)",
        responses={200: SocialAccountSerializer, **BUFFER_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update some fields of a social account", responses={200: SocialAccountSerializer, **BUFFER_ERRORS}
    ),
    # Its posts go first, by the post rules (accounts.services.social_account_delete's guard from posts).
    destroy=extend_schema(
        summary="Delete a social account and its posts (those waiting at Buffer are withdrawn there)",
        responses={
            204: None,
            **BUFFER_ERRORS,
            409: OpenApiResponse(description="A post of the account is being published or checked with Buffer."),
        },
    ),
)
class SocialAccountViewSet(OwnedModelViewSet):
    """Connecting, changing and deleting accounts is workspace setup: MANAGE, the default for writes."""

    queryset = SocialAccount.objects.all()
    serializer_class = SocialAccountSerializer
    filterset_fields = ["platform", "is_active", "connection_status"]

    def perform_create(self, serializer):
        serializer.instance = services.social_account_create(
            workspace=self.workspace, actor=request_user(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.social_account_update(account=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.social_account_delete(account=instance)

    @extend_schema(
        summary="Test the account's connection through Buffer",
        description="Asks Buffer for the account's profile with your active Buffer config (never the "
        "account's own `access_token`, which is the network's credential). The answer names that config "
        "(`token_source`, `buffer_config_id`, `buffer_api`) and what Buffer said (`buffer_answer`).",
        request=None,
        responses={200: ConnectionCheckSerializer, **BUFFER_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="test-connection")
    def test_connection(self, request, pk=None):
        account = self.get_object()
        check = services.social_account_test_connection(account=account)
        payload = {**dataclasses.asdict(check), "connection_status": account.connection_status}
        return Response(ConnectionCheckSerializer(payload).data)

    @extend_schema(
        summary="Refresh the account from its Buffer profile",
        request=None,
        responses={200: SocialAccountSerializer, **BUFFER_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="sync-buffer")
    def sync_buffer(self, request, pk=None):
        account = services.social_account_sync_from_buffer(account=self.get_object())
        return Response(self.get_serializer(account).data, status=status.HTTP_200_OK)

    @extend_schema(
        methods=["GET"],
        summary="The account's posting schedule: the queue's time slots",
        description="Local times per weekday in the account's timezone, and paused days. Imported from Buffer "
        "(`postingSchedule`) on every sync until it is edited here; then syncs keep the edit.",
        responses={200: ScheduleSerializer, **ERRORS},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Edit the account's posting schedule (or go back to Buffer's)",
        description="Needs the manager role (accounts are workspace setup). Days mon..sun, times HH:MM, "
        "paused days; a 400 names each field. Later syncs keep this edit; `follow_buffer: true` drops it.",
        request=ScheduleInputSerializer,
        responses={200: ScheduleSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "put"])
    def schedule(self, request, pk=None):
        account = self.get_object()
        if request.method == "PUT":
            body = ScheduleInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            if body.validated_data.get("follow_buffer"):
                account = posting_schedule.account_schedule_follow_buffer(account=account)
            else:
                cleaned = posting_schedule.clean_schedule(body.validated_data)
                account = posting_schedule.account_schedule_set(account=account, schedule=cleaned)
        return Response(ScheduleSerializer(posting_schedule.schedule_payload(account)).data)


@extend_schema(summary="The authenticated user (timezone used to read and show times)")
class MeView(UserTimezoneMixin, RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    http_method_names = ["get", "put", "patch"]

    def get_object(self):
        return self.request.user

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)


# The Buffer configs' answers: this route asks the active config's Buffer the same way.
PROFILE_ERRORS = BUFFER_CONFIG_ERRORS


# Buffer's profiles joined with the social account each is connected to: an accounts read, so it lives here.
class BufferProfilesView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    @extend_schema(
        summary="List the Buffer profiles of the active Buffer config",
        responses={200: BufferProfileSerializer(many=True), **PROFILE_ERRORS},
    )
    def get(self, request):
        rows = [
            {
                **asdict(profile),
                "platform": platform_for_service(profile.service),
                "can_publish": can_publish(profile.service),
                "connected_account_id": account_id,
            }
            for profile, account_id in services.buffer_profiles_for_workspace(
                workspace=request_membership(request).workspace
            )
        ]
        return Response(BufferProfileSerializer(rows, many=True).data, headers={"X-Total-Count": str(len(rows))})
