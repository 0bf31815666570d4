"""`POST /api/v1/posts/preview` (a draft body) and `GET /api/v1/posts/{id}/preview` (a stored post).

A preview per account: the structure of `posts.previews.build` with its warnings and `html`, the server's
rendering the composer and the post page show. Nothing is stored, so a viewer may preview (VIEW).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Capability
from kernel.api.filters import MAX_ID
from kernel.api.strict import StrictSerializer
from kernel.api.views import UserTimezoneMixin
from kernel.errors import InvalidInput
from kernel.tenancy import WorkspaceScopedView, request_workspace
from posts.media import MAX_MEDIA_IDS
from posts.models import Post
from posts.previews.service import MAX_PREVIEW_ACCOUNTS, post_preview, previews_for_accounts
from posts.serializers import NetworkOptionsField

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` names the first problem, `errors` lists all by field."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
NOT_FOUND = {
    404: OpenApiResponse(
        description="An account (or post) that is not this workspace's (other workspaces' included), "
        "or an `X-Workspace` the caller is not a member of."
    )
}


def _media_ids_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_MEDIA_IDS,
        required=False,
        help_text="Library items (GET /media), in order, as for a post.",
    )


def _media_urls_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=2000), max_length=50, required=False, help_text="As for a post."
    )


class PreviewVariantSerializer(StrictSerializer):
    content = serializers.CharField(max_length=10_000, allow_blank=True, trim_whitespace=False, required=False)
    media_urls = _media_urls_field()
    media_ids = _media_ids_field()
    network_options = NetworkOptionsField(required=False)


class PreviewRequestSerializer(StrictSerializer):
    social_account_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    social_account_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_PREVIEW_ACCOUNTS,
        required=False,
        help_text="Several accounts (one preview each, in this order); or `social_account_id` for one.",
    )
    content = serializers.CharField(
        max_length=10_000, allow_blank=True, trim_whitespace=False, required=False, default=""
    )
    media_urls = _media_urls_field()
    media_ids = _media_ids_field()
    network_options = NetworkOptionsField(required=False, help_text="The shared options (as for a post).")
    variants = serializers.DictField(
        child=PreviewVariantSerializer(),
        required=False,
        help_text="Per account id (a string key): `content`, `media_urls`, `media_ids`, `network_options` "
        "overriding the shared ones for that account, as post groups' variants do.",
    )

    def validate(self, attrs):
        one, many = attrs.pop("social_account_id", None), attrs.pop("social_account_ids", None)
        if (one is None) == (many is None):
            raise serializers.ValidationError({"social_account_ids": ["Give social_account_id or social_account_ids."]})
        attrs["account_ids"] = [one] if one is not None else many
        ids = attrs["account_ids"]
        unknown = [key for key in attrs.get("variants", {}) if not key.isdigit() or int(key) not in ids]
        if unknown:
            message = f"Not one of the accounts previewed: {', '.join(unknown)}."
            raise serializers.ValidationError({"variants": [message]})
        return attrs


class PreviewSerializer(serializers.Serializer):
    """One account's preview (output only)."""

    platform = serializers.CharField()
    network = serializers.CharField(help_text="The network's name.")
    family = serializers.CharField(help_text="Which template drew `html` (microblog, feed, instagram, ...).")
    account = serializers.JSONField(help_text="id, name, username, avatar_url; initials when there is no avatar.")
    text = serializers.JSONField(
        help_text="segments (kind text/link/hashtag/mention), visible (what shows before the fold), "
        "truncated, see_more_at (character index of the fold, or null)."
    )
    see_more_label = serializers.CharField()
    length = serializers.JSONField(help_text="count, limit, counting, over: the length rule the posts API uses.")
    media = serializers.JSONField(
        help_text="layout (none/single/grid/carousel/video/story/reel), shown, more (+N), total."
    )
    link_card = serializers.JSONField(
        allow_null=True, help_text="{host, url} where the network cards a link; never fetched."
    )
    thread = serializers.JSONField(help_text="Follow-up posts: segments and their own length.")
    first_comment = serializers.JSONField(allow_null=True)
    title = serializers.CharField(help_text="YouTube's or Pinterest's title; \"\" elsewhere.")
    post_type = serializers.CharField(help_text='Instagram post/story/reel, Google Business type; "" elsewhere.')
    post_type_label = serializers.CharField()
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="What the posts API would refuse (length, media, options)."
    )
    html = serializers.CharField(help_text="The server's rendering (templates/posts/previews/).")


class PreviewListSerializer(serializers.Serializer):
    previews = PreviewSerializer(many=True)


class PostPreviewView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    capabilities = {"post": Capability.VIEW}  # nothing is written: every member may preview

    @extend_schema(
        summary="Preview a post per account, as each network will show it (nothing is stored)",
        description="The body of a post create, for one or several accounts, with optional `variants` per "
        "account. Each preview carries the warnings the posts API would refuse with, and `html`.",
        request=PreviewRequestSerializer,
        responses={200: PreviewListSerializer, **ERRORS, **NOT_FOUND},
        tags=["posts"],
    )
    def post(self, request: Request) -> Response:
        body = PreviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        previews = previews_for_accounts(
            workspace=request_workspace(request),
            account_ids=data["account_ids"],
            content=data["content"],
            media_urls=data.get("media_urls", []),
            media_ids=data.get("media_ids", []),
            network_options=data.get("network_options"),
            variants=data.get("variants"),
        )
        return Response({"previews": previews})


class StoredPostPreviewView(UserTimezoneMixin, WorkspaceScopedView, APIView):
    @extend_schema(
        summary="A stored post's preview, as its network will show it",
        responses={200: PreviewSerializer, **ERRORS, **NOT_FOUND},
        tags=["posts"],
    )
    def get(self, request: Request, pk: int) -> Response:
        post = get_object_or_404(Post.objects.in_workspace(request_workspace(request)).with_relations(), pk=pk)
        preview = post_preview(post=post)
        if preview is None:
            raise InvalidInput(f"Nothing to preview: Buffer's API cannot publish to {post.platform}.")
        return Response(preview)
