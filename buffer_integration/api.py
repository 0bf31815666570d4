from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.serializers import BaseSerializer

from buffer_integration import services
from buffer_integration.models import BufferConfig
from buffer_integration.serializers import BufferConfigSerializer
from kernel.api.views import OwnedModelViewSet
from kernel.users import request_user

ERRORS = {
    400: OpenApiResponse(description="Invalid input, or a token Buffer rejects."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such config in this workspace, or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
    503: OpenApiResponse(
        description="Buffer is unreachable or failing, or the key's request budget has no room before "
        "`Retry-After` (seconds); nothing was saved."
    ),
}


@extend_schema_view(
    list=extend_schema(summary="List Buffer configs", responses={200: BufferConfigSerializer(many=True), **ERRORS}),
    create=extend_schema(
        summary="Save a Buffer access token (validated against Buffer; becomes the active config)",
        responses={201: BufferConfigSerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="Get a Buffer config", responses={200: BufferConfigSerializer, **ERRORS}),
    update=extend_schema(
        summary="Update a Buffer config (fields left out are kept)", responses={200: BufferConfigSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Update some fields of a Buffer config", responses={200: BufferConfigSerializer, **ERRORS}
    ),
    destroy=extend_schema(summary="Delete a Buffer config", responses={204: None, **ERRORS}),
)
class BufferConfigViewSet(OwnedModelViewSet[BufferConfig]):
    """Every write needs MANAGE: the default for a write `capabilities` does not name (below accounts,
    this module cannot name a Capability)."""

    queryset = BufferConfig.objects.all()
    serializer_class = BufferConfigSerializer

    def perform_create(self, serializer: BaseSerializer[BufferConfig]) -> None:
        serializer.instance = services.buffer_config_create(
            workspace=self.workspace, actor=request_user(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[BufferConfig]) -> None:
        assert serializer.instance is not None  # an update always has its instance
        serializer.instance = services.buffer_config_update(config=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance: BufferConfig) -> None:
        services.buffer_config_delete(config=instance)
