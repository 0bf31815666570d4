"""`GET/POST /api/v1/posts/{id}/comments`: the team's internal comments on a post of the workspace."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Capability
from kernel.api.strict import StrictSerializer
from kernel.api.views import UserTimezoneMixin
from kernel.tenancy import WorkspaceScopedView, request_workspace
from kernel.users import request_user
from posts import comments
from posts.models import Post, PostComment

ERRORS = {
    400: OpenApiResponse(description="Invalid input: `detail` plus per-field `errors`."),
    401: OpenApiResponse(description="Missing or invalid JWT."),
    404: OpenApiResponse(
        description="No such post in this workspace (other workspaces' posts included), "
        "or an `X-Workspace` the caller is not a member of."
    ),
    429: OpenApiResponse(description="More than 60 requests in a minute."),
}
FORBIDDEN = {
    403: OpenApiResponse(description="Your role may not comment (viewers read only); `detail` names the role needed.")
}


class PostCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    mentions: serializers.SlugRelatedField[PostComment] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="username", help_text="Members named by @username."
    )

    class Meta:
        model = PostComment
        fields = ["id", "post_id", "author", "body", "created_at", "mentions"]
        read_only_fields = fields


class PostCommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=comments.BODY_MAX, help_text="Text; `@username` mentions a member of the post's workspace."
    )


@extend_schema_view(
    get=extend_schema(
        summary="List the post's internal comments, oldest first",
        responses={200: PostCommentSerializer(many=True), **ERRORS},
        tags=["posts"],
    ),
    post=extend_schema(
        summary="Comment on the post (contributors and up); mentioned members are notified",
        request=PostCommentCreateSerializer,
        responses={201: PostCommentSerializer, **ERRORS, **FORBIDDEN},
        tags=["posts"],
    ),
)
class PostCommentsView(UserTimezoneMixin, WorkspaceScopedView, generics.ListCreateAPIView):
    serializer_class = PostCommentSerializer
    capabilities = {"post": Capability.EDIT_POSTS}  # checked before the post is looked up, as on every post route

    def _post(self) -> Post:
        return get_object_or_404(Post.objects.filter(workspace=request_workspace(self.request)), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no post
            return PostComment.objects.none()
        return comments.post_comments_for(post=self._post())

    def create(self, request: Request, *args, **kwargs) -> Response:
        post = self._post()
        body = PostCommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = comments.post_comment_create(
            post=post, author=request_user(request), body=body.validated_data["body"]
        )
        return Response(PostCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
