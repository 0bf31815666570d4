"""Media library API: upload (one request, or chunked), list, read, edit, delete. Thin: parse, call, respond."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts.roles import Capability
from accounts.tenancy import writes
from kernel.api.parsers import BoundedJSONParser
from kernel.api.views import OwnedViewSet
from kernel.errors import InvalidInput
from kernel.users import request_user
from media_library import services
from media_library.filters import MediaFilter
from media_library.models import MediaItem, MediaUpload
from media_library.serializers import (
    MediaItemSerializer,
    MediaUpdateSerializer,
    MediaUploadFormSerializer,
    MediaUploadSerializer,
    UploadCompleteSerializer,
    UploadStartSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input or a file refused: `detail` names the problem, `errors` by field."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    403: OpenApiResponse(description="Your role in the workspace does not allow this: `detail` names the role."),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such item or upload in this workspace (or not yours).")}
TOO_LARGE = {413: OpenApiResponse(description="The body is larger than this route takes.")}
# The pages upload through these routes too (the composer's and the library's drag and drop): a signed-in
# session counts, with DRF's CSRF check, besides the API's JWT.
PAGE_AND_API_AUTH = [JWTAuthentication, SessionAuthentication]
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _targets(workspace: Any, data: dict[str, Any]) -> list[str]:
    return services.target_platforms(
        workspace=workspace,
        social_account_ids=data.get("social_account_ids") or [],
        platforms=data.get("platforms") or [],
    )


@extend_schema_view(
    list=extend_schema(
        summary="List the workspace's media library, newest first",
        responses={200: MediaItemSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="Get a library item", responses={200: MediaItemSerializer, **ERRORS, **NOT_FOUND}),
    destroy=extend_schema(
        summary="Delete a library item and its files",
        responses={
            204: None,
            **ERRORS,
            **NOT_FOUND,
            409: OpenApiResponse(description="A post not yet published uses it: `detail` names the posts."),
        },
    ),
)
class MediaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OwnedViewSet[MediaItem]):
    authentication_classes = PAGE_AND_API_AUTH
    queryset = MediaItem.objects.with_usage()
    serializer_class = MediaItemSerializer
    filterset_class = MediaFilter
    capabilities = writes(Capability.EDIT_POSTS)

    parser_classes = [MultiPartParser, BoundedJSONParser]  # the upload is a form; edits are JSON

    @extend_schema(
        summary=f"Upload an image or video (multipart/form-data, up to {settings.MEDIA_MAX_UPLOAD_BYTES} bytes)",
        description="Larger files: the chunked upload (`POST /media/uploads`). The file's bytes must match its "
        "content type and extension; images are re-encoded upright without EXIF (no GPS).",
        request={"multipart/form-data": MediaUploadFormSerializer},
        responses={201: MediaItemSerializer, **ERRORS, **TOO_LARGE},
    )
    def create(self, request: Request) -> Response:
        form = MediaUploadFormSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        item = services.media_create(
            workspace=self.workspace,
            actor=request_user(request),
            stream=upload.file,
            size=upload.size,
            filename=upload.name or "",
            content_type=upload.content_type or "",
            name=form.validated_data.get("name", ""),
            alt_text=form.validated_data.get("alt_text", ""),
            platforms=_targets(self.workspace, form.validated_data),
        )
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a library item or change its alt text",
        request=MediaUpdateSerializer,
        responses={200: MediaItemSerializer, **ERRORS, **NOT_FOUND},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        body = MediaUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.media_update(item=item, **body.validated_data)
        return Response(self.get_serializer(item).data)

    def perform_destroy(self, instance: MediaItem) -> None:
        services.media_delete(item=instance)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Where a chunked upload is (received_bytes: send the next chunk from there)",
        responses={200: MediaUploadSerializer, **ERRORS, **NOT_FOUND},
    ),
    destroy=extend_schema(summary="Abandon a chunked upload", responses={204: None, **ERRORS, **NOT_FOUND}),
)
class MediaUploadViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OwnedViewSet[MediaUpload]):
    """Large files in chunks: each request is short, so no web worker is held for the whole transfer, and
    each chunk is streamed to a temporary file, so no process holds the file in memory."""

    authentication_classes = PAGE_AND_API_AUTH
    queryset = MediaUpload.objects.select_related("workspace", "uploaded_by")
    serializer_class = MediaUploadSerializer
    capabilities = writes(Capability.EDIT_POSTS, "complete")
    lookup_value_regex = r"[^/.]+"  # a UUID; anything else is an unknown upload (404), not another route

    def get_object(self) -> MediaUpload:
        try:
            uuid.UUID(str(self.kwargs.get(self.lookup_field, "")))
        except ValueError:
            raise Http404 from None
        return super().get_object()

    def get_throttles(self):
        # A chunk belongs to an upload already admitted (and counted) at its start, and the bytes it may carry
        # are bounded by that upload's size: a 1 GB video in 8 MB chunks must not wait on the per-minute budget.
        if getattr(self, "action", None) == "update":
            return []
        return super().get_throttles()

    @extend_schema(
        summary="Start a chunked upload",
        request=UploadStartSerializer,
        responses={201: MediaUploadSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = UploadStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = services.upload_start(
            workspace=self.workspace,
            actor=request_user(request),
            filename=data["filename"],
            size=data["size"],
            content_type=data["content_type"],
            alt_text=data.get("alt_text", ""),
            platforms=_targets(self.workspace, data),
        )
        return Response(self.get_serializer(upload).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=f"Send one chunk (the raw bytes, at most {settings.MEDIA_CHUNK_BYTES}) with Content-Range",
        description="`Content-Range: bytes START-END/TOTAL`, END inclusive; chunks in order from byte 0. A chunk "
        "that does not start where the upload stands is a 409 naming the offset expected.",
        parameters=[OpenApiParameter("Content-Range", str, OpenApiParameter.HEADER, required=True)],
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        responses={
            200: MediaUploadSerializer,
            **ERRORS,
            **NOT_FOUND,
            **TOO_LARGE,
            409: OpenApiResponse(description="Out of order or overlapping: `detail` names the offset expected."),
        },
    )
    def update(self, request: Request, pk: str | None = None) -> Response:
        upload = self.get_object()
        match = _RANGE.match(request.headers.get("Content-Range", "").strip())
        if match is None:
            raise InvalidInput.from_errors({"Content-Range": ["Send `Content-Range: bytes START-END/TOTAL`."]})
        start, end, total = (int(group) for group in match.groups())
        if end - start + 1 > settings.MEDIA_CHUNK_BYTES:
            raise InvalidInput.from_errors({"Content-Range": [f"At most {settings.MEDIA_CHUNK_BYTES} bytes a chunk."]})
        # The raw body, read in blocks: request.data would parse (and hold) it.
        upload = services.upload_chunk(
            upload=upload, start=start, end=end, total=total, stream=request.stream or io.BytesIO()
        )
        return Response(self.get_serializer(upload).data)

    @extend_schema(
        summary="Finish a chunked upload: the whole file is checked and becomes a library item",
        description="Refused (400) or not, the upload and its bytes are gone afterwards.",
        request=UploadCompleteSerializer,
        responses={
            201: MediaItemSerializer,
            **ERRORS,
            **NOT_FOUND,
            409: OpenApiResponse(description="Not all bytes have arrived yet."),
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        upload = self.get_object()
        body = UploadCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.upload_complete(upload=upload, name=body.validated_data.get("name", ""))
        item = MediaItem.objects.with_usage().get(pk=item.pk)
        return Response(MediaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: MediaUpload) -> None:
        services.upload_discard(upload=instance)
