"""Managing the Publisher configuration (JWT only): post types, channels, integrator apps, the webhook
secret, and the callback log with replay. Integrator apps cannot manage themselves.

Every write here is workspace setup: MANAGE, the default for a write a view does not name. Reads are
for every member, except the webhook secret: a credential, shown to managers only."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Capability
from kernel.api.views import OwnedViewSet, UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from publisher import config_services
from publisher.defaults import ensure_publisher_defaults
from publisher.filters import PostTypeFilter
from publisher.models import CallbackDelivery, Channel, IntegratorApp, PostType, WebhookSecret
from publisher.outbox import callback_replay
from publisher.serializers import (
    CallbackDeliverySerializer,
    ChannelSerializer,
    CreatedIntegratorAppSerializer,
    IntegratorAppSerializer,
    PostTypeSerializer,
    PostTypeUpdateSerializer,
    WebhookSecretSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such object in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
}
DEFAULT_POSTTYPE_CONFLICT = {
    409: OpenApiResponse(
        description="It is its network target's default post type: make another one the default first."
    )
}
DEFAULT_CHANNEL_CONFLICT = {
    409: OpenApiResponse(description="The default channel is kept by SocialHub: it cannot be changed or deleted.")
}


class CrudViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OwnedViewSet,
):
    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True  # PUT keeps what it leaves out, like the rest of the API
        return super().update(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List post types (an account's defaults are created on first use)"),
    create=extend_schema(summary="Add a post type to a network target", responses={201: PostTypeSerializer, **ERRORS}),
    destroy=extend_schema(
        summary="Delete a post type (not a target's default)",
        responses={204: None, **ERRORS, **DEFAULT_POSTTYPE_CONFLICT},
    ),
)
class PostTypeViewSet(CrudViewSet):
    queryset = PostType.objects.select_related("network_target")
    filterset_class = PostTypeFilter

    def get_serializer_class(self):
        return PostTypeUpdateSerializer if self.action in ("update", "partial_update") else PostTypeSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            ensure_publisher_defaults(workspace=self.workspace)
        return super().get_queryset()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["social_account_id"] = data.pop("network_target_id")
        serializer.instance = config_services.posttype_create(
            workspace=self.workspace, actor=request_user(self.request), **data
        )

    def perform_update(self, serializer):
        serializer.instance = config_services.posttype_update(posttype=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        config_services.posttype_delete(posttype=instance)


@extend_schema_view(
    create=extend_schema(summary="Create a channel", responses={201: ChannelSerializer, **ERRORS}),
    update=extend_schema(responses={200: ChannelSerializer, **ERRORS, **DEFAULT_CHANNEL_CONFLICT}),
    partial_update=extend_schema(responses={200: ChannelSerializer, **ERRORS, **DEFAULT_CHANNEL_CONFLICT}),
    destroy=extend_schema(responses={204: None, **ERRORS, **DEFAULT_CHANNEL_CONFLICT}),
)
class ChannelViewSet(CrudViewSet):
    queryset = Channel.objects.prefetch_related("posttypes")
    serializer_class = ChannelSerializer

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):
            ensure_publisher_defaults(workspace=self.workspace)
        return super().get_queryset()

    @staticmethod
    def _arguments(validated: dict) -> dict:
        data = dict(validated)
        if "posttypes" in data:
            data["posttype_ids"] = [posttype.pk for posttype in data.pop("posttypes")]
        return data

    def perform_create(self, serializer):
        data = self._arguments(serializer.validated_data)
        serializer.instance = config_services.channel_create(
            workspace=self.workspace, actor=request_user(self.request), **data
        )

    def perform_update(self, serializer):
        data = self._arguments(serializer.validated_data)
        serializer.instance = config_services.channel_update(channel=serializer.instance, **data)

    def perform_destroy(self, instance):
        config_services.channel_delete(channel=instance)


@extend_schema_view(
    create=extend_schema(
        summary="Create an integrator app; the response shows its secret, once",
        responses={201: CreatedIntegratorAppSerializer, **ERRORS},
    ),
    destroy=extend_schema(summary="Revoke an integrator app", responses={204: None, **ERRORS}),
)
class IntegratorAppViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, OwnedViewSet
):
    queryset = IntegratorApp.objects.all()
    serializer_class = IntegratorAppSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app, secret = config_services.integrator_app_create(
            workspace=self.workspace, actor=request_user(request), **serializer.validated_data
        )
        app.secret = secret  # for this one response only; not a model field
        return Response(CreatedIntegratorAppSerializer(app).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        config_services.integrator_app_revoke(app=instance)


class WebhookSecretView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    """The workspace's callback signing secret. Unlike tokens it is readable (to managers): a receiver
    needs it to verify."""

    capabilities = {"get": Capability.MANAGE, "post": Capability.MANAGE}

    @staticmethod
    def _response(record: WebhookSecret | None, *, code: int = status.HTTP_200_OK) -> Response:
        now = timezone.now()
        data = {
            "configured": record is not None,
            "secret": record.get_secret() if record else None,
            "created_at": record.created_at if record else None,
            "rotated_at": record.rotated_at if record else None,
            "previous_valid_until": record.previous_valid_until if record and record.previous_is_valid(now) else None,
        }
        response = Response(WebhookSecretSerializer(data).data, status=code)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="The callback signing secret (created with the first callback, or by POST)",
        responses={200: WebhookSecretSerializer},
    )
    def get(self, request):
        return self._response(WebhookSecret.objects.filter(workspace=request_workspace(request)).first())

    @extend_schema(
        summary="Create or rotate the callback signing secret; the old one signs too for 24 h",
        request=None,
        responses={201: WebhookSecretSerializer},
    )
    def post(self, request):
        record, _secret = config_services.webhook_secret_rotate(
            workspace=request_workspace(request), actor=request_user(request)
        )
        return self._response(record, code=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Callbacks sent (newest first), each with its attempts"))
class CallbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    queryset = CallbackDelivery.objects.select_related("publisher_post").prefetch_related("attempt_log")
    serializer_class = CallbackDeliverySerializer
    filterset_fields = ["state", "stream"]

    def get_queryset(self):
        queryset = super().get_queryset()
        post_id = self.request.query_params.get("post")
        return queryset.filter(publisher_post__public_id=post_id) if post_id else queryset

    @extend_schema(summary="Send a callback again now", request=None, responses={200: CallbackDeliverySerializer})
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        callback = self.get_object()
        callback_replay(callback=callback)
        return Response(self.get_serializer(self.get_queryset().get(pk=callback.pk)).data)
